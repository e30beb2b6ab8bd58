"""Admin writes and chases on accounts (see tests/audit/coverage.py): the admin is for
administrators and every edit it makes is one audit event, a user's groups and password included."""

from datetime import timedelta

from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Membership, Organisation, User
from apps.core.roles import Role
from tests.audit.admin_forms import admin_url, form_data
from tests.audit.coverage import AdminCase, Expect, TaskCase
from tests.factories import OrganisationFactory, UserFactory, valid_uscc

NEW_PASSWORD = "another-horse-battery-staple"


def _user_add(fx, _):
    form = form_data(
        User,
        fx("superuser"),
        email="new.official@authority.test",
        full_name="New Official",
        password1=NEW_PASSWORD,
        password2=NEW_PASSWORD,
        usable_password="true",
    )
    return admin_url(User, "add"), form


def _user_change(fx, user):
    reviewer = Group.objects.get(name=Role.REVIEWER.value)
    form = form_data(User, fx("superuser"), user, full_name="Renamed", groups=[str(reviewer.pk)])
    return admin_url(User, "change", user.pk), form


def _organisation_add(fx, _):
    form = form_data(
        Organisation,
        fx("superuser"),
        legal_name="Baotou Coverage Metals Co., Ltd.",
        uscc=valid_uscc(9_999_001),
        address="1 Rare Earth Road, Baotou",
        province="Inner Mongolia",
        status="pending",
    )
    return admin_url(Organisation, "add"), form


def _membership_add(fx, state):
    user, organisation = state
    form = form_data(
        Membership,
        fx("superuser"),
        user=str(user.pk),
        organisation=str(organisation.pk),
        role=Role.PRODUCER_STAFF.value,
    )
    return admin_url(Membership, "add"), form


def _membership(fx):
    user = UserFactory(email="member@company.test")
    return Membership.objects.create(
        user=user, organisation=fx("company"), role=Role.PRODUCER_STAFF.value
    )


def _membership_change(fx, membership):
    form = form_data(Membership, fx("superuser"), membership, role=Role.PRODUCER_ADMIN.value)
    return admin_url(Membership, "change", membership.pk), form


ADMIN_CASES = {
    "accounts.User add": AdminCase(
        post=_user_add,
        expect=lambda fx, _: Expect(
            "admin.user.add",
            User.objects.get(email="new.official@authority.test"),
            changes=("email", "full_name", "password"),
        ),
    ),
    "accounts.User change": AdminCase(
        setup=lambda fx: UserFactory(email="changed@authority.test"),
        post=_user_change,
        expect=lambda fx, user: Expect("admin.user.change", user, changes=("full_name", "groups")),
    ),
    "accounts.User view auth_user_password_change": AdminCase(
        setup=lambda fx: UserFactory(email="forgot@authority.test"),
        post=lambda fx, user: (
            reverse("admin:auth_user_password_change", args=[user.pk]),
            {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
        ),
        expect=lambda fx, user: Expect("admin.user.change", user, changes=("password",)),
    ),
    "accounts.Organisation add": AdminCase(
        post=_organisation_add,
        expect=lambda fx, _: Expect(
            "admin.organisation.add",
            Organisation.objects.get(uscc=valid_uscc(9_999_001)),
            changes=("legal_name", "uscc"),
        ),
    ),
    "accounts.Organisation change": AdminCase(
        setup=lambda fx: OrganisationFactory(legal_name="Coverage Rare Earths Co."),
        post=lambda fx, org: (
            admin_url(Organisation, "change", org.pk),
            form_data(Organisation, fx("superuser"), org, province="Inner Mongolia"),
        ),
        expect=lambda fx, org: Expect("admin.organisation.change", org, changes=("province",)),
    ),
    "accounts.Membership add": AdminCase(
        setup=lambda fx: (UserFactory(email="joins@company.test"), fx("company")),
        post=_membership_add,
        expect=lambda fx, state: Expect(
            "admin.membership.add",
            Membership.objects.get(user=state[0]),
            changes=("user", "organisation", "role"),
        ),
    ),
    "accounts.Membership change": AdminCase(
        setup=_membership,
        post=_membership_change,
        expect=lambda fx, membership: Expect(
            "admin.membership.change", membership, changes=("role",)
        ),
    ),
}
ADMIN_NOT_WRITES: dict[str, str] = {}


def _waiting_company(fx) -> Organisation:
    company = fx("pending_company")
    three_days_ago = timezone.now() - timedelta(days=3)
    Organisation.objects.filter(pk=company.pk).update(created_at=three_days_ago)
    return company


CHASE_CASES = {
    "accounts.pending_verification": TaskCase(
        setup=_waiting_company,
        expect=lambda fx, company: Expect(
            "reminder.send",
            company,
            actor_label="task notifications.run_chases",
            changes=("chase", "threshold", "recipients"),
        ),
    ),
}
