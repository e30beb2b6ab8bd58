"""Schemathesis over every operation of the OpenAPI schema, in-process through Django's WSGI app.

For each operation a bounded number of generated requests is sent as a producer and as an
official (token authentication) and then without credentials and with a wrong token. Every
response must be no server error and must match the schema (status code, content type, body);
without valid credentials every operation must refuse (401 or 403).
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from apps.accounts import services as account_services

EXAMPLES_PER_OPERATION = 25


class InTransactionWSGI:
    """Django's WSGI app without its connection recycling, so requests see the test's transaction
    (the same thing Django's test client does)."""

    def __init__(self):
        self.app = get_wsgi_application()

    def __call__(self, environ, start_response):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            return self.app(environ, start_response)
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


def _schema():
    raw = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(raw)
    loaded.app = InTransactionWSGI()
    return loaded


def _operations():
    return [result.ok() for result in _schema().get_all_operations()]


OPERATION_LABELS = [op.label for op in _operations()]


def _operation(label):
    return next(op for op in _operations() if op.label == label)


@pytest.fixture
def tokens(producer_admin, reviewer, company):
    producer_key = account_services.api_token_create(
        actor=producer_admin, name="fuzz", expires_in_days=1
    )[1]
    official_key = account_services.api_token_create(
        actor=reviewer, name="fuzz", expires_in_days=1
    )[1]
    return {"producer": producer_key, "official": official_key}


def test_the_schema_has_operations_to_fuzz():
    assert len(OPERATION_LABELS) >= 3


@pytest.mark.parametrize("label", OPERATION_LABELS)
@pytest.mark.parametrize("who", ["producer", "official"])
@pytest.mark.django_db
def test_operation_holds_its_schema_under_fuzzing(label, who, tokens):
    operation = _operation(label)
    headers = {"Authorization": f"Token {tokens[who]}"}

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        # A schema cannot state cross-field business rules (a registration number needs its
        # kind, a parent must be in the producer's own book): a 400 with field messages for
        # such input is right, so "schema-valid request rejected" is not a failure here.
        case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

    run()


@pytest.mark.parametrize("label", OPERATION_LABELS)
@pytest.mark.parametrize(
    "authorization", [None, "Token rt_not-a-real-token", "Token ", "Basic dXNlcjpwYXNz"]
)
@pytest.mark.django_db
def test_operation_refuses_missing_or_bad_credentials(label, authorization):
    operation = _operation(label)

    @given(case=operation.as_strategy())
    @settings(
        max_examples=3,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        if case.headers:
            case.headers.pop("Authorization", None)
        headers = {"Authorization": authorization} if authorization else None
        response = case.call(headers=headers)
        assert response.status_code in (401, 403), (
            f"{label} answered {response.status_code} to {authorization!r}"
        )

    run()
