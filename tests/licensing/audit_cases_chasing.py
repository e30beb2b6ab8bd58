"""Audit cases added by the chasing work (merge into tests/licensing/audit_cases.py).

No new service function: the system path of `application_assign` (actor=None, the chase for
cases nobody took) is new and writes one event labelled "system". Keyed by the service name.
"""

from apps.licensing import services
from apps.licensing.models import Application
from tests.audit.coverage import AuditCase, Expect


def _submitted(fx):
    app = fx("make_draft")()
    services.application_submit(actor=fx("producer"), application=app)
    return Application.objects.get(pk=app.pk)


def _system_assign(fx, app):
    services.application_assign(actor=None, application=app, reviewer=fx("reviewer"))
    return Expect(
        "application.assign", app, actor_label="system", changes=("status", "assigned_reviewer")
    )


CASES = {"application_assign": AuditCase(setup=_submitted, call=_system_assign, in_request=False)}
NOT_WRITES: dict[str, str] = {}
