"""The case page and every official action through the views: what each user sees, what a
forged or stale POST gets (403 / 409, nothing changed), four-eyes and linked officials."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.clients import screening
from apps.core.roles import Role
from apps.licensing.models import Application, InternalNote, OfficialLink
from apps.licensing.workflow import ApplicationStatus as S
from tests.clients.factories import make_entry
from tests.factories import UserFactory
from tests.licensing import official_world as ow

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer2(db):
    return UserFactory(
        roles=[Role.REVIEWER], email="reviewer2@authority.test", full_name="Zhao Min"
    )


@pytest.fixture
def approver2(db):
    return UserFactory(roles=[Role.APPROVER], email="approver2@authority.test")


def url(name, app):
    return reverse(f"review:{name}", args=[app.pk])


def state_of(app):
    return Application.objects.values_list("status", flat=True).get(pk=app.pk)


def test_case_page_shows_the_whole_application(client_for, reviewer, producer):
    # given a submitted case whose buyer is on the control list
    make_entry("Rheinland Motoren", country="DE")
    app = ow.case(producer)
    client = app.parties.first().client
    screening.record_hits([client])
    screening.refresh_status([client.pk])
    # when
    response = client_for(reviewer).get(url("case_detail", app))
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert app.reference in html
    assert "Rheinland Motoren GmbH" in html
    assert 'data-testid="hit"' in html
    assert "Take this case" in html
    assert html.count('data-testid="document"') == 4
    assert reverse("review:document_download", args=[app.documents.first().pk]) in html
    assert "Working days used" in html


def test_line_not_controlled_on_submission_is_flagged(client_for, reviewer, producer):
    app = ow.case(producer)
    app.lines.update(controlled_on_submission=False)
    html = client_for(reviewer).get(url("case_detail", app)).content.decode()
    assert "not controlled on submission date" in html


def test_reviewer_takes_a_submitted_case(client_for, reviewer, producer):
    app = ow.case(producer)
    response = client_for(reviewer).post(url("case_take", app))
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == S.UNDER_REVIEW
    assert app.assigned_reviewer == reviewer


def test_taking_twice_is_a_conflict_and_changes_nothing(client_for, reviewer, reviewer2, producer):
    app = ow.case(producer)
    client_for(reviewer).post(url("case_take", app))
    second = client_for(reviewer2)
    events = AuditEvent.objects.count()
    response = second.post(url("case_take", app))
    assert response.status_code == 409
    assert "no longer possible" in response.content.decode()
    app.refresh_from_db()
    assert app.assigned_reviewer == reviewer
    assert AuditEvent.objects.count() == events


def test_approver_cannot_take_a_case(client_for, approver, producer):
    app = ow.case(producer)
    response = client_for(approver).post(url("case_take", app))
    assert response.status_code == 403
    assert state_of(app) == S.SUBMITTED


def test_auditor_reads_the_case_but_sees_no_action(client_for, auditor, producer, reviewer):
    app = ow.case(producer, reviewer, state=S.UNDER_REVIEW)
    response = client_for(auditor).get(url("case_detail", app))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Take this case" not in html
    assert "Send the request" not in html
    assert client_for(auditor).post(url("case_take", app)).status_code == 403


def test_producer_gets_403_on_the_case_page(client_for, producer):
    app = ow.case(producer)
    assert client_for(producer).get(url("case_detail", app)).status_code == 403


def test_a_draft_is_not_in_the_officials_pages(client_for, reviewer, producer):
    app = ow.draft(producer)
    assert client_for(reviewer).get(url("case_detail", app)).status_code == 404


def test_supervisor_assigns_to_a_reviewer_and_linked_reviewers_are_not_offered(
    client_for, approver, reviewer, reviewer2, producer, company
):
    app = ow.case(producer)
    OfficialLink.objects.create(official=reviewer2, organisation=company, reason="Brother-in-law")
    page = client_for(approver).get(url("case_detail", app)).content.decode()
    assert f'value="{reviewer.pk}"' in page
    assert f'value="{reviewer2.pk}"' not in page
    # a forged choice of the linked reviewer is refused by the form and changes nothing
    response = client_for(approver).post(url("case_assign", app), {"reviewer": reviewer2.pk})
    assert response.status_code == 400
    assert state_of(app) == S.SUBMITTED
    response = client_for(approver).post(url("case_assign", app), {"reviewer": reviewer.pk})
    assert response.status_code == 302
    app.refresh_from_db()
    assert (app.status, app.assigned_reviewer) == (S.UNDER_REVIEW, reviewer)


def test_reviewer_cannot_assign(client_for, reviewer, reviewer2, producer):
    app = ow.case(producer)
    response = client_for(reviewer).post(url("case_assign", app), {"reviewer": reviewer2.pk})
    assert response.status_code == 403
    assert state_of(app) == S.SUBMITTED


def test_assigned_reviewer_requests_information_and_the_clock_pauses(
    client_for, reviewer, producer
):
    app = ow.case(producer, reviewer, state=S.UNDER_REVIEW)
    response = client_for(reviewer).post(
        url("case_request_information", app), {"question": "Send the end-user certificate."}
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == S.INFORMATION_REQUESTED
    rfi = app.information_requests.get()
    assert rfi.due_on > date.today()
    page = client_for(reviewer).get(url("case_detail", app)).content.decode()
    assert "paused while the request for information is open" in page
    assert "Send the end-user certificate." in page


def test_empty_question_is_refused_with_a_message(client_for, reviewer, producer):
    app = ow.case(producer, reviewer, state=S.UNDER_REVIEW)
    response = client_for(reviewer).post(url("case_request_information", app), {"question": ""})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert state_of(app) == S.UNDER_REVIEW


def test_other_reviewer_cannot_request_information(client_for, reviewer, reviewer2, producer):
    app = ow.case(producer, reviewer, state=S.UNDER_REVIEW)
    response = client_for(reviewer2).post(
        url("case_request_information", app), {"question": "Forged"}
    )
    assert response.status_code == 403
    assert not app.information_requests.exists()


def test_reviewer_recommends(client_for, reviewer, producer):
    app = ow.case(producer, reviewer, state=S.UNDER_REVIEW)
    response = client_for(reviewer).post(
        url("case_recommend", app), {"recommendation": "deny", "reasons": "End user unclear."}
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert (app.status, app.recommendation, app.reviewed_by) == (S.REVIEWED, "deny", reviewer)


def test_recommendation_without_reasons_changes_nothing(client_for, reviewer, producer):
    app = ow.case(producer, reviewer, state=S.UNDER_REVIEW)
    response = client_for(reviewer).post(url("case_recommend", app), {"recommendation": "approve"})
    assert response.status_code == 400
    assert state_of(app) == S.UNDER_REVIEW


def test_approver_approves_with_a_reduced_quantity_and_conditions(
    client_for, reviewer, approver, producer
):
    app = ow.case(producer, reviewer, state=S.REVIEWED, quantities=("100.000", "40.000"))
    first, second = app.lines.order_by("position")
    page = client_for(approver).get(url("case_detail", app)).content.decode()
    assert 'data-testid="decision"' in page
    response = client_for(approver).post(
        url("case_decide", app),
        {
            "decision": "approve",
            f"line_{first.pk}": "60",
            f"line_{second.pk}": "40",
            "conditions": "No re-export.",
            "valid_until": (date.today() + timedelta(days=180)).isoformat(),
        },
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == S.APPROVED
    licence = app.licence
    assert [line.quantity_granted for line in licence.lines.order_by("id")] == [
        Decimal("60.000"),
        Decimal("40.000"),
    ]
    assert licence.conditions == "No re-export."
    assert licence.valid_until == date.today() + timedelta(days=180)


def test_approval_over_the_requested_quantity_is_refused(client_for, reviewer, approver, producer):
    app = ow.case(producer, reviewer, state=S.REVIEWED)
    line = app.lines.get()
    response = client_for(approver).post(
        url("case_decide", app), {"decision": "approve", f"line_{line.pk}": "101"}
    )
    assert response.status_code == 400
    assert state_of(app) == S.REVIEWED


def test_validity_beyond_the_maximum_is_refused(client_for, reviewer, approver, producer):
    app = ow.case(producer, reviewer, state=S.REVIEWED)
    response = client_for(approver).post(
        url("case_decide", app),
        {"decision": "approve", "valid_until": (date.today() + timedelta(days=800)).isoformat()},
    )
    assert response.status_code == 400
    assert "Choose a date up to" in response.content.decode()
    assert state_of(app) == S.REVIEWED


def test_deny_needs_reasons(client_for, reviewer, approver, producer):
    app = ow.case(producer, reviewer, state=S.REVIEWED)
    response = client_for(approver).post(url("case_decide", app), {"decision": "deny"})
    assert response.status_code == 400
    assert state_of(app) == S.REVIEWED
    response = client_for(approver).post(
        url("case_decide", app), {"decision": "deny", "reasons": "Listed end user."}
    )
    assert response.status_code == 302
    assert state_of(app) == S.DENIED


def test_reviewer_cannot_decide(client_for, reviewer, producer):
    app = ow.case(producer, reviewer, state=S.REVIEWED)
    response = client_for(reviewer).post(url("case_decide", app), {"decision": "approve"})
    assert response.status_code == 403
    assert state_of(app) == S.REVIEWED


def test_deciding_twice_is_a_conflict(client_for, reviewer, approver, approver2, producer):
    app = ow.case(producer, reviewer, approver, state=S.APPROVED)
    response = client_for(approver2).post(url("case_decide", app), {"decision": "approve"})
    assert response.status_code == 409
    assert app.licence.number


def test_approver_who_reviewed_sees_no_decision_form_and_a_forged_post_is_refused(
    client_for, producer, approver
):
    # given an official holding both roles who took and reviewed the case
    both = UserFactory(roles=[Role.REVIEWER, Role.APPROVER], email="both@authority.test")
    app = ow.case(producer, both, state=S.REVIEWED)
    # then the page shows no decision form but explains four-eyes
    page = client_for(both).get(url("case_detail", app)).content.decode()
    assert 'data-testid="decision"' not in page
    assert 'data-testid="four-eyes"' in page
    # and a forged decision is refused, nothing changes
    client = client_for(both)
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    response = client.post(url("case_decide", app), {"decision": "approve"})
    assert response.status_code == 403
    assert state_of(app) == S.REVIEWED
    # the only record written is the refusal itself (security events go to the audit trail)
    new = AuditEvent.objects.filter(id__gt=last).values_list("action", flat=True)
    assert list(new) == ["security.permission_denied"]
    # while another approver may decide
    assert (
        'data-testid="decision"'
        in client_for(approver).get(url("case_detail", app)).content.decode()
    )


def test_linked_official_is_refused(client_for, reviewer, approver, producer, company):
    app = ow.case(producer, reviewer, state=S.REVIEWED)
    OfficialLink.objects.create(official=approver, organisation=company, reason="Former employer")
    page = client_for(approver).get(url("case_detail", app)).content.decode()
    assert "You declared a link to this company" in page
    assert 'data-testid="decision"' not in page
    response = client_for(approver).post(url("case_decide", app), {"decision": "approve"})
    assert response.status_code == 403
    response = client_for(approver).post(url("case_note", app), {"body": "Looks fine"})
    assert response.status_code == 403
    assert state_of(app) == S.REVIEWED
    assert not InternalNote.objects.exists()


def test_approver_sends_back_with_a_reason(client_for, reviewer, approver, producer):
    app = ow.case(producer, reviewer, state=S.REVIEWED)
    response = client_for(approver).post(url("case_send_back", app), {"send_back-reason": ""})
    assert response.status_code == 400
    assert state_of(app) == S.REVIEWED
    response = client_for(approver).post(
        url("case_send_back", app), {"send_back-reason": "Check the ownership of the buyer."}
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert (app.status, app.recommendation) == (S.UNDER_REVIEW, "")


def test_close_as_lapsed_only_once_the_request_is_overdue(client_for, reviewer, producer):
    app = ow.case(producer, reviewer, state=S.INFORMATION_REQUESTED)
    page = client_for(reviewer).get(url("case_detail", app)).content.decode()
    assert "Close as lapsed" not in page
    response = client_for(reviewer).post(
        url("case_close_lapsed", app), {"lapse-reason": "No answer."}
    )
    assert response.status_code == 400
    assert "has until" in response.content.decode()
    assert state_of(app) == S.INFORMATION_REQUESTED
    ow.make_rfi_overdue(app)
    page = client_for(reviewer).get(url("case_detail", app)).content.decode()
    assert "Close as lapsed" in page
    response = client_for(reviewer).post(
        url("case_close_lapsed", app), {"lapse-reason": "No answer in 20 working days."}
    )
    assert response.status_code == 302
    assert state_of(app) == S.LAPSED


def test_fast_track_toggle_needs_a_reason_and_shortens_the_deadline(client_for, reviewer, producer):
    app = ow.case(producer, reviewer, state=S.UNDER_REVIEW)
    before = app.review_deadline
    response = client_for(reviewer).post(url("case_fast_track", app), {"fast_track": "on"})
    assert response.status_code == 400
    response = client_for(reviewer).post(
        url("case_fast_track", app), {"fast_track": "on", "reason": "Trusted EU end user"}
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.fast_track
    assert app.review_deadline < before


def test_fast_track_on_a_closed_case_is_a_conflict(client_for, reviewer, approver, producer):
    app = ow.case(producer, reviewer, approver, state=S.DENIED)
    response = client_for(reviewer).post(
        url("case_fast_track", app), {"fast_track": "on", "reason": "x"}
    )
    assert response.status_code == 409
    assert not Application.objects.get(pk=app.pk).fast_track


def test_internal_note_is_added_and_listed(client_for, reviewer, producer):
    app = ow.case(producer)
    response = client_for(reviewer).post(url("case_note", app), {"body": "Buyer known to us."})
    assert response.status_code == 302
    page = client_for(reviewer).get(url("case_detail", app)).content.decode()
    assert "Buyer known to us." in page
    assert client_for(reviewer).post(url("case_note", app), {"body": " "}).status_code == 400
    assert InternalNote.objects.count() == 1


def test_auditor_cannot_add_a_note(client_for, auditor, producer):
    app = ow.case(producer)
    assert client_for(auditor).post(url("case_note", app), {"body": "x"}).status_code == 403
    assert not InternalNote.objects.exists()


def test_document_download_is_an_attachment_with_nosniff(client_for, reviewer, producer):
    app = ow.case(producer)
    document = app.documents.first()
    response = client_for(reviewer).get(reverse("review:document_download", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_document_of_a_draft_is_not_served_to_officials(client_for, reviewer, producer):
    app = ow.draft(producer)
    document = app.documents.first()
    response = client_for(reviewer).get(reverse("review:document_download", args=[document.pk]))
    assert response.status_code == 404


def test_case_page_uses_a_fixed_number_of_queries(
    client_for, reviewer, producer, django_assert_max_num_queries
):
    small = ow.case(producer, reviewer, state=S.UNDER_REVIEW)
    big = ow.case(producer, reviewer, state=S.UNDER_REVIEW, quantities=["10"] * 12)
    for i in range(5):
        from apps.licensing import services

        services.note_add(actor=reviewer, application=big, body=f"note {i}")
    client = client_for(reviewer)
    client.get(url("case_detail", small))
    with django_assert_max_num_queries(25) as small_queries:
        client.get(url("case_detail", small))
    with django_assert_max_num_queries(25) as big_queries:
        client.get(url("case_detail", big))
    assert len(big_queries.captured_queries) == len(small_queries.captured_queries)
