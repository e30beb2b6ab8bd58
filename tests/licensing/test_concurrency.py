"""Races on PostgreSQL with real threads and separate connections."""

import threading

import pytest
from django.db import connection

from apps.audit.models import AuditEvent
from apps.core.errors import ConflictError, PermissionDeniedError
from apps.core.roles import Role
from apps.licensing import services
from apps.licensing.models import Licence
from apps.licensing.workflow import ApplicationStatus as S
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def run_at_once(calls):
    """Run the callables in threads released together; return each result or exception."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_twenty_concurrent_approvals_by_two_approvers_make_one_licence(
    make_draft, advance, approver
):
    second = UserFactory(roles=[Role.APPROVER])
    app = advance(make_draft(), S.REVIEWED)
    actors = [approver, second] * 10

    results = run_at_once(
        [
            (lambda a=a: services.application_decide(actor=a, application=app, decision="approve"))
            for a in actors
        ]
    )

    successes = [r for r in results if isinstance(r, tuple)]
    conflicts = [r for r in results if isinstance(r, ConflictError)]
    assert len(successes) == 1
    assert len(conflicts) == 19
    assert all("approved" in c.message for c in conflicts)
    assert Licence.objects.filter(application=app).count() == 1
    assert app.transitions.filter(action="approve").count() == 1
    assert AuditEvent.objects.filter(action="application.approve").count() == 1


def test_double_clicked_submit_makes_one_transition(make_draft, producer):
    app = make_draft()

    results = run_at_once(
        [lambda: services.application_submit(actor=producer, application=app) for _ in range(2)]
    )

    assert sum(1 for r in results if isinstance(r, ConflictError)) == 1
    assert app.transitions.filter(action="submit").count() == 1


def test_licence_numbers_stay_gapless_under_concurrent_approvals(make_draft, advance, approver):
    apps = [advance(make_draft(contract_number=f"C-{i}"), S.REVIEWED) for i in range(20)]

    results = run_at_once(
        [
            (
                lambda a=a: services.application_decide(
                    actor=approver, application=a, decision="approve"
                )
            )
            for a in apps
        ]
    )

    assert not [r for r in results if isinstance(r, Exception)], results
    serials = sorted(
        int(n.rsplit("-", 1)[1]) for n in Licence.objects.values_list("number", flat=True)
    )
    assert serials == list(range(1, 21))


def test_a_linked_approver_racing_is_still_refused(make_draft, advance, approver, company):
    from apps.licensing.models import OfficialLink

    app = advance(make_draft(), S.REVIEWED)
    OfficialLink.objects.create(official=approver, organisation=company, reason="Shareholder")

    results = run_at_once(
        [
            lambda: services.application_decide(actor=approver, application=app, decision="approve")
            for _ in range(3)
        ]
    )
    assert all(isinstance(r, PermissionDeniedError) for r in results)
