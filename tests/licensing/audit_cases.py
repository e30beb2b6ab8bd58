"""Audit cases for apps/licensing/services/ (see tests/audit/coverage.py).

The state is built with tests/licensing/official_world.py (plain functions over the real
services): the licensing conftest fixtures are not visible to tests/audit.
"""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.licensing import services
from apps.licensing.models import REQUIRED_DOCUMENTS, Document, Licence
from apps.licensing.workflow import ApplicationStatus as S
from tests.audit.coverage import AuditCase, Expect
from tests.licensing import official_world as ow


def _new(fx):
    return services.application_create(actor=fx("producer"), data=ow.HEADER)


def _draft(fx):
    return ow.draft(fx("producer"))


def _case(state):
    return lambda fx: ow.case(fx("producer"), fx("reviewer"), fx("approver"), state=state)


def _licence(fx):
    return ow.licence(fx("producer"), fx("reviewer"), fx("approver"))


def _lapsing(fx):
    app = _case(S.INFORMATION_REQUESTED)(fx)
    ow.make_rfi_overdue(app)
    return app


def _expiring(fx):
    licence = _licence(fx)
    yesterday = timezone.localdate() - timedelta(days=1)
    Licence.objects.filter(pk=licence.pk).update(issued_on=yesterday, valid_until=yesterday)
    return licence


def _remove_document(fx, app):
    document = app.documents.order_by("pk").first()
    gone = Document(pk=document.pk)  # delete() clears the instance's pk
    services.document_remove(actor=fx("producer"), document=document)
    return Expect("document.remove", gone, actor=fx("producer"), changes=("sha256",))


def _transition(name, call, actor="producer", changes=("status",)):
    """A case for a service that moves the application: its one event is `application.<name>`."""

    def run(fx, app):
        call(fx, app)
        app.refresh_from_db()
        return Expect(f"application.{name}", app, actor=fx(actor), changes=changes)

    return run


CASES = {
    "application_create": AuditCase(
        call=lambda fx, _: Expect(
            "application.create",
            _new(fx),
            actor=fx("producer"),
            changes=("licence_type", "destination_country"),
        )
    ),
    "application_update": AuditCase(
        setup=_new,
        call=lambda fx, app: Expect(
            "application.update",
            services.application_update(
                actor=fx("producer"), application=app, data={"port_of_exit": "Ningbo"}
            ),
            actor=fx("producer"),
            changes=("port_of_exit",),
        ),
    ),
    "application_set_parties": AuditCase(
        setup=_new,
        call=lambda fx, app: Expect(
            "application.set_parties",
            services.application_set_parties(
                actor=fx("producer"),
                application=app,
                parties=[
                    (ow.buyer_for(fx("producer")).pk, role)
                    for role in ("purchaser", "consignee", "end_user")
                ],
            ),
            actor=fx("producer"),
        ),
    ),
    "document_add": AuditCase(
        setup=_new,
        call=lambda fx, app: Expect(
            "document.add",
            services.document_add(
                actor=fx("producer"),
                application=app,
                kind=next(iter(REQUIRED_DOCUMENTS)),
                upload=SimpleUploadedFile("euc.pdf", ow.PDF, content_type="application/pdf"),
            ),
            actor=fx("producer"),
        ),
    ),
    "document_remove": AuditCase(setup=_draft, call=_remove_document),
    "application_submit": AuditCase(
        setup=_draft,
        call=_transition(
            "submit",
            lambda fx, app: services.application_submit(actor=fx("producer"), application=app),
            changes=("status", "uncontrolled_lines"),
        ),
    ),
    "application_withdraw": AuditCase(
        setup=_case(S.SUBMITTED),
        call=_transition(
            "withdraw",
            lambda fx, app: services.application_withdraw(
                actor=fx("producer"), application=app, reason="Contract cancelled"
            ),
            changes=("status", "reason"),
        ),
    ),
    "application_copy": AuditCase(
        setup=_draft,
        call=lambda fx, app: Expect(
            "application.copy",
            services.application_copy(actor=fx("producer"), application=app),
            actor=fx("producer"),
            changes=("from",),
        ),
    ),
    "application_take": AuditCase(
        setup=_case(S.SUBMITTED),
        call=_transition(
            "take",
            lambda fx, app: services.application_take(actor=fx("reviewer"), application=app),
            actor="reviewer",
        ),
    ),
    "application_assign": AuditCase(
        setup=_case(S.SUBMITTED),
        call=_transition(
            "assign",
            lambda fx, app: services.application_assign(
                actor=fx("approver"), application=app, reviewer=fx("reviewer")
            ),
            actor="approver",
        ),
    ),
    "rfi_raise": AuditCase(
        setup=_case(S.UNDER_REVIEW),
        call=_transition(
            "request_information",
            lambda fx, app: services.rfi_raise(
                actor=fx("reviewer"), application=app, question="Send the signed EUC."
            ),
            actor="reviewer",
            changes=("status", "rfi", "due_on"),
        ),
    ),
    "rfi_answer": AuditCase(
        setup=_case(S.INFORMATION_REQUESTED),
        call=_transition(
            "answer_information",
            lambda fx, app: services.rfi_answer(
                actor=fx("producer"), application=app, answer="Signed EUC attached."
            ),
            changes=("status", "rfi", "answer_length"),
        ),
    ),
    "application_close_lapsed": AuditCase(
        setup=_lapsing,
        call=lambda fx, app: Expect(
            "application.close_lapsed",
            services.application_close_lapsed(
                actor=None, application=app, reason="No answer in 20 working days."
            ),
            actor_label="system",
            changes=("status", "reason"),
        ),
        in_request=False,
    ),
    "application_recommend": AuditCase(
        setup=_case(S.UNDER_REVIEW),
        call=_transition(
            "recommend",
            lambda fx, app: services.application_recommend(
                actor=fx("reviewer"), application=app, recommendation="approve", reasons="Clear."
            ),
            actor="reviewer",
        ),
    ),
    "application_send_back": AuditCase(
        setup=_case(S.REVIEWED),
        call=_transition(
            "send_back",
            lambda fx, app: services.application_send_back(
                actor=fx("approver"), application=app, reason="Check the buyer's owners."
            ),
            actor="approver",
            changes=("status", "reason"),
        ),
    ),
    "application_decide": AuditCase(
        setup=_case(S.REVIEWED),
        call=_transition(
            "approve",
            lambda fx, app: services.application_decide(
                actor=fx("approver"), application=app, decision="approve"
            ),
            actor="approver",
            changes=("status", "granted", "licence", "valid_until"),
        ),
    ),
    "application_set_fast_track": AuditCase(
        setup=_case(S.SUBMITTED),
        call=lambda fx, app: Expect(
            "application.set_fast_track",
            services.application_set_fast_track(
                actor=fx("reviewer"), application=app, fast_track=True, reason="Trusted end user"
            ),
            actor=fx("reviewer"),
            changes=("fast_track", "reason"),
        ),
    ),
    "note_add": AuditCase(
        setup=_case(S.SUBMITTED),
        call=lambda fx, app: Expect(
            "note.add",
            services.note_add(actor=fx("reviewer"), application=app, body="Call the buyer."),
            actor=fx("reviewer"),
            changes=("application",),
        ),
    ),
    "applications_recompute_clocks": AuditCase(
        setup=_case(S.SUBMITTED),
        call=lambda fx, _: Expect(
            "applications.recompute_clocks",
            None if services.applications_recompute_clocks() >= 0 else "refused",
            actor_label="system",
            changes=("open_cases", "changed"),
        ),
        in_request=False,
    ),
    "licence_transition": AuditCase(
        setup=_licence,
        call=lambda fx, licence: Expect(
            "licence.suspend",
            services.licence_transition(
                actor=fx("approver"), licence=licence, action="suspend", reason="End-use check"
            ),
            actor=fx("approver"),
            changes=("status", "reason"),
        ),
    ),
    "licences_expire_due": AuditCase(
        setup=_expiring,
        call=lambda fx, licence: Expect(
            "licence.expire",
            licence if services.licences_expire_due() == 1 else None,
            actor_label="system",
            changes=("status",),
        ),
        in_request=False,
    ),
    "amendment_request": AuditCase(
        setup=_licence,
        call=lambda fx, licence: Expect(
            "amendment.request",
            ow.amendment(fx("producer"), licence),
            actor=fx("producer"),
            changes=("port_of_exit",),
        ),
    ),
    "amendment_decide": AuditCase(
        setup=lambda fx: ow.amendment(fx("producer"), _licence(fx)),
        call=lambda fx, amendment: Expect(
            "amendment.grant",
            services.amendment_decide(
                actor=fx("approver"), amendment=amendment, grant=True, reason="Port is fine."
            ),
            actor=fx("approver"),
            changes=("reason", "port_of_exit"),
        ),
    ),
}

NOT_WRITES = {
    "completeness_problems": "lists what a draft still lacks; a read, writes nothing",
    "max_validity": "the longest validity for a licence type; pure, writes nothing",
    "catalogue_entry_ids": (
        "the element column's value for an application's lines; pure, the write that stores "
        "it is the application service's own (audited there)"
    ),
    "licence_issue": (
        "a step of application_decide (approve) inside its transaction; the approval's one "
        "event `application.approve` names the licence, its number and validity"
    ),
}
