"""An employer representative never receives the name of a participant who has
not consented to share with the employer side, by any route: the portal's
pages (including the content a sign-off signed, which carries the name) and
sync."""

import pytest

from server.extensions import db
from server.models import SignOff, User
from server.signoff.content import current_content
from tests.support.device import SimDevice
from tests.support.factories import PASSWORD
from tests.support.web import login


@pytest.fixture
def world(factory):
    org = factory.organization()
    employer = factory.employer(org)
    coach = factory.user("coach", org)
    people = {
        "private": factory.participant(
            coach, first_name="Salainen", last_name="Henkilö", consent_given=False
        ),
        "shared": factory.participant(
            coach, first_name="Jaettu", last_name="Henkilö", consent_given=True
        ),
    }
    demos = {}
    for key, participant in people.items():
        demo = factory.demonstration(participant, employer, title=f"Työnäyttö {key}")
        content = current_content(db.session.connection(), demo.id).decode()
        factory.signoff(demo, "verified", signed_content=content)
        demos[key] = demo
    return {"rep": factory.representative(employer), "people": people, "demos": demos}


def test_the_portal_shows_a_name_only_with_consent(client, world):
    login(client, world["rep"].email, PASSWORD)
    private, shared = world["people"]["private"], world["people"]["shared"]
    listing = client.get("/employer").get_data(as_text=True)
    assert private.full_name not in listing and "Salainen" not in listing
    assert shared.full_name in listing
    for key, person in world["people"].items():
        page = client.get(f"/employer/demonstrations/{world['demos'][key].id}")
        html = page.get_data(as_text=True)
        assert page.status_code == 200
        # The signed content holds the name; the page shows it only with consent.
        if key == "private":
            assert "Salainen" not in html
        else:
            assert person.full_name in html


def test_a_representatives_pull_carries_no_name_without_consent(app, world):
    device = SimDevice(app, world["rep"])
    response = device.client.get("/api/sync/pull", headers=device.auth)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Jaettu" in body or world["demos"]["shared"].id in body
    assert "Salainen" not in body


WITHHELD = ("signed_content", "content_sha256", "client_data_json", "signature")


def _signoffs(device) -> dict:
    """Demonstration id -> the fields of its sign-off as the device received it."""
    device.pull()
    return {
        fields["demonstration_id"]: {**fields, "id": record_id}
        for (record_type, record_id), fields in device.replica.records.items()
        if record_type == "signoff"
    }


def test_without_consent_the_representative_gets_the_signoff_but_nothing_that_names(app, world):
    """The sign-off still arrives (who signed, when, the server's verdict), but
    not the signed text, nor its hash or the assertion's challenge and
    signature, from which the name could be guessed. The stored row is
    unchanged: the server verifies from it."""
    received = _signoffs(SimDevice(app, world["rep"]))
    private = received[world["demos"]["private"].id]
    shared = received[world["demos"]["shared"].id]
    assert all(private[name] is None for name in WITHHELD)
    assert private["verification_status"] == "verified"
    assert private["representative_id"] and private["nonce"] and private["signed_at"]
    assert "Salainen" in db.session.get(SignOff, private["id"]).signed_content
    assert "Jaettu Henkilö" in shared["signed_content"]
    assert all(shared[name] for name in WITHHELD)


def test_a_coachs_pull_keeps_the_whole_signed_content(app, world):
    coach = db.session.get(User, world["people"]["private"].coach_id)
    received = _signoffs(SimDevice(app, coach))
    private = received[world["demos"]["private"].id]
    assert "Salainen Henkilö" in private["signed_content"]
    assert all(private[name] for name in WITHHELD)
