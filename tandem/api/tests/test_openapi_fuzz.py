"""Schemathesis drives every API operation with generated input, as the admin of the cast.

Whatever arrives, the API answers with a documented status and a JSON body: never a 500.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tandem.api.services import api_token_create


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
