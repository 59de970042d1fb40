"""Schemathesis against the sync API as its OpenAPI description states it
(/api/sync/openapi.json), in-process on the real app and both databases, with a
coach's device token: no input may make a 5xx or an answer the description
does not allow (status, content type, body schema).

Bounded: a few examples per operation (POLKU_FUZZ_EXAMPLES, default 10), so the
run takes about a minute on this project's machine; raise it for a longer hunt.
"""

import json
import os
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from server.sync_api import views
from tests.support.device import SimDevice

EXAMPLES = int(os.environ.get("POLKU_FUZZ_EXAMPLES", "10"))


# The description, read as the file it is: the contract, whatever the app serves.
schema = schemathesis.openapi.from_dict(json.loads(Path(views.OPENAPI).read_text("utf-8")))


@pytest.fixture
def coach_device(app, factory):
    """A coach with a participant, a period at an employer and a registered device."""
    coach = factory.user("coach")
    participant = factory.participant(coach)
    factory.period(participant, factory.employer(organization=coach.organization))
    return SimDevice(app, coach)


# Logging out ends the token every other call needs; device registration rides
# on a browser login and CSRF, which a bearer token does not stand for.
@schema.exclude(path_regex="^/(logout|devices)$").parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_sync_api_keeps_its_description(case, app, coach_device):
    # In-process: this test's app (and database) answers, also the checks'
    # own requests (the same call without the token must be refused).
    case.operation.schema.app = app
    response = case.call(app=app, headers=coach_device.auth)
    assert response.status_code < 500, response.text
    # Not "invalid input must be refused": a push answers each mutation on its
    # own (P9: a malformed one is "rejected" in a 200 while the rest applies),
    # unknown query parameters are ignored, and the token is ours, not the
    # generated (missing or wrong) one. Invalid input still must not make a
    # 5xx or an answer outside the description.
    excluded = [negative_data_rejection]
    # A cursor is a token only the server makes (L1): a made-up one is
    # refused with 422 however well-formed it looks.
    if case.path == "/pull" and (case.query or {}).get("cursor"):
        excluded.append(positive_data_acceptance)
    case.validate_response(
        response,
        excluded_checks=excluded,
        headers=coach_device.auth,
        transport_kwargs={"app": app},
    )


# What the fuzz run found, pinned down


@pytest.mark.parametrize("path", ["/api/sync/push", "/review/periods"])
def test_a_method_not_allowed_says_which_are(client, path):
    response = client.open(path, method="TRACE")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"] or "POST" in response.headers["Allow"]


def test_a_whole_number_written_with_a_fraction_is_that_number(app, coach_device):
    response = coach_device.client.post(
        "/api/sync/nonces", json={"count": 3.0}, headers=coach_device.auth
    )
    assert response.status_code == 200, response.get_json()
    assert len(response.get_json()["nonces"]) == 3
    refused = coach_device.client.post(
        "/api/sync/nonces", json={"count": 2.5}, headers=coach_device.auth
    )
    assert refused.status_code == 422


@pytest.mark.parametrize("body", ["true", "5", "[]", '"count"'])
def test_a_nonce_request_that_is_not_an_object_is_a_422(app, coach_device, body):
    response = coach_device.client.post(
        "/api/sync/nonces",
        data=body,
        headers={**coach_device.auth, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"count": ["send a JSON object"]}
