"""Numeric query parameters take ASCII digits only: anything else is a 4xx that
names the parameter, in the user's language, never a 500."""

import pytest

from tests.support.device import SimDevice
from tests.support.factories import PASSWORD
from tests.support.web import login

# "²" passes str.isdigit and then breaks int(); "٣" passes both (int reads 3);
# the last is larger than any id or page a database column holds.
NOT_ASCII_NUMBERS = ["²", "٣", "１", "99999999999", "-1", "0", "1.5", ""]

SUPERVISOR_PAGES = [
    ("/review/periods", "page"),
    ("/review/periods", "coach"),
    ("/review/periods.csv", "coach"),
    ("/review/conflicts", "page"),
    ("/review/returns", "page"),
    ("/vouchers/", "page"),
    ("/employers/", "page"),
    ("/events/", "page"),
    ("/outcomes/records/served", "page"),
    ("/outcomes/records/ratings", "round"),
    ("/outcomes/records/ratings.csv", "round"),
]


@pytest.fixture
def supervisor(client, factory):
    user = factory.user("supervisor")
    login(client, user.email, PASSWORD)
    return client


@pytest.mark.parametrize(("path", "name"), SUPERVISOR_PAGES)
@pytest.mark.parametrize("value", NOT_ASCII_NUMBERS)
def test_a_number_not_in_ascii_digits_is_a_400_naming_the_parameter(supervisor, path, name, value):
    response = supervisor.get(path, query_string={name: value})
    if value == "":
        assert response.status_code == 200  # empty: the parameter is not given
        return
    assert response.status_code == 400, (path, name, value)
    assert f"{name}" in response.get_data(as_text=True)


def test_the_message_is_in_the_users_language(client, factory):
    user = factory.user("supervisor", language="sv")
    login(client, user.email, PASSWORD)
    page = client.get("/review/periods", query_string={"coach": "²"}).get_data(as_text=True)
    assert "Värdet i fältet coach duger inte." in page
    page = client.get("/events/", query_string={"page": "²"}).get_data(as_text=True)
    assert "Fältet page: sidnumret måste vara ett positivt heltal." in page


@pytest.mark.parametrize("value", NOT_ASCII_NUMBERS[:-1])
def test_a_pull_limit_not_in_ascii_digits_is_refused_naming_limit(app, factory, value):
    device = SimDevice(app, factory.user("coach"))
    response = device.client.get(
        "/api/sync/pull", query_string={"limit": value}, headers=device.auth
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"limit": ["must be a positive integer"]}


def test_ascii_numbers_still_work(supervisor, app, factory):
    assert supervisor.get("/review/periods", query_string={"page": "1"}).status_code == 200
    assert supervisor.get("/review/periods", query_string={"coach": "7"}).status_code == 200
    device = SimDevice(app, factory.user("coach"))
    pulled = device.client.get("/api/sync/pull", query_string={"limit": "5"}, headers=device.auth)
    assert pulled.status_code == 200
