"""Schemathesis drives every API operation with generated input, as the admin of the cast.

Whatever arrives, the API answers with a documented status and a JSON body: never a 500.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tandem.api.services import api_token_create


@pytest.fixture(autouse=True)
def keep_the_test_transaction_open():
    """Django closes the connection after each request, which would end the test's transaction;
    its own test client suspends that, and so must a WSGI client from outside Django."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def admin_headers(cast):
    _token, raw = api_token_create(person=cast.admin, name="schemathesis")
    return {"Authorization": f"Bearer {raw}"}


# The OpenAPI document itself needs no database, so the schema loads at collection.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_answers_within_its_schema(case, admin_headers):
    case.call_and_validate(
        headers=admin_headers,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
