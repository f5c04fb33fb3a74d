"""server/api/schemas.py: a request body with a field the endpoint does not know is refused
(422 naming the field), never silently dropped, and the OpenAPI document says so."""

from __future__ import annotations

import pytest

SEED = "http://127.0.0.1:5000/demo/seed-article.html"

UNKNOWN_FIELDS = [
    # path, body, the unknown field as the problem's errors name it (a path in the body)
    ("/api/v1/analyses", {"url": SEED, "htm": "<p>x</p>"}, ["htm"]),  # would fetch the URL instead
    ("/api/v1/analyses", {"url": SEED, "Refresh": True}, ["Refresh"]),
    ("/api/v1/analyses/batch", {"items": [{"url": SEED}], "deadline": 5}, ["deadline"]),
    ("/api/v1/analyses/batch", {"items": [{"url": SEED}, {"url": SEED, "htm": "x"}]},
     ["items", "1", "htm"]),
    ("/api/v1/reports", {"url": SEED, "comments": "my words"}, ["comments"]),  # would be lost
    ("/api/v1/reports", {"url": SEED, "signal": "badge", "reason": "wrong"}, ["reason"]),
    ("/api/v1/badges/lookup", {"url": SEED, "urls_": [SEED]}, ["urls_"]),
    ("/api/v1/badges/lookup", {"urls": [SEED], "refresh": True}, ["refresh"]),
]


@pytest.mark.parametrize("path,body,field", UNKNOWN_FIELDS,
                         ids=[f"{p} {'.'.join(f)}" for p, _, f in UNKNOWN_FIELDS])
def test_an_unknown_field_is_a_422_naming_it(app, runner, network, path, body, field):
    key = runner.invoke(args=["apikey", "create", "schemas"]).output.strip().splitlines()[-1]
    response = app.test_client().post(path, json=body, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 422, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/problem+json"
    problem = response.json
    assert problem["type"].endswith("/validation-error")
    errors = problem["errors"]["json"]
    for step in field:
        errors = errors[step]
    assert "Unknown field" in errors[0]
    assert ".".join(field) in problem["detail"]
    assert network.connects() == []


def test_the_report_comment_is_kept_under_its_documented_name(client):
    """The counterpart of the misspelt 'comments' above: the right name is accepted."""
    response = client.post("/api/v1/reports", json={"url": SEED, "comment": "my words"})
    assert response.status_code == 202


@pytest.mark.parametrize("schema", ["AnalysisIn", "BatchIn", "ReportIn", "BadgeLookupIn"])
def test_request_bodies_are_documented_as_closed(sqlite_client, schema):
    spec = sqlite_client.get("/api/v1/openapi.json").json
    assert spec["components"]["schemas"][schema]["additionalProperties"] is False
