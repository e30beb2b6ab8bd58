"""The officials' API: queue with filters and paging, the case with notes and hits, and every
action as a POST route answering JSON errors (400 / 403 / 409) that change nothing."""

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from apps.core.roles import Role
from apps.licensing import services
from apps.licensing.models import Application
from apps.licensing.workflow import ApplicationStatus as S
from tests.factories import UserFactory
from tests.licensing import official_world as ow

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def action(name, app):
    return reverse(f"api:review-case-{name}", args=[app.pk])


def state_of(app):
    return Application.objects.values_list("status", flat=True).get(pk=app.pk)


def test_queue_lists_open_cases_with_filters_and_paging(reviewer, producer):
    submitted = ow.case(producer)
    mine = ow.case(producer, reviewer, state=S.UNDER_REVIEW, destination_country="JP")
    response = api(reviewer).get(reverse("api:review-case-list"))
    assert response.status_code == 200
    assert response.data["count"] == 2
    row = next(r for r in response.data["results"] if r["id"] == mine.pk)
    assert row["clock"]["days_left"] == 45
    assert row["items"].startswith("Dy metal 100")
    filtered = api(reviewer).get(reverse("api:review-case-list"), {"assignee": "none"})
    assert [r["id"] for r in filtered.data["results"]] == [submitted.pk]
    filtered = api(reviewer).get(reverse("api:review-case-list"), {"destination": "JP"})
    assert [r["id"] for r in filtered.data["results"]] == [mine.pk]
    paged = api(reviewer).get(reverse("api:review-case-list"), {"page_size": 1})
    assert len(paged.data["results"]) == 1
    assert paged.data["next"]


def test_case_detail_has_notes_hits_and_available_actions(reviewer, producer):
    app = ow.case(producer)
    services.note_add(actor=reviewer, application=app, body="Check the buyer's owner.")
    response = api(reviewer).get(reverse("api:review-case-detail", args=[app.pk]))
    assert response.status_code == 200
    assert response.data["notes"][0]["body"] == "Check the buyer's owner."
    assert response.data["parties"][0]["hits"] == []
    assert response.data["available_actions"] == ["take"]
    assert len(response.data["documents"]) == 4


def test_full_review_through_the_api(reviewer, approver, producer):
    app = ow.case(producer)
    assert api(reviewer).post(action("take", app)).status_code == 200
    response = api(reviewer).post(action("request-information", app), {"question": "EUC?"})
    assert response.data["status"] == S.INFORMATION_REQUESTED
    services.rfi_answer(actor=producer, application=app, answer="Attached.")
    response = api(reviewer).post(
        action("recommend", app), {"recommendation": "approve", "reasons": "Complete."}
    )
    assert response.data["status"] == S.REVIEWED
    line = app.lines.get()
    response = api(approver).post(
        action("decide", app),
        {"decision": "approve", "approved_quantities": {str(line.pk): "25.5"}},
        format="json",
    )
    assert response.status_code == 200, response.data
    assert response.data["status"] == S.APPROVED
    app.refresh_from_db()
    assert app.licence.lines.get().quantity_granted == Decimal("25.500")


def test_forged_decision_by_the_reviewer_is_403_and_changes_nothing(reviewer, producer):
    app = ow.case(producer, reviewer, state=S.REVIEWED)
    response = api(reviewer).post(action("decide", app), {"decision": "approve"})
    assert response.status_code == 403
    assert response.data["error"]["code"] == "permission_denied"
    assert state_of(app) == S.REVIEWED


def test_approver_who_reviewed_is_refused_by_the_api(producer):
    both = UserFactory(roles=[Role.REVIEWER, Role.APPROVER], email="both@authority.test")
    app = ow.case(producer, both, state=S.REVIEWED)
    response = api(both).post(action("decide", app), {"decision": "approve"})
    assert response.status_code == 403
    assert state_of(app) == S.REVIEWED


def test_stale_action_is_409(reviewer, producer):
    app = ow.case(producer, reviewer, state=S.UNDER_REVIEW)
    response = api(reviewer).post(action("take", app))
    assert response.status_code == 409
    assert response.data["error"]["code"] == "conflict"


def test_bad_input_names_the_field(reviewer, approver, producer):
    app = ow.case(producer, reviewer, state=S.REVIEWED)
    response = api(approver).post(action("decide", app), {"decision": "maybe"})
    assert response.status_code == 400
    assert "decision" in response.data["error"]["fields"]
    line = app.lines.get()
    response = api(approver).post(
        action("decide", app),
        {"decision": "approve", "approved_quantities": {str(line.pk): "500"}},
        format="json",
    )
    assert response.status_code == 400
    assert f"line_{line.pk}" in response.data["error"]["fields"]
    assert state_of(app) == S.REVIEWED


def test_assign_send_back_fast_track_note_and_lapse(reviewer, approver, producer):
    app = ow.case(producer)
    response = api(approver).post(action("assign", app), {"reviewer": reviewer.pk})
    assert response.data["assigned_reviewer"]["id"] == reviewer.pk
    response = api(approver).post(action("assign", app), {"reviewer": 999999})
    assert response.status_code == 400
    response = api(reviewer).post(action("fast-track", app), {"fast_track": True, "reason": "EU"})
    assert response.data["fast_track"] is True
    response = api(reviewer).post(action("note", app), {"body": "Internal."})
    assert response.data["notes"][0]["body"] == "Internal."
    api(reviewer).post(action("recommend", app), {"recommendation": "deny", "reasons": "Listed"})
    response = api(approver).post(action("send-back", app), {"reason": "Look again"})
    assert response.data["status"] == S.UNDER_REVIEW
    api(reviewer).post(action("request-information", app), {"question": "Owner?"})
    ow.make_rfi_overdue(app)
    response = api(reviewer).post(action("close-lapsed", app), {"reason": "No answer"})
    assert response.data["status"] == S.LAPSED


def test_auditor_reads_but_cannot_act(auditor, producer):
    app = ow.case(producer)
    assert api(auditor).get(reverse("api:review-case-detail", args=[app.pk])).status_code == 200
    assert api(auditor).post(action("take", app)).status_code == 403


def test_producer_serializer_is_not_reachable_by_producers(producer):
    app = ow.case(producer)
    response = api(producer).get(reverse("api:review-case-detail", args=[app.pk]))
    assert response.status_code == 403


def test_licence_actions_and_amendment_decision(approver, reviewer, producer):
    licence = ow.licence(producer, reviewer, approver)
    suspend = reverse("api:review-licence-suspend", args=[licence.pk])
    assert api(approver).post(suspend, {}).status_code == 400
    assert api(approver).post(suspend, {"reason": "Audit"}).data["status"] == "suspended"
    reinstate = reverse("api:review-licence-reinstate", args=[licence.pk])
    assert api(approver).post(reinstate, {"reason": "Clear"}).data["status"] == "active"
    listing = api(reviewer).get(reverse("api:review-licence-list"), {"status": "active"})
    assert [row["number"] for row in listing.data["results"]] == [licence.number]
    amendment = ow.amendment(producer, licence)
    decide = reverse("api:review-amendment-decide", args=[amendment.pk])
    response = api(approver).post(decide, {"decision": "grant", "reason": "Fine"})
    assert response.data["status"] == "granted"
    assert api(approver).post(decide, {"decision": "grant", "reason": "x"}).status_code == 409
    revoke = reverse("api:review-licence-revoke", args=[licence.pk])
    assert api(reviewer).post(revoke, {"reason": "x"}).status_code == 403


def test_schema_documents_the_review_routes(reviewer):
    response = api(reviewer).get(reverse("api-schema"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "/api/v1/review/cases/{id}/decide/" in body
