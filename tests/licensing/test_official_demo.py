"""The licensing demo: every application and licence state, overdue cases, safe to run twice."""

from datetime import date

import pytest

from apps.accounts import demo as accounts_demo
from apps.catalogue import demo as catalogue_demo
from apps.licensing import demo
from apps.licensing.models import Application, Licence
from apps.licensing.workflow import ApplicationStatus, LicenceStatus

pytestmark = pytest.mark.django_db


def test_demo_has_every_state_and_runs_twice():
    accounts_demo.seed()
    catalogue_demo.seed()
    assert demo.seed()["demo applications"] == len(demo.CASES)
    assert demo.seed()["demo applications"] == 0
    assert set(Application.objects.values_list("status", flat=True)) == set(
        ApplicationStatus.values
    )
    assert set(Licence.objects.values_list("status", flat=True)) == set(LicenceStatus.values)
    assert Application.objects.filter(review_deadline__lt=date.today()).count() >= 2
    assert Application.objects.filter(fast_track=True).count() >= 2
    overdue_rfi = Application.objects.filter(
        status="information_requested",
        information_requests__status="open",
        information_requests__due_on__lt=date.today(),
    )
    assert overdue_rfi.exists()
    exhausted = Licence.objects.get(status="exhausted")
    assert all(line.balance == 0 for line in exhausted.lines.all())
