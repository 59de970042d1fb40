"""The audit log page: a supervisor reads their own organization's log, an admin
all of it, nobody else; filters, pages, CSV; reading it is logged; no way to
change or delete an event."""

import csv
import io
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEvent
from tests.support.factories import PASSWORD
from tests.support.web import csrf_token, login


@pytest.fixture
def world(client, factory):
    """Two organizations, each with a supervisor, a coach and a participant the
    coach has opened (a read event each)."""
    org_a, org_b = factory.organization(name="Oulu"), factory.organization(name="Kemi")
    coach_a = factory.user("coach", org_a, name="Anna Valmentaja")
    coach_b = factory.user("coach", org_b, name="Bertta Valmentaja")
    aino = factory.participant(coach_a)
    bruno = factory.participant(coach_b)
    employer = factory.employer(org_a)
    for coach, participant in ((coach_a, aino), (coach_b, bruno)):
        login(client, coach.email, PASSWORD)
        assert client.get(f"/participants/{participant.id}").status_code == 200
    return {
        "supervisor_a": factory.user("supervisor", org_a),
        "supervisor_b": factory.user("supervisor", org_b),
        "admin": factory.user("admin", org_a),
        "coach_a": coach_a,
        "coach_b": coach_b,
        "rep": factory.representative(employer),
        "aino": aino,
        "bruno": bruno,
    }


def page(client, reader, **query) -> str:
    login(client, reader.email, PASSWORD)
    response = client.get("/audit/", query_string=query)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def rows_of(html: str) -> int:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return body.count('<th scope="row">')


# Who may read it


@pytest.mark.parametrize("role", ["coach_a", "rep"])
@pytest.mark.parametrize("path", ["/audit/", "/audit/events.csv"])
def test_coaches_and_representatives_are_refused(client, world, role, path):
    login(client, world[role].email, PASSWORD)
    assert client.get(path).status_code == 403


def test_anonymous_users_are_sent_to_log_in(client, world):
    client.post("/logout", data={"csrf_token": csrf_token(client, "/login")})
    response = client.get("/audit/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_a_supervisor_reads_only_their_own_organizations_log(client, world):
    html = page(client, world["supervisor_a"])
    assert "Anna Valmentaja" in html and world["aino"].id in html
    assert "Bertta Valmentaja" not in html and world["bruno"].id not in html
    # Not even by asking for the other organization's participant or user.
    assert rows_of(page(client, world["supervisor_a"], participant=world["bruno"].id)) == 0
    assert rows_of(page(client, world["supervisor_a"], user=world["coach_b"].id)) == 0


def test_an_admin_reads_every_organizations_log(client, world):
    html = page(client, world["admin"])
    assert world["aino"].id in html and world["bruno"].id in html


# Filters


def test_filter_by_participant_finds_single_reads_and_list_pages(client, world):
    login(client, world["coach_a"].email, PASSWORD)
    client.get("/coach")  # a list page naming Aino among others
    html = page(client, world["supervisor_a"], participant=world["aino"].id, action="read")
    assert rows_of(html) == 2
    assert world["bruno"].id not in html


def test_filter_by_user_and_action(client, world):
    html = page(client, world["supervisor_a"], user=world["coach_a"].id, action="login")
    assert rows_of(html) == 1
    assert "Kirjautuminen" in html


def test_filter_by_date_range_uses_finnish_days(client, world):
    # 22:30 UTC on 1 March is already 2 March in Finland.
    late = datetime(2026, 3, 1, 22, 30, tzinfo=UTC)
    db.session.add(AuditEvent(at=late, user_id=world["coach_a"].id, action="read"))
    db.session.commit()
    assert (
        rows_of(page(client, world["supervisor_a"], **{"from": "2026-03-02", "to": "2026-03-02"}))
        == 1
    )
    assert (
        rows_of(page(client, world["supervisor_a"], **{"from": "2026-03-01", "to": "2026-03-01"}))
        == 0
    )


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"participant": "Aino%"}, "participant"),
        ({"action": "nothing"}, "action"),
        ({"user": "²"}, "user"),
        ({"from": "2026-13-01"}, "from"),
        ({"from": "2026-03-02", "to": "2026-03-01"}, "to"),
    ],
)
def test_a_bad_filter_is_a_400_naming_the_field(client, world, query, field):
    login(client, world["supervisor_a"].email, PASSWORD)
    response = client.get("/audit/", query_string=query)
    assert response.status_code == 400
    assert field in response.get_data(as_text=True)


def test_the_log_is_paged_newest_first(client, world):
    for n in range(60):
        db.session.add(
            AuditEvent(
                user_id=world["coach_a"].id,
                action="read",
                entity_type="participants",
                entity_id=f"n{n}",
            )
        )
    db.session.commit()
    first = page(client, world["supervisor_a"], action="read", user=world["coach_a"].id)
    second = page(client, world["supervisor_a"], action="read", user=world["coach_a"].id, page=2)
    assert rows_of(first) == 50 and rows_of(second) == 11
    assert first.index("n59") < first.index("n58")
    assert "Sivu 1/2 · yhteensä 61" in first


# Reading the log is logged; the CSV is an export


def test_reading_the_log_is_itself_logged(client, world):
    page(client, world["supervisor_a"], action="login")
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "audit_read").order_by(AuditEvent.id.desc())
    )
    assert event.user_id == world["supervisor_a"].id
    assert event.detail["filters"] == {"action": "login"}
    assert event.detail["shown"] >= 2


def test_the_csv_holds_the_filtered_events_and_is_logged_as_an_export(client, world):
    login(client, world["admin"].email, PASSWORD)
    client.post("/language", data={"csrf_token": csrf_token(client, "/audit/"), "lang": "en"})
    response = client.get("/audit/events.csv", query_string={"participant": world["bruno"].id})
    assert response.status_code == 200
    table = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert table[0][:4] == ["Time", "User id", "User", "Action"]
    # Newest first: the coach's read, then the participant's creation (no user).
    assert [(r[2], r[3], r[5]) for r in table[1:]] == [
        ("Bertta Valmentaja", "read", world["bruno"].id),
        ("System", "create", world["bruno"].id),
    ]
    export = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export"))
    assert export.user_id == world["admin"].id
    assert export.entity_type == "audit_events"
    assert export.detail["ids"] == [world["bruno"].id]


# Append-only: there is no way to change or remove an event


def test_no_route_changes_the_log(app, client, world):
    audit_rules = [r for r in app.url_map.iter_rules() if r.rule.startswith("/audit")]
    assert audit_rules
    assert all(r.methods <= {"GET", "HEAD", "OPTIONS"} for r in audit_rules)
    login(client, world["admin"].email, PASSWORD)
    token = csrf_token(client, "/audit/")
    for method in (client.post, client.put, client.delete, client.patch):
        assert method("/audit/", data={"csrf_token": token}).status_code == 405


def test_an_event_cannot_be_changed_through_the_orm(world):
    event = db.session.scalar(select(AuditEvent).order_by(AuditEvent.id))
    event.action = "nothing"
    with pytest.raises(Exception, match="append-only"):
        db.session.commit()
    db.session.rollback()
