"""The device list (/devices/) and cutting off one lost device: who sees and
may cut off which devices (a coach their own; a supervisor and an admin their
organization's), the readable names and sync facts shown, the audit, CSRF,
and what the cut-off device is told the next time it calls (401
`device_revoked`), while the user's other devices go on."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEvent, Device, LoginSession
from tests.support.factories import PASSWORD
from tests.support.web import csrf_token, login

ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; SM-A546B) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36"
)
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


@pytest.fixture
def world(factory):
    org, other_org = factory.organization(), factory.organization()
    return {
        "sanna": factory.user("coach", org, name="Sanna Virtanen"),
        "mikko": factory.user("coach", org, name="Mikko Heikkinen"),
        "anu": factory.user("supervisor", org, name="Anu Korhonen"),
        "pekka": factory.user("admin", org, name="Pekka Laine"),
        "rep": factory.user("employer_rep", org, name="Jari Mäkelä"),
        "olli": factory.user("coach", other_org, name="Olli Muualta"),
        "outsider": factory.user("admin", other_org, name="Vieras Ylläpitäjä"),
    }


def browser_of(app, user):
    browser = app.test_client()
    assert login(browser, user.email, PASSWORD).status_code == 302
    return browser


class Phone:
    """An install of the app: registered from a logged-in browser with its User-Agent."""

    def __init__(self, app, user, agent=ANDROID):
        self.browser = app.test_client()
        self.browser.environ_base["HTTP_USER_AGENT"] = agent
        assert login(self.browser, user.email, PASSWORD).status_code == 302
        self.id = str(uuid.uuid4())
        response = self.browser.post(
            "/api/sync/devices",
            json={"device_id": self.id, "label": agent[:200]},
            headers={"X-CSRFToken": csrf_token(self.browser, "/login")},
        )
        assert response.status_code == 201
        self.auth = {"Authorization": f"Bearer {response.get_json()['token']}"}

    def pull(self):
        return self.browser.get("/api/sync/pull", headers=self.auth)

    def push(self):
        return self.browser.post("/api/sync/push", json={"mutations": []}, headers=self.auth)


def listed(browser) -> str:
    response = browser.get("/devices/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def revoke(browser, device_id: str, token: str | None = None):
    token = token if token is not None else csrf_token(browser, "/devices/")
    return browser.post(f"/devices/{device_id}/revoke", data={"csrf_token": token})


def device(device_id: str) -> Device:
    db.session.expire_all()
    return db.session.get(Device, device_id)


def test_a_coach_lists_own_devices_with_readable_names_and_sync_facts(app, world, factory):
    phone = Phone(app, world["sanna"])
    Phone(app, world["sanna"], IPHONE)
    Phone(app, world["mikko"], IPHONE)
    assert phone.push().status_code == 200
    factory.device(world["sanna"], last_error="clock too far ahead", user_agent=None)
    page = listed(browser_of(app, world["sanna"]))
    assert "Chrome Mobile 131 · Android 14 · Samsung SM-A546B" in page
    assert "Mobile Safari 17 · iOS 17 · iPhone" in page
    assert "clock too far ahead" in page  # the last error
    assert page.count('data-device="') == 3  # Mikko's is not among them
    assert "Mikko" not in page
    assert device(phone.id).last_sync_at is not None


def test_a_coach_cuts_off_a_lost_phone_and_only_that_phone(app, world):
    lost, other = Phone(app, world["sanna"]), Phone(app, world["sanna"], IPHONE)
    desk = browser_of(app, world["sanna"])
    response = revoke(desk, lost.id)
    assert response.status_code == 302
    assert "Laitteen yhteys on katkaistu" in desk.get("/devices/").get_data(as_text=True)

    for answer in (lost.pull(), lost.push()):
        assert answer.status_code == 401
        assert answer.get_json()["error"]["code"] == "device_revoked"
    assert other.pull().status_code == 200
    assert device(lost.id).revoked_by_id == world["sanna"].id

    # Every browser login of hers ended (the lost phone's among them), but the one in hand.
    assert lost.browser.get("/app/session.json").get_json()["logged_in"] is False
    assert desk.get("/app/session.json").get_json()["logged_in"] is True
    reasons = db.session.scalars(select(LoginSession.end_reason).order_by(LoginSession.id))
    assert list(reasons) == ["device_revoked", "device_revoked", None]

    event = db.session.scalar(select(AuditEvent).filter_by(action="device_revoked"))
    assert (event.user_id, event.entity_type, event.entity_id) == (
        world["sanna"].id,
        "devices",
        lost.id,
    )
    assert event.detail == {"owner_id": world["sanna"].id}


def test_a_coach_can_neither_see_nor_cut_off_another_coachs_device(app, world):
    mikkos = Phone(app, world["mikko"])
    sanna = browser_of(app, world["sanna"])
    assert mikkos.id not in listed(sanna)
    assert revoke(sanna, mikkos.id).status_code == 404
    assert device(mikkos.id).revoked_at is None
    assert mikkos.pull().status_code == 200


@pytest.mark.parametrize("role", ["anu", "pekka"])
def test_a_supervisor_and_an_admin_rule_their_organizations_devices_only(app, world, role):
    sannas, ollis = Phone(app, world["sanna"]), Phone(app, world["olli"])
    desk = browser_of(app, world[role])
    page = listed(desk)
    assert sannas.id in page and "Sanna Virtanen" in page
    assert ollis.id not in page

    assert revoke(desk, ollis.id).status_code == 404
    assert ollis.pull().status_code == 200
    assert revoke(desk, sannas.id).status_code == 302
    assert sannas.pull().get_json()["error"]["code"] == "device_revoked"
    assert device(sannas.id).revoked_by_id == world[role].id
    # Sanna's logins end; the one who cut it off stays logged in.
    assert sannas.browser.get("/app/session.json").get_json()["logged_in"] is False
    assert desk.get("/app/session.json").get_json()["logged_in"] is True
    assert f"{world[role].name}, " in listed(desk)  # who cut it off, and when


def test_an_employer_representative_has_no_device_list(app, world):
    sannas = Phone(app, world["sanna"])
    rep = browser_of(app, world["rep"])
    assert rep.get("/devices/").status_code == 403
    assert revoke(rep, sannas.id, token=csrf_token(rep, "/employer")).status_code == 403
    assert device(sannas.id).revoked_at is None


def test_nobody_logged_in_is_sent_to_the_login(app, world):
    sannas = Phone(app, world["sanna"])
    anonymous = app.test_client()
    assert anonymous.get("/devices/").status_code == 302
    assert anonymous.post(f"/devices/{sannas.id}/revoke").status_code in (302, 400)
    assert device(sannas.id).revoked_at is None


def test_cutting_off_needs_the_forms_csrf_token(app, world):
    sannas = Phone(app, world["sanna"])
    desk = browser_of(app, world["sanna"])
    assert revoke(desk, sannas.id, token="forged").status_code == 400
    assert desk.post(f"/devices/{sannas.id}/revoke").status_code == 400
    assert device(sannas.id).revoked_at is None


def test_an_expired_device_cut_off_is_told_to_wipe_not_to_log_in(app, world):
    phone = Phone(app, world["sanna"])
    expired = device(phone.id)
    expired.expires_at = datetime.now(UTC) - timedelta(days=1)
    db.session.commit()
    assert phone.pull().get_json()["error"].get("code") is None  # expired: log in again
    desk = browser_of(app, world["sanna"])
    assert "Istunto vanhentunut" in listed(desk)
    assert revoke(desk, phone.id).status_code == 302
    assert phone.pull().get_json()["error"]["code"] == "device_revoked"


def test_a_device_that_logged_out_is_not_told_to_wipe_and_cannot_be_cut_off(app, world):
    phone = Phone(app, world["sanna"])
    assert phone.browser.post("/api/sync/logout", headers=phone.auth).status_code == 200
    answer = phone.pull()
    assert answer.status_code == 401 and "code" not in answer.get_json()["error"]
    desk = browser_of(app, world["sanna"])
    page = listed(desk)
    assert "Kirjautunut ulos" in page and "Katkaise yhteys" not in page
    assert revoke(desk, phone.id).status_code == 302
    assert device(phone.id).revoked_by_id is None


def test_the_owners_password_check_also_tells_a_cut_off_device(app, world):
    phone = Phone(app, world["sanna"])
    revoke(browser_of(app, world["pekka"]), phone.id)
    answer = phone.browser.post(
        "/app/device/verify-owner", json={"password": PASSWORD}, headers=phone.auth
    )
    assert answer.status_code == 401
    assert answer.get_json()["error"]["code"] == "device_revoked"
