"""The licensing app's tasks, chases and API writes (see tests/audit/coverage.py).

The state is built through the real services with tests/licensing/official_world.py, as the
licensing audit cases do; the chases run on the seeded official calendar around Spring Festival
2026, as tests/licensing/test_chases.py walks them (Sat 14 and 28 Feb are working days).
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.licensing import services
from apps.licensing.models import REQUIRED_DOCUMENTS, Application, Document, Licence
from apps.licensing.workflow import ApplicationStatus as S
from apps.workcalendar import services as calendar_services
from tests.audit.coverage import ApiCase, Expect, TaskCase
from tests.licensing import official_world as ow
from tests.licensing.audit_cases import _case, _expiring, _lapsing

SHANGHAI = ZoneInfo("Asia/Shanghai")
BY_CHASE = "task notifications.run_chases"


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=SHANGHAI)


def _on(when: datetime, build):
    """`build(fx)` run on `when`, on the official calendar."""

    def setup(fx):
        calendar_services.calendar_seed_from_library(years=range(2025, 2028))
        with time_machine.travel(when, tick=False):
            return build(fx)

    return setup


def _submitted(fx) -> Application:
    fx("reviewer")  # a reviewer free to be given the case
    return ow.case(fx("producer"))


def _taken(fx, fast_track: bool = False) -> Application:
    app = ow.case(fx("producer"))
    services.application_take(actor=fx("reviewer"), application=app)
    if fast_track:  # 10 working days from Mon 9 Feb: the deadline is Sat 28 Feb
        services.application_set_fast_track(
            actor=fx("reviewer"), application=app, fast_track=True, reason="Trusted end user"
        )
    return ow.refreshed(app)


def _state(state):
    return lambda fx: ow.case(fx("producer"), fx("reviewer"), fx("approver"), state=state)


def _open_rfi(fx):
    app = _state(S.INFORMATION_REQUESTED)(fx)  # raised Mon 2 Feb, 10 working days: due 14 Feb
    return app.information_requests.get(status="open")


def _expiring_in_march(fx) -> Licence:
    licence = ow.licence(fx("producer"), fx("reviewer"), fx("approver"))
    Licence.objects.filter(pk=licence.pk).update(valid_until=date(2026, 3, 31))
    return licence


def _digest_day(fx):
    app = _taken(fx)
    Application.objects.filter(pk=app.pk).update(review_deadline=date(2026, 2, 24))
    return fx("reviewer")


def _reminder(obj=lambda state: state, *changes):
    return lambda fx, state: Expect(
        "reminder.send",
        obj(state),
        actor_label=BY_CHASE,
        changes=("chase", "threshold", "recipients", *changes),
    )


TASK_CASES = {
    "licensing.expire_licences": TaskCase(
        setup=_expiring,
        expect=lambda fx, licence: Expect(
            "licence.expire",
            licence,
            actor_label="task licensing.expire_licences",
            changes=("status",),
        ),
    ),
    "licensing.recompute_clocks": TaskCase(
        setup=_case(S.SUBMITTED),
        expect=lambda fx, _: Expect(
            "applications.recompute_clocks",
            None,
            actor_label="task licensing.recompute_clocks",
            changes=("open_cases", "changed"),
        ),
    ),
}

RFI_DAYS = {"LICENSING_RFI_DAYS": 10}
DAILY = {"LICENSING_DAILY_CHASE_HOUR": 8}
CHASE_CASES = {
    # Nobody took it for 8 working hours: the chase assigns it; the assignment is the event.
    "licensing.untaken": TaskCase(
        setup=_on(at(2, 9), _submitted),
        at=at(2, 11),
        expect=lambda fx, app: Expect(
            "application.assign",
            app,
            actor_label=BY_CHASE,
            changes=("status", "assigned_reviewer"),
        ),
    ),
    "licensing.review_deadline": TaskCase(
        setup=_on(at(2, 9), lambda fx: _taken(fx, fast_track=True)),
        at=at(2, 9, 18),  # 10 working days left
        expect=_reminder(),
    ),
    "licensing.review_overdue": TaskCase(
        setup=_on(at(2, 9), lambda fx: _taken(fx, fast_track=True)),
        at=at(3, 2),
        expect=_reminder(),
    ),
    "licensing.decision_waiting": TaskCase(
        settings=DAILY,
        setup=_on(at(2, 13), _state(S.REVIEWED)),
        at=at(2, 14, 9),  # an adjusted working Saturday
        expect=_reminder(),
    ),
    "licensing.decision_overdue": TaskCase(
        settings={**DAILY, "LICENSING_DECISION_ESCALATE_DAYS": 3},
        setup=_on(at(2, 13), _state(S.REVIEWED)),
        at=at(2, 25, 9),  # 3 working days after 13 Feb: 14, 24, 25
        expect=_reminder(),
    ),
    "licensing.rfi_due": TaskCase(
        settings=RFI_DAYS,
        setup=_on(at(2, 2), _open_rfi),
        at=at(2, 9),  # 5 working days before 14 Feb
        expect=_reminder(),
    ),
    # Unanswered past its due date and LICENSING_RFI_AUTO_LAPSE: closing the case is the event.
    "licensing.rfi_lapsed": TaskCase(
        settings={**RFI_DAYS, "LICENSING_RFI_AUTO_LAPSE": True},
        setup=_on(at(2, 2), _open_rfi),
        at=at(2, 15, 9),
        expect=lambda fx, rfi: Expect(
            "application.close_lapsed",
            rfi.application,
            actor_label=BY_CHASE,
            changes=("status", "reason"),
        ),
    ),
    "licensing.licence_expiry": TaskCase(
        setup=_on(at(1, 5), _expiring_in_march),
        at=at(3, 2),  # within 30 days of 31 March
        expect=_reminder(),
    ),
    "licensing.official_digest": TaskCase(
        setup=_on(at(2, 12), _digest_day),
        at=at(2, 14, 9),
        expect=_reminder(),
    ),
}


# -- the API -------------------------------------------------------------------------------------


def _new_draft(fx) -> Application:
    return services.application_create(actor=fx("producer"), data=ow.HEADER)


def _created(response) -> Application:
    return Application.objects.get(pk=response.json()["id"])


def _url(name: str, obj=None) -> str:
    return reverse(name, args=[obj.pk] if obj is not None else [])


def _producer(name, setup, body, action, *changes, obj=lambda app, response: app):
    return ApiCase(
        user="producer",
        setup=setup,
        call=lambda fx, app: (_url(name, app), body),
        expect=lambda fx, app, response: Expect(
            action, obj(app, response), actor=fx("producer"), changes=changes
        ),
    )


def _official(user, name, setup, body, action, *changes, obj=lambda app: app):
    return ApiCase(
        user=user,
        setup=setup,
        call=lambda fx, app: (_url(name, app), body(fx) if callable(body) else body),
        expect=lambda fx, app, response: Expect(action, obj(app), actor=fx(user), changes=changes),
    )


def _suspended(fx) -> Licence:
    licence = ow.licence(fx("producer"), fx("reviewer"), fx("approver"))
    return services.licence_transition(
        actor=fx("approver"), licence=licence, action="suspend", reason="End-use check"
    )


def _amendment(fx):
    return ow.amendment(fx("producer"), ow.licence(fx("producer"), fx("reviewer"), fx("approver")))


def _licence(fx) -> Licence:
    return ow.licence(fx("producer"), fx("reviewer"), fx("approver"))


API_CASES = {
    "api:application-list POST": ApiCase(
        user="producer",
        call=lambda fx, _: (_url("api:application-list"), {"licence_type": "single"}),
        expect=lambda fx, _, response: Expect(
            "application.create",
            _created(response),
            actor=fx("producer"),
            changes=("licence_type",),
        ),
    ),
    "api:application-detail PUT": _producer(
        "api:application-detail",
        _new_draft,
        {"licence_type": "general", "port_of_exit": "Ningbo"},
        "application.update",
        "licence_type",
        "port_of_exit",
    ),
    "api:application-detail PATCH": _producer(
        "api:application-detail",
        _new_draft,
        {"port_of_exit": "Ningbo"},
        "application.update",
        "port_of_exit",
    ),
    "api:application-submit POST": _producer(
        "api:application-submit",
        lambda fx: ow.draft(fx("producer")),
        {},
        "application.submit",
        "status",
    ),
    "api:application-withdraw POST": _producer(
        "api:application-withdraw",
        _state(S.SUBMITTED),
        {"reason": "Contract cancelled"},
        "application.withdraw",
        "status",
        "reason",
    ),
    "api:application-copy POST": _producer(
        "api:application-copy",
        _new_draft,
        {},
        "application.copy",
        "from",
        obj=lambda app, response: _created(response),
    ),
    "api:application-answer POST": _producer(
        "api:application-answer",
        _state(S.INFORMATION_REQUESTED),
        {"answer": "The signed EUC is attached."},
        "application.answer_information",
        "status",
        "rfi",
    ),
    "api:application-documents POST": ApiCase(
        user="producer",
        setup=_new_draft,
        call=lambda fx, app: (
            _url("api:application-documents", app),
            {
                "kind": next(iter(REQUIRED_DOCUMENTS)),
                "file": SimpleUploadedFile("euc.pdf", ow.PDF, content_type="application/pdf"),
            },
        ),
        expect=lambda fx, app, response: Expect(
            "document.add",
            Document.objects.get(pk=response.json()["id"]),
            actor=fx("producer"),
            changes=("kind", "sha256"),
        ),
        multipart=True,
    ),
    "api:review-case-take POST": _official(
        "reviewer", "api:review-case-take", _state(S.SUBMITTED), {}, "application.take", "status"
    ),
    "api:review-case-assign POST": _official(
        "approver",
        "api:review-case-assign",
        _state(S.SUBMITTED),
        lambda fx: {"reviewer": fx("reviewer").pk},
        "application.assign",
        "assigned_reviewer",
    ),
    "api:review-case-request-information POST": _official(
        "reviewer",
        "api:review-case-request-information",
        _state(S.UNDER_REVIEW),
        {"question": "Send the signed EUC."},
        "application.request_information",
        "rfi",
        "due_on",
    ),
    "api:review-case-recommend POST": _official(
        "reviewer",
        "api:review-case-recommend",
        _state(S.UNDER_REVIEW),
        {"recommendation": "approve", "reasons": "Complete and clear."},
        "application.recommend",
        "status",
    ),
    "api:review-case-send-back POST": _official(
        "approver",
        "api:review-case-send-back",
        _state(S.REVIEWED),
        {"reason": "Check the buyer's owners."},
        "application.send_back",
        "status",
        "reason",
    ),
    "api:review-case-close-lapsed POST": _official(
        "reviewer",
        "api:review-case-close-lapsed",
        _lapsing,
        {"reason": "No answer in 20 working days."},
        "application.close_lapsed",
        "status",
        "reason",
    ),
    "api:review-case-decide POST": _official(
        "approver",
        "api:review-case-decide",
        _state(S.REVIEWED),
        {"decision": "approve"},
        "application.approve",
        "status",
        "licence",
    ),
    "api:review-case-fast-track POST": _official(
        "reviewer",
        "api:review-case-fast-track",
        _state(S.SUBMITTED),
        {"fast_track": True, "reason": "Trusted end user"},
        "application.set_fast_track",
        "fast_track",
    ),
    "api:review-case-note POST": _official(
        "reviewer",
        "api:review-case-note",
        _state(S.SUBMITTED),
        {"body": "Call the buyer."},
        "note.add",
        "application",
        obj=lambda app: app.notes.get(),
    ),
    "api:review-licence-suspend POST": _official(
        "approver",
        "api:review-licence-suspend",
        _licence,
        {"reason": "End-use check"},
        "licence.suspend",
        "status",
        "reason",
    ),
    "api:review-licence-reinstate POST": _official(
        "approver",
        "api:review-licence-reinstate",
        _suspended,
        {"reason": "End use confirmed"},
        "licence.reinstate",
        "status",
    ),
    "api:review-licence-revoke POST": _official(
        "approver",
        "api:review-licence-revoke",
        _licence,
        {"reason": "Diversion to a listed end user"},
        "licence.revoke",
        "status",
    ),
    "api:review-amendment-decide POST": _official(
        "approver",
        "api:review-amendment-decide",
        _amendment,
        {"decision": "grant", "reason": "The port is fine."},
        "amendment.grant",
        "port_of_exit",
    ),
}
