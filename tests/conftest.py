"""Role fixtures used across the suite: two companies, each official role, anonymous."""

import pytest
from django.core.cache import cache
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from apps.accounts.mfa import mfa_required
from apps.core.roles import Role
from tests.factories import PASSWORD, OrganisationFactory, UserFactory, make_producer
from tests.otp import ensure_totp_device


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    """Sign-in and API throttle counters live in Redis: each test starts with none."""
    _delete_cache_keys()
    yield
    _delete_cache_keys()


def _delete_cache_keys():
    client = getattr(cache, "_cache", None)
    if client is not None and hasattr(client, "get_client"):
        redis = client.get_client(write=True)
        keys = list(redis.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
        if keys:
            redis.delete(*keys)
    else:
        cache.clear()


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


def verified_login(client: Client, user) -> Client:
    """Sign a test client in; a user who needs MFA gets an authenticator and a verified session."""
    client.force_login(user)
    if mfa_required(user):
        device = ensure_totp_device(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def client_for():
    """A logged-in test client for a user (None: anonymous); officials are MFA-verified."""

    def make(user):
        client = Client()
        if user is not None:
            verified_login(client, user)
        return client

    return make


@pytest.fixture
def password():
    return PASSWORD
