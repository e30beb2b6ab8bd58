"""Access-matrix entries of the officials' pages and API (merged into tests/test_access_matrix.py).

`w.review` is a lazy ReviewWorld (tests/licensing/official_world.py): a submitted case of the
producers' company, an active licence and a requested amendment, built only when a URL needs them.
"""

from django.urls import reverse

LOGIN = {"anonymous": 302}
PRODUCERS_403 = {
    "producer_admin": 403,
    "producer": 403,
    "other_producer": 403,
    "pending_producer": 403,
}
READERS_PAGE = {**LOGIN, **PRODUCERS_403, "*": 200}
# Actions: only reviewers and approvers get past the role check; the workflow table then says
# who may act on this case (403 for the others, 409 for a state that does not allow it).
ACTION = {**LOGIN, **PRODUCERS_403, "auditor": 403, "administrator": 403}
HOLDER_AND_OFFICIALS = {**LOGIN, "other_producer": 404, "pending_producer": 302, "*": 200}
API_READERS = {"anonymous": 401, **PRODUCERS_403, "*": 200}
API_ACTION = {"anonymous": 401, **PRODUCERS_403, "auditor": 403, "administrator": 403}


def _case(w):
    return w.review.case.pk


def _lic(w):
    return w.review.licence.pk


REVIEW_MATRIX = {
    "review:queue": ("get", lambda w: reverse("review:queue"), READERS_PAGE, {}),
    "review:case_detail": (
        "get",
        lambda w: reverse("review:case_detail", args=[_case(w)]),
        READERS_PAGE,
        {},
    ),
    "review:case_take": (
        "post",
        lambda w: reverse("review:case_take", args=[_case(w)]),
        {**ACTION, "reviewer": 302, "approver": 403},
        {},
    ),
    "review:case_assign": (
        "post",
        lambda w: reverse("review:case_assign", args=[_case(w)]),
        {**ACTION, "reviewer": 403, "approver": 302},
        lambda w: {"reviewer": w.users["reviewer"].pk},
    ),
    "review:case_request_information": (
        "post",
        lambda w: reverse("review:case_request_information", args=[_case(w)]),
        {**ACTION, "reviewer": 409, "approver": 409},
        {"question": "access check"},
    ),
    "review:case_recommend": (
        "post",
        lambda w: reverse("review:case_recommend", args=[_case(w)]),
        {**ACTION, "reviewer": 409, "approver": 409},
        {"recommendation": "approve", "reasons": "access check"},
    ),
    "review:case_send_back": (
        "post",
        lambda w: reverse("review:case_send_back", args=[_case(w)]),
        {**ACTION, "reviewer": 409, "approver": 409},
        {"send_back-reason": "access check"},
    ),
    "review:case_close_lapsed": (
        "post",
        lambda w: reverse("review:case_close_lapsed", args=[_case(w)]),
        {**ACTION, "reviewer": 409, "approver": 409},
        {"lapse-reason": "access check"},
    ),
    "review:case_decide": (
        "post",
        lambda w: reverse("review:case_decide", args=[_case(w)]),
        {**ACTION, "reviewer": 409, "approver": 409},
        {"decision": "approve"},
    ),
    "review:case_fast_track": (
        "post",
        lambda w: reverse("review:case_fast_track", args=[_case(w)]),
        {**ACTION, "reviewer": 302, "approver": 302},
        {"fast_track": "on", "reason": "access check"},
    ),
    "review:case_note": (
        "post",
        lambda w: reverse("review:case_note", args=[_case(w)]),
        {**ACTION, "reviewer": 302, "approver": 302},
        {"body": "access check"},
    ),
    "review:document_download": (
        "get",
        lambda w: reverse("review:document_download", args=[w.review.document.pk]),
        READERS_PAGE,
        {},
    ),
    "review:licence_list": ("get", lambda w: reverse("review:licence_list"), READERS_PAGE, {}),
    "review:licence_verify": ("get", lambda w: reverse("review:licence_verify"), {"*": 200}, {}),
    "review:licence_detail": (
        "get",
        lambda w: reverse("review:licence_detail", args=[_lic(w)]),
        READERS_PAGE,
        {},
    ),
    "review:licence_transition": (
        "post",
        lambda w: reverse("review:licence_transition", args=[_lic(w)]),
        {**ACTION, "reviewer": 403, "approver": 302},
        {"action": "suspend", "reason": "access check"},
    ),
    "review:licence_print": (
        "get",
        lambda w: reverse("review:licence_print", args=[_lic(w)]),
        HOLDER_AND_OFFICIALS,
        {},
    ),
    "review:licence_pdf": (
        "get",
        lambda w: reverse("review:licence_pdf", args=[_lic(w)]),
        HOLDER_AND_OFFICIALS,
        {},
    ),
    "review:amendment_list": (
        "get",
        lambda w: reverse("review:amendment_list"),
        READERS_PAGE,
        {},
    ),
    "review:amendment_decide": (
        "post",
        lambda w: reverse("review:amendment_decide", args=[w.review.amendment.pk]),
        {**ACTION, "reviewer": 403, "approver": 302},
        {"decision": "refuse", "reason": "access check"},
    ),
    "api:review-case-list": ("get", lambda w: reverse("api:review-case-list"), API_READERS, {}),
    "api:review-case-detail": (
        "get",
        lambda w: reverse("api:review-case-detail", args=[_case(w)]),
        API_READERS,
        {},
    ),
    "api:review-case-take": (
        "post",
        lambda w: reverse("api:review-case-take", args=[_case(w)]),
        {**API_ACTION, "reviewer": 200, "approver": 403},
        {},
    ),
    "api:review-case-assign": (
        "post",
        lambda w: reverse("api:review-case-assign", args=[_case(w)]),
        {**API_ACTION, "reviewer": 403, "approver": 200},
        lambda w: {"reviewer": w.users["reviewer"].pk},
    ),
    "api:review-case-request-information": (
        "post",
        lambda w: reverse("api:review-case-request-information", args=[_case(w)]),
        {**API_ACTION, "reviewer": 409, "approver": 409},
        {"question": "access check"},
    ),
    "api:review-case-recommend": (
        "post",
        lambda w: reverse("api:review-case-recommend", args=[_case(w)]),
        {**API_ACTION, "reviewer": 409, "approver": 409},
        {"recommendation": "approve", "reasons": "access check"},
    ),
    "api:review-case-send-back": (
        "post",
        lambda w: reverse("api:review-case-send-back", args=[_case(w)]),
        {**API_ACTION, "reviewer": 409, "approver": 409},
        {"reason": "access check"},
    ),
    "api:review-case-close-lapsed": (
        "post",
        lambda w: reverse("api:review-case-close-lapsed", args=[_case(w)]),
        {**API_ACTION, "reviewer": 409, "approver": 409},
        {"reason": "access check"},
    ),
    "api:review-case-decide": (
        "post",
        lambda w: reverse("api:review-case-decide", args=[_case(w)]),
        {**API_ACTION, "reviewer": 409, "approver": 409},
        {"decision": "approve"},
    ),
    "api:review-case-fast-track": (
        "post",
        lambda w: reverse("api:review-case-fast-track", args=[_case(w)]),
        {**API_ACTION, "reviewer": 200, "approver": 200},
        {"fast_track": True, "reason": "access check"},
    ),
    "api:review-case-note": (
        "post",
        lambda w: reverse("api:review-case-note", args=[_case(w)]),
        {**API_ACTION, "reviewer": 200, "approver": 200},
        {"body": "access check"},
    ),
    "api:review-licence-list": (
        "get",
        lambda w: reverse("api:review-licence-list"),
        API_READERS,
        {},
    ),
    "api:review-licence-detail": (
        "get",
        lambda w: reverse("api:review-licence-detail", args=[_lic(w)]),
        API_READERS,
        {},
    ),
    "api:review-licence-suspend": (
        "post",
        lambda w: reverse("api:review-licence-suspend", args=[_lic(w)]),
        {**API_ACTION, "reviewer": 403, "approver": 200},
        {"reason": "access check"},
    ),
    "api:review-licence-reinstate": (
        "post",
        lambda w: reverse("api:review-licence-reinstate", args=[_lic(w)]),
        {**API_ACTION, "reviewer": 409, "approver": 409},
        {"reason": "access check"},
    ),
    "api:review-licence-revoke": (
        "post",
        lambda w: reverse("api:review-licence-revoke", args=[_lic(w)]),
        {**API_ACTION, "reviewer": 403, "approver": 200},
        {"reason": "access check"},
    ),
    "api:review-amendment-list": (
        "get",
        lambda w: reverse("api:review-amendment-list"),
        API_READERS,
        {},
    ),
    "api:review-amendment-decide": (
        "post",
        lambda w: reverse("api:review-amendment-decide", args=[w.review.amendment.pk]),
        {**API_ACTION, "reviewer": 403, "approver": 200},
        {"decision": "refuse", "reason": "access check"},
    ),
}
