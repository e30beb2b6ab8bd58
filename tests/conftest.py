"""Role fixtures used across the suite: two companies, each official role, anonymous."""

import pytest
from django.test import Client

from apps.core.roles import Role
from tests.factories import PASSWORD, OrganisationFactory, UserFactory, make_producer


@pytest.fixture
def company(db):
    return OrganisationFactory(legal_name="Ganzhou Test Magnetics Co., Ltd.")


@pytest.fixture
def other_company(db):
    return OrganisationFactory(legal_name="Ningbo Test Magnet Co., Ltd.")


@pytest.fixture
def pending_company(db):
    return OrganisationFactory(legal_name="Pending Test Metals Co., Ltd.", status="pending")


@pytest.fixture
def producer_admin(company):
    return make_producer(company, Role.PRODUCER_ADMIN, email="admin@company.test")


@pytest.fixture
def producer(company):
    return make_producer(company, Role.PRODUCER_STAFF, email="staff@company.test")


@pytest.fixture
def other_producer(other_company):
    return make_producer(other_company, Role.PRODUCER_ADMIN, email="admin@other.test")


@pytest.fixture
def pending_producer(pending_company):
    return make_producer(pending_company, Role.PRODUCER_ADMIN, email="admin@pending.test")


@pytest.fixture
def reviewer(db):
    return UserFactory(roles=[Role.REVIEWER], email="reviewer@authority.test")


@pytest.fixture
def approver(db):
    return UserFactory(roles=[Role.APPROVER], email="approver@authority.test")


@pytest.fixture
def auditor(db):
    return UserFactory(roles=[Role.AUDITOR], email="auditor@authority.test")


@pytest.fixture
def administrator(db):
    return UserFactory(roles=[Role.ADMINISTRATOR], email="root@authority.test", is_staff=True)


@pytest.fixture
def client_for():
    """A logged-in test client for a user (None: anonymous)."""

    def make(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def password():
    return PASSWORD
