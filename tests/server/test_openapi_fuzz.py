"""Schemathesis against /api/v1/openapi.json, in process (WSGI): no generated input gives a 5xx.

Bounded: 30 examples per operation, derandomized. The test resolver answers every name with a
private address, so no generated URL can ever leave the machine (refused before connecting).
(Schemathesis's pytest plugin does not run under pytest 9, so its strategies are driven here with
plain hypothesis.)
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

OPERATIONS = [
    ("/api/v1/analyses", "POST"),
    ("/api/v1/analyses/batch", "POST"),
    ("/api/v1/badges", "GET"),
    ("/api/v1/badges/lookup", "POST"),
    ("/api/v1/reports", "POST"),
    ("/healthz", "GET"),
    ("/readyz", "GET"),
]


def private_resolver(host: str, port: int) -> list[str]:
    return ["10.255.255.1"]  # refused by policy: generated URLs never reach the network


@pytest.fixture(scope="module")
def fuzz_app(database):
    """On SQLite and on PostgreSQL (which refuses more: NUL characters, over-long values)."""
    from server import create_app

    from .conftest import BASE_CONFIG, _empty_tables

    app = create_app(dict(BASE_CONFIG, DATABASE_URL=database, FETCH_RESOLVER=private_resolver))
    runner = app.test_cli_runner()
    key = runner.invoke(args=["apikey", "create", "fuzz"]).output.strip().splitlines()[-1]
    yield app, key
    _empty_tables(app)
    app.extensions["store"]["engine"].dispose()


def test_every_documented_operation_is_fuzzed(fuzz_app):
    app, _ = fuzz_app
    spec = app.test_client().get("/api/v1/openapi.json").json
    documented = {(path, method.upper()) for path, ops in spec["paths"].items() for method in ops}
    assert documented == set(OPERATIONS)


@pytest.mark.parametrize("path,method", OPERATIONS, ids=[f"{m} {p}" for p, m in OPERATIONS])
def test_no_server_errors(fuzz_app, path, method, network):
    app, key = fuzz_app
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operation = schema[path][method]
    seen = []

    @given(case=operation.as_strategy())
    @settings(max_examples=30, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case):
        response = case.call(headers={"Authorization": f"Bearer {key}"})
        seen.append(response.status_code)
        case.validate_response(response, checks=[not_a_server_error, content_type_conformance,
                                                 response_schema_conformance])
        assert response.status_code < 500 or response.status_code in (502, 504)

    run()
    assert seen
    assert network.connects() == []
