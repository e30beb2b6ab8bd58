from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.core.errors import ConflictError, DomainError, PermissionDeniedError
from apps.core.roles import Role
from apps.licensing import services
from apps.licensing.models import Application, Licence, OfficialLink
from apps.licensing.workflow import ApplicationStatus as S
from tests.factories import UserFactory
from tests.licensing.conftest import make_client, pdf

pytestmark = pytest.mark.django_db


def test_incomplete_submission_lists_every_missing_piece_and_changes_nothing(producer, dysprosium):
    app = services.application_create(actor=producer, data={"licence_type": "general"})

    with pytest.raises(DomainError) as refused:
        services.application_submit(actor=producer, application=app)

    problems = refused.value.field_errors["__all__"]
    for expected in [
        "contract number",
        "port of exit",
        "at least one line",
        "purchaser",
        "end user",
        "end-user certificate",
        "internal compliance programme",
    ]:
        assert any(expected in p for p in problems), (expected, problems)
    app.refresh_from_db()
    assert app.status == S.DRAFT
    assert not app.transitions.exists()


def test_submission_starts_the_45_working_day_clock(make_draft, producer):
    app = make_draft()

    services.application_submit(actor=producer, application=app)

    app.refresh_from_db()
    assert app.status == S.SUBMITTED
    assert app.accepted_on == timezone.localdate()
    assert app.clock_running_since == app.accepted_on
    assert app.review_deadline > app.accepted_on + timedelta(days=45 + 12)
    assert (
        AuditEvent.objects.filter(action="application.submit", object_id=str(app.pk)).count() == 1
    )


def test_a_line_not_controlled_on_the_submission_date_is_flagged(make_draft, producer):
    from apps.catalogue.models import CatalogueEntry

    today = timezone.localdate()
    suspended = CatalogueEntry.objects.create(
        control_code="1C999",
        sub_item="a",
        element="testium",
        symbol="Tt",
        name="Testium metal",
        forms=["metal"],
        hs_codes=["2805309999"],
        effective_from=today - timedelta(days=30),
        suspended_until=today + timedelta(days=300),
    )
    app = make_draft()
    line = app.lines.get()
    line.catalogue_entry = suspended
    line.form = (suspended.forms or ["metal"])[0]
    line.save()

    services.application_submit(actor=producer, application=app)

    line.refresh_from_db()
    assert line.controlled_on_submission is False


def test_request_for_information_stops_the_clock_and_the_answer_restarts_it(
    make_draft, advance, producer, reviewer
):
    app = advance(make_draft(), S.UNDER_REVIEW)
    start = timezone.localdate()

    services.rfi_raise(actor=reviewer, application=app, question="Send the end-user certificate.")
    app.refresh_from_db()
    assert app.status == S.INFORMATION_REQUESTED
    assert app.review_deadline is None
    assert app.clock_running_since is None

    with time_machine.travel(timezone.now() + timedelta(days=14)):
        services.rfi_answer(actor=producer, application=app, answer="Attached.")
        app.refresh_from_db()
        assert app.status == S.UNDER_REVIEW
        assert app.clock_running_since == start + timedelta(days=14)
        assert app.review_deadline > start + timedelta(days=14 + 45)


def test_lapse_is_possible_only_after_the_due_date(make_draft, advance, reviewer):
    app = advance(make_draft(), S.INFORMATION_REQUESTED)

    with pytest.raises(DomainError, match="has until"):
        services.application_close_lapsed(actor=reviewer, application=app, reason="No answer")
    with time_machine.travel(timezone.now() + timedelta(days=40)):
        services.application_close_lapsed(actor=reviewer, application=app, reason="No answer")

    app.refresh_from_db()
    assert app.status == S.LAPSED


def test_approval_issues_a_licence_with_balances(make_draft, advance, approver):
    app = advance(make_draft(), S.REVIEWED)

    _app, licence = services.application_decide(
        actor=approver, application=app, decision="approve", conditions="No re-export."
    )

    assert licence.number.startswith(f"RT-{timezone.localdate().year}-")
    line = licence.lines.get()
    assert line.quantity_granted == line.balance == Decimal("100.000")
    assert licence.conditions == "No re-export."
    assert licence.valid_until <= licence.issued_on.replace(year=licence.issued_on.year + 1)


def test_partial_approval_grants_less_than_asked(make_draft, advance, approver):
    app = advance(make_draft(), S.REVIEWED)
    line = app.lines.get()

    _app, licence = services.application_decide(
        actor=approver,
        application=app,
        decision="approve",
        approved_quantities={line.pk: Decimal("40")},
        reasons="Volume above history.",
    )

    assert licence.lines.get().quantity_granted == Decimal("40")


def test_granting_more_than_asked_is_refused(make_draft, advance, approver):
    app = advance(make_draft(), S.REVIEWED)
    line = app.lines.get()

    with pytest.raises(DomainError, match="between 0 and"):
        services.application_decide(
            actor=approver,
            application=app,
            decision="approve",
            approved_quantities={line.pk: Decimal("101")},
        )
    app.refresh_from_db()
    assert app.status == S.REVIEWED
    assert not Licence.objects.exists()


def test_approver_never_decides_a_case_they_reviewed(make_draft, producer):
    both = UserFactory(roles=[Role.REVIEWER, Role.APPROVER])
    app = make_draft()
    services.application_submit(actor=producer, application=app)
    services.application_take(actor=both, application=app)
    services.application_recommend(
        actor=both, application=app, recommendation="approve", reasons="Fine."
    )

    with pytest.raises(PermissionDeniedError):
        services.application_decide(actor=both, application=app, decision="approve")
    app.refresh_from_db()
    assert app.status == S.REVIEWED


def test_officials_linked_to_the_company_cannot_act(make_draft, advance, approver, company):
    app = advance(make_draft(), S.REVIEWED)
    OfficialLink.objects.create(official=approver, organisation=company, reason="Former employee")

    with pytest.raises(PermissionDeniedError):
        services.application_decide(actor=approver, application=app, decision="approve")


def test_deny_needs_a_reason(make_draft, advance, approver):
    app = advance(make_draft(), S.REVIEWED)
    with pytest.raises(DomainError, match="reason"):
        services.application_decide(actor=approver, application=app, decision="deny")


def test_a_forged_transition_changes_nothing(
    make_draft, advance, producer, reviewer, other_producer
):
    app = advance(make_draft(), S.SUBMITTED)

    with pytest.raises(ConflictError):
        services.application_recommend(
            actor=reviewer, application=app, recommendation="approve", reasons="x"
        )
    with pytest.raises(PermissionDeniedError):
        services.application_withdraw(actor=other_producer, application=app, reason="x")
    with pytest.raises(PermissionDeniedError):
        services.application_take(actor=producer, application=app)

    app.refresh_from_db()
    assert app.status == S.SUBMITTED
    assert app.transitions.count() == 1


def test_the_same_action_twice_is_refused_as_already_done(make_draft, producer):
    app = make_draft()
    services.application_submit(actor=producer, application=app)

    with pytest.raises(ConflictError, match="no longer possible"):
        services.application_submit(actor=producer, application=app)
    assert app.transitions.count() == 1


def test_parties_must_come_from_the_producers_own_book(
    make_draft, producer, other_company, other_producer
):
    foreign = make_client(other_company, other_producer, "Foreign Buyer KK", ["purchaser"], "JP")
    app = make_draft()

    with pytest.raises(DomainError, match="not in your client book"):
        services.application_set_parties(
            actor=producer, application=app, parties=[(foreign.pk, "purchaser")]
        )
    assert app.parties.count() == 3


def test_a_document_is_checked_by_content_not_by_name(make_draft, producer):
    app = make_draft()
    fake = SimpleUploadedFile(
        "contract.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )

    with pytest.raises(DomainError, match="not a PDF, PNG or JPEG"):
        services.document_add(actor=producer, application=app, kind="contract", upload=fake)
    assert app.documents.count() == 4


def test_stored_document_gets_a_server_generated_name(make_draft):
    doc = make_draft().documents.first()
    assert doc.original_name.endswith(".pdf")
    assert doc.original_name not in doc.file.name
    assert len(doc.sha256) == 64


def test_copy_makes_a_new_draft_with_lines_and_parties(make_draft, advance, producer):
    app = advance(make_draft(), S.DENIED)

    copy = services.application_copy(actor=producer, application=app)

    assert copy.status == S.DRAFT
    assert copy.copied_from == app
    assert copy.lines.count() == 1
    assert copy.parties.count() == 3
    assert copy.documents.count() == 0


def test_withdrawal_before_decision(make_draft, advance, producer):
    app = advance(make_draft(), S.UNDER_REVIEW)
    services.application_withdraw(actor=producer, application=app, reason="Contract cancelled")
    app.refresh_from_db()
    assert app.status == S.WITHDRAWN
    assert app.review_deadline is None


def test_fast_track_is_set_by_officials_and_shortens_the_clock(
    make_draft, advance, reviewer, producer
):
    app = advance(make_draft(), S.UNDER_REVIEW)
    normal = app.review_deadline

    with pytest.raises(PermissionDeniedError):
        services.application_set_fast_track(
            actor=producer, application=app, fast_track=True, reason="We are trusted"
        )
    services.application_set_fast_track(
        actor=reviewer, application=app, fast_track=True, reason="Trusted EU automotive end user"
    )

    app.refresh_from_db()
    assert app.review_deadline < normal


@pytest.fixture
def licence(make_draft, advance):
    app = advance(make_draft(), S.APPROVED)
    return app.licence


def test_licence_lifecycle_by_approvers_and_holder(licence, approver, producer):
    services.licence_transition(actor=approver, licence=licence, action="suspend", reason="Probe")
    services.licence_transition(actor=approver, licence=licence, action="reinstate", reason="Clear")
    services.licence_transition(actor=producer, licence=licence, action="surrender", reason="Done")

    licence.refresh_from_db()
    assert licence.status == "surrendered"
    assert [t.action for t in licence.transitions.all()] == [
        "issue",
        "suspend",
        "reinstate",
        "surrender",
    ]


def test_producers_cannot_suspend_and_approvers_cannot_surrender(licence, approver, producer):
    with pytest.raises(PermissionDeniedError):
        services.licence_transition(actor=producer, licence=licence, action="suspend", reason="x")
    with pytest.raises(PermissionDeniedError):
        services.licence_transition(actor=approver, licence=licence, action="surrender", reason="x")


def test_expiry_sweep_expires_only_licences_past_validity(licence):
    assert services.licences_expire_due(today=licence.valid_until) == 0
    assert services.licences_expire_due(today=licence.valid_until + timedelta(days=1)) == 1
    assert services.licences_expire_due(today=licence.valid_until + timedelta(days=1)) == 0
    licence.refresh_from_db()
    assert licence.status == "expired"


def test_amendment_of_a_key_element_needs_a_new_application(licence, producer):
    with pytest.raises(DomainError, match="new application"):
        services.amendment_request(
            actor=producer,
            licence=licence,
            changes={"destination_country": "FR"},
            justification="Moved",
        )


def test_granted_amendment_changes_the_licence(licence, producer, approver):
    amendment = services.amendment_request(
        actor=producer,
        licence=licence,
        changes={"port_of_exit": "Ningbo"},
        justification="Ship leaves from Ningbo",
    )

    services.amendment_decide(actor=approver, amendment=amendment, grant=True, reason="Fine")

    licence.refresh_from_db()
    assert licence.port_of_exit == "Ningbo"
    with pytest.raises(ConflictError):
        services.amendment_decide(actor=approver, amendment=amendment, grant=False, reason="x")


def test_draft_edits_are_refused_after_submission(make_draft, producer):
    app = make_draft()
    services.application_submit(actor=producer, application=app)

    with pytest.raises(DomainError, match="Only a draft"):
        services.application_update(
            actor=producer, application=app, data={"port_of_exit": "Xiamen"}
        )
    app.refresh_from_db()
    assert app.port_of_exit == "Shanghai"


def test_upload_of_an_rfi_attachment_is_allowed_while_information_is_requested(
    make_draft, advance, producer
):
    app = advance(make_draft(), S.INFORMATION_REQUESTED)
    doc = services.document_add(actor=producer, application=app, kind="rfi_answer", upload=pdf())
    assert doc.application == app
    assert Application.objects.get(pk=app.pk).documents.count() == 5
