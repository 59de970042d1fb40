"""The supervisor's desk: team overview, the period list and page, conflicts
resolved from the desk, records returned to their coach, htmx partials."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import (
    AuditEvent,
    ChangeFeed,
    Conflict,
    Goal,
    ReviewReturn,
    WorkDemonstration,
)
from tests.support.factories import PASSWORD
from tests.support.web import csrf_token, login

TODAY = date.today()


@pytest.fixture
def world(factory):
    org = factory.organization()
    anna, ville = (
        factory.user("coach", org, name="Anna Valmentaja"),
        factory.user("coach", org, name="Ville Valmentaja"),
    )
    puutarha = factory.employer(org, name="Pohjolan Puutarha Oy")
    kahvila = factory.employer(org, name="Kahvila Kanerva Ky")
    aino = factory.participant(anna, first_name="Aino", last_name="Lehtonen")
    jussi = factory.participant(ville, first_name="Jussi", last_name="Niskanen")
    leena = factory.participant(anna, first_name="Leena", last_name="Hakala")
    periods = {
        "aino": factory.period(
            aino, puutarha, start_date=TODAY - timedelta(days=70), phase="active"
        ),
        "jussi": factory.period(
            jussi, kahvila, start_date=TODAY - timedelta(days=10), phase="active"
        ),
        "leena": factory.period(
            leena,
            puutarha,
            start_date=TODAY - timedelta(days=300),
            end_date=TODAY - timedelta(days=120),
            phase="follow_up",
            outcome_at_end="employed_open",
        ),
    }
    # Aino's last round was 40 days ago: overdue. Jussi started 10 days ago: not yet due.
    factory.assessment_round(periods["aino"], TODAY - timedelta(days=40))
    return {
        "org": org,
        "anna": anna,
        "ville": ville,
        "puutarha": puutarha,
        "kahvila": kahvila,
        "aino": aino,
        "jussi": jussi,
        "leena": leena,
        "periods": periods,
        "supervisor": factory.user("supervisor", org),
    }


@pytest.fixture
def desk(client, world):
    login(client, world["supervisor"].email, PASSWORD)
    return client


def text(response) -> str:
    return response.get_data(as_text=True)


# Team overview


def test_team_overview_counts_caseloads_and_overdue_work(desk, world, factory):
    now = datetime.now(UTC)
    factory.device(world["anna"], last_sync_at=now - timedelta(hours=2))
    factory.device(world["anna"], label="Vanha puhelin", last_sync_at=now - timedelta(days=9))
    factory.device(
        world["ville"],
        label="Tabletti",
        last_sync_at=now,
        last_error="push:409",
        max_clock_skew_ms=90_500,
    )
    factory.device(world["ville"], label="Poistettu", revoked_at=now)
    html = text(desk.get("/review/"))
    anna = team_row(html, "Anna Valmentaja")
    # Caseload 2 (Aino, Leena), active 1, overdue round 1 (Aino: 40 days), overdue
    # follow-up 1 (Leena: ended 120 days ago, no 3-month outcome).
    assert anna[:4] == ["2", "1", "1", "1"]
    assert "Vanha puhelin" in anna[4] and "Ei synkronoitu yli 3 vuorokauteen" in anna[4]
    ville = team_row(html, "Ville Valmentaja")
    assert ville[:4] == ["1", "1", "0", "0"]
    assert "Synkronointi epäonnistuu" in ville[4]
    assert "viimeisin lähetys hylättiin (virhe 409)" in ville[4]
    assert "kello edellä 90 s" in ville[4] and "kello edellä" not in anna[4]
    assert "Poistettu" not in ville[4]  # revoked devices are not listed


def team_row(html: str, coach: str) -> list[str]:
    """The text of each cell of a coach's row in the team table."""
    row = html.split(f">{coach}</a>")[1].split("</tr>")[0]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells]


def test_overdue_filters_list_the_periods_behind_the_counts(desk, world):
    rounds = text(desk.get("/review/periods", query_string={"attention": "overdue_round"}))
    assert "Aino Lehtonen" in rounds and "Jussi Niskanen" not in rounds
    follow = text(desk.get("/review/periods", query_string={"attention": "overdue_follow_up"}))
    assert "Leena Hakala" in follow and "Aino Lehtonen" not in follow


# The period list: filters, search, paging, CSV


@pytest.mark.parametrize(
    ("params", "shown"),
    [
        ({}, {"Aino", "Jussi", "Leena"}),
        ({"q": "lehto"}, {"Aino"}),
        ({"q": "KANERVA"}, {"Jussi"}),  # employer name, any case
        ({"q": "100%_"}, set()),  # LIKE wildcards are literal
        ({"phase": "follow_up"}, {"Leena"}),
        ({"employer": "puutarha"}, {"Aino", "Leena"}),
        ({"coach": "ville"}, {"Jussi"}),
        ({"from": (TODAY - timedelta(days=20)).isoformat()}, {"Aino", "Jussi"}),
        ({"to": (TODAY - timedelta(days=50)).isoformat()}, {"Aino", "Leena"}),
    ],
)
def test_period_filters(desk, world, params, shown):
    resolved = {k: (world[v].id if k in ("employer", "coach") else v) for k, v in params.items()}
    html = text(desk.get("/review/periods", query_string=resolved))
    found = {n for n in ("Aino", "Jussi", "Leena") if f"{n} " in html.split("<tbody>")[1]}
    assert found == shown


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"coach": "x"}, "coach"),
        ({"phase": "done"}, "phase"),
        ({"from": "1.1.2026"}, "from"),
        ({"from": "2026-02-01", "to": "2026-01-01"}, "to"),
        ({"page": "0"}, "page"),
        ({"attention": "late"}, "attention"),
    ],
)
def test_bad_filter_is_a_400_naming_the_field(desk, params, field):
    response = desk.get("/review/periods", query_string=params)
    assert response.status_code == 400
    assert field in text(response)


def test_pagination_and_csv(desk, world, factory):
    for i in range(55):
        factory.period(world["jussi"], None, start_date=date(2025, 1, 1) + timedelta(days=i))
    first = text(desk.get("/review/periods"))
    assert "Sivu 1/2 · yhteensä 58" in first
    second = text(desk.get("/review/periods", query_string={"page": 2}))
    assert second.split("<tbody>")[1].count("<tr>") == 8
    assert 'rel="prev"' in second
    csv_text = text(desk.get("/review/periods.csv", query_string={"q": "niskanen"}))
    assert csv_text.startswith("\ufeffAsiakas;Valmentaja;Työnantaja")
    assert len(csv_text.strip().splitlines()) == 1 + 56


def test_period_list_read_is_audited(desk, world):
    desk.get("/review/periods")
    event = db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "read", AuditEvent.user_id == world["supervisor"].id
        )
    )
    assert set(event.detail["ids"]) == {world[n].id for n in ("aino", "jussi", "leena")}


# The period page


def test_period_page_shows_parties_ratings_charts_and_demonstrations(desk, world, factory):
    period = world["periods"]["aino"]
    comp = factory.goal(period, "competence", title="Kassatyö itsenäisesti")
    well = factory.goal(period, "wellbeing", title="Jaksaa kuuden tunnin päivän")
    r1 = factory.assessment_round(period, TODAY - timedelta(days=30))
    r2 = factory.assessment_round(period, TODAY - timedelta(days=5))
    for rnd, ratings in ((r1, (2, 3, 2)), (r2, (4, 4, 5))):
        for rater, rating in zip(("participant", "employer", "coach"), ratings, strict=True):
            factory.assessment(comp, rater, rating, round=rnd, comment=f"{rater}-{rating}")
    factory.assessment(well, "participant", 3, round=r2)
    demo = factory.demonstration(
        world["aino"],
        world["puutarha"],
        period_id=period.id,
        title="Taimien koulinta",
        status="signed",
    )
    signoff = factory.signoff(demo, "verified")
    html = text(desk.get(f"/review/periods/{period.id}"))
    for part in (
        "Aino Lehtonen",
        "Pohjolan Puutarha Oy",
        "Anna Valmentaja",
        "Työyhteisö",
        "Kassatyö itsenäisesti",
        "Jaksaa kuuden tunnin päivän",
        "employer-3",
        "Taimien koulinta",
        "Allekirjoitus vahvistettu",
        signoff.content_sha256,
    ):
        assert part in html, part
    # One chart per area with goals, no script, no inline style.
    assert html.count('<svg viewBox="0 0 360 180"') == 2
    assert "<polyline" in html and "<script>" not in html and "style=" not in html
    # The competence chart: round 1 (40 days ago) has no ratings; the participant's
    # line goes from 2 in round 2 to 4 in round 3.
    comp_chart = html.split('id="chart-competence-title"')[1].split("</svg>")[0]
    assert "Uusi työntekijä, kierros 1" not in comp_chart
    assert "Uusi työntekijä, kierros 2: 2" in comp_chart
    assert "Uusi työntekijä, kierros 3: 4" in comp_chart
    # Phases and timeline
    assert 'aria-current="step">Käynnissä' in html
    assert "Arviointikierros 3" in html


def test_period_page_read_is_audited_as_a_read_of_the_participant(desk, world):
    period = world["periods"]["aino"]
    desk.get(f"/review/periods/{period.id}")
    event = db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "read", AuditEvent.entity_id == world["aino"].id
        )
    )
    assert event.detail == {"period": period.id}


def test_period_page_explains_voucher_eligibility(desk, world, factory):
    leena = world["periods"]["leena"]
    html = text(desk.get(f"/review/periods/{leena.id}"))
    assert "loppuarviointikierros puuttuu" in html
    factory.assessment_round(leena, leena.end_date, is_final=True)
    html = text(desk.get(f"/review/periods/{leena.id}"))
    assert "Jakso täyttää setelin ehdot" in html


def test_unknown_period_is_404(desk):
    assert desk.get("/review/periods/no-such-id").status_code == 404


# Conflicts resolved from the desk


def post(client, path, data, htmx=False):
    token = csrf_token(client, "/review/conflicts")
    headers = {"HX-Request": "true", "X-CSRFToken": token} if htmx else {}
    return client.post(path, data={"csrf_token": token, **data}, headers=headers)


@pytest.fixture
def goal_conflict(world, factory):
    goal = factory.goal(world["periods"]["aino"], title="Kassatyö")
    conflict = factory.conflict(
        "goal",
        goal,
        "title",
        ["Kassatyö", "Kassatyö ja tilitys"],
        organization_id=world["org"].id,
        participant_id=world["aino"].id,
        user_id=world["anna"].id,
    )
    return goal, conflict


def test_conflicts_list_shows_every_value_with_who_and_when(desk, world, goal_conflict):
    html = text(desk.get("/review/conflicts"))
    assert "Kassatyö ja tilitys" in html
    assert "Anna Valmentaja" in html
    assert "Aino Lehtonen" in html
    assert "nyt voimassa" in html


def test_conflict_pages_are_full_and_count_only_what_the_supervisor_may_read(desk, world, factory):
    # Filed under this organization, but the record is another's now: not shown.
    elsewhere = factory.organization()
    stranger = factory.participant(factory.user("coach", elsewhere))
    foreign_goal = factory.goal(factory.period(stranger))
    for i in range(5):
        factory.conflict(
            "goal", foreign_goal, "title", [f"X{i}", f"Y{i}"], organization_id=world["org"].id
        )
    own_goal = factory.goal(world["periods"]["aino"])
    for i in range(51):
        factory.conflict(
            "goal", own_goal, "title", [f"A{i}", f"B{i}"], organization_id=world["org"].id
        )
    first, second = (text(desk.get("/review/conflicts", query_string={"page": n})) for n in (1, 2))
    assert first.count('<article class="conflict') == 50
    assert second.count('<article class="conflict') == 1
    assert "Sivu 1/2 · yhteensä 51" in first
    assert "Sivu 2/2 · yhteensä 51" in second


def test_resolving_sets_the_value_and_marks_the_conflict(desk, world, goal_conflict):
    goal, conflict = goal_conflict
    feed_before = db.session.scalar(select(ChangeFeed.seq).order_by(ChangeFeed.seq.desc()))
    response = post(desk, f"/review/conflicts/{conflict.id}/resolve", {"choice": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Goal, goal.id).title == "Kassatyö ja tilitys"
    settled = db.session.get(Conflict, conflict.id)
    assert settled.status == "resolved"
    assert settled.resolved_by_id == world["supervisor"].id
    assert settled.resolved_at is not None
    assert settled.resolution["choice"] == 1
    assert settled.resolution["value"] == "Kassatyö ja tilitys"
    # The write went through the ORM, so it is in the change feed devices pull.
    fed = db.session.scalars(
        select(ChangeFeed).where(
            ChangeFeed.record_id == goal.id, ChangeFeed.seq > (feed_before or 0)
        )
    ).all()
    assert fed, "the resolution did not reach the change feed"
    assert "Kassatyö ja tilitys" not in text(desk.get("/review/conflicts"))


def test_resolving_with_htmx_returns_the_settled_card(desk, goal_conflict):
    _goal, conflict = goal_conflict
    response = post(desk, f"/review/conflicts/{conflict.id}/resolve", {"choice": "0"}, htmx=True)
    assert response.status_code == 200
    html = text(response)
    assert "<html" not in html
    assert html.lstrip().startswith(
        f'<article class="conflict resolved" id="conflict-{conflict.id}"'
    )


@pytest.mark.parametrize("choice", ["", "2", "-1", "x"])
def test_bad_choice_is_refused_and_nothing_changes(desk, goal_conflict, choice):
    goal, conflict = goal_conflict
    response = post(desk, f"/review/conflicts/{conflict.id}/resolve", {"choice": choice})
    assert response.status_code == 422
    assert 'data-field="choice"' in text(response)
    db.session.expire_all()
    assert db.session.get(Conflict, conflict.id).status == "open"
    assert db.session.get(Goal, goal.id).title == "Kassatyö"


def test_resolving_twice_is_a_409(desk, goal_conflict):
    _goal, conflict = goal_conflict
    post(desk, f"/review/conflicts/{conflict.id}/resolve", {"choice": "1"})
    again = post(desk, f"/review/conflicts/{conflict.id}/resolve", {"choice": "0"}, htmx=True)
    assert again.status_code == 409
    assert "jo ratkaistu" in text(again)


def test_a_value_the_schema_refuses_is_not_written(desk, world, factory):
    goal = factory.goal(world["periods"]["aino"])
    conflict = factory.conflict(
        "goal",
        goal,
        "status",
        ["open", "finished"],
        organization_id=world["org"].id,
        participant_id=world["aino"].id,
    )
    response = post(desk, f"/review/conflicts/{conflict.id}/resolve", {"choice": "1"})
    assert response.status_code == 422
    assert "status" in text(response)
    db.session.expire_all()
    assert db.session.get(Goal, goal.id).status == "open"


@pytest.mark.parametrize(
    ("choice", "deleted", "title"), [("0", True, "Vanha"), ("1", False, "Muokattu")]
)
def test_delete_conflict_keeps_or_revives_the_record(desk, world, factory, choice, deleted, title):
    goal = factory.goal(world["periods"]["aino"], title="Vanha", deleted=True)
    conflict = factory.conflict(
        "goal",
        goal,
        "_deleted",
        [None, {"title": "Muokattu"}],
        kind="delete",
        organization_id=world["org"].id,
        participant_id=world["aino"].id,
    )
    assert (
        post(desk, f"/review/conflicts/{conflict.id}/resolve", {"choice": choice}).status_code
        == 302
    )
    db.session.expire_all()
    goal = db.session.get(Goal, goal.id)
    assert (goal.deleted, goal.title) == (deleted, title)


def test_choosing_a_proposal_over_signed_content_needs_a_new_signoff(desk, world, factory):
    demo = factory.demonstration(
        world["aino"],
        world["puutarha"],
        title="Koulinta",
        status="signed",
        period_id=world["periods"]["aino"].id,
    )
    conflict = factory.conflict(
        "work_demonstration",
        demo,
        "title",
        ["Koulinta", "Koulinta ja kastelu"],
        kind="signed",
        organization_id=world["org"].id,
        participant_id=world["aino"].id,
    )
    html = text(desk.get("/review/conflicts"))
    assert "allekirjoitettava näyttö uudelleen" in html
    post(desk, f"/review/conflicts/{conflict.id}/resolve", {"choice": "1"})
    db.session.expire_all()
    demo = db.session.get(WorkDemonstration, demo.id)
    assert (demo.title, demo.status) == ("Koulinta ja kastelu", "needs_new_signoff")


# Returning a record to its coach


def return_record(client, record: str, comment: str, htmx=False):
    token = csrf_token(client, "/review/returns")
    headers = {"HX-Request": "true", "X-CSRFToken": token} if htmx else {}
    return client.post(
        "/review/returns",
        data={"csrf_token": token, "record": record, "comment": comment},
        headers=headers,
    )


def test_return_reaches_the_coach_who_answers(client, world, factory):
    goal = factory.goal(world["periods"]["aino"], title="Kassatyö")
    login(client, world["supervisor"].email, PASSWORD)
    response = return_record(client, f"goal:{goal.id}", "Kriteeri puuttuu, lisää se.")
    assert response.status_code == 302
    returned = db.session.scalar(select(ReviewReturn))
    assert (returned.record_type, returned.record_id) == ("goal", goal.id)
    assert returned.participant_id == world["aino"].id
    assert returned.coach_id == world["anna"].id
    assert returned.returned_by_id == world["supervisor"].id
    assert returned.status == "open"
    assert "Kriteeri puuttuu" in text(client.get(f"/review/periods/{world['periods']['aino'].id}"))
    client.post("/logout", data={"csrf_token": csrf_token(client, "/review/returns")})

    # The other coach does not see it; Anna does, and answers.
    login(client, world["ville"].email, PASSWORD)
    assert "Kriteeri puuttuu" not in text(client.get("/review/returns"))
    client.post("/logout", data={"csrf_token": csrf_token(client, "/review/returns")})
    login(client, world["anna"].email, PASSWORD)
    assert "Kriteeri puuttuu" in text(client.get("/review/returns"))
    token = csrf_token(client, "/review/returns")
    blank = client.post(
        f"/review/returns/{returned.id}/answer", data={"csrf_token": token, "answer": ""}
    )
    assert blank.status_code == 422 and "answer" in text(blank)
    done = client.post(
        f"/review/returns/{returned.id}/answer",
        data={"csrf_token": token, "answer": "Lisätty kriteeri."},
    )
    assert done.status_code == 302
    db.session.expire_all()
    returned = db.session.get(ReviewReturn, returned.id)
    assert (returned.status, returned.answer) == ("answered", "Lisätty kriteeri.")
    assert returned.answered_at is not None
    again = client.post(
        f"/review/returns/{returned.id}/answer", data={"csrf_token": token, "answer": "Uudestaan"}
    )
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("record", "comment", "field"),
    [
        ("goal:{goal}", "  ", "comment"),
        ("goal:{goal}", "x" * 4001, "comment"),
        ("goal:nothing", "Tarkista", "record"),
        ("participant:{aino}", "Tarkista", "record"),
        ("goal:{foreign}", "Tarkista", "record"),
    ],
)
def test_bad_return_is_refused_and_nothing_written(desk, world, factory, record, comment, field):
    goal = factory.goal(world["periods"]["aino"])
    stranger = factory.participant(factory.user("coach"))
    foreign = factory.goal(factory.period(stranger))
    record = record.format(goal=goal.id, aino=world["aino"].id, foreign=foreign.id)
    response = return_record(desk, record, comment)
    assert response.status_code == 422
    assert f'data-field="{field}"' in text(response)
    assert db.session.scalar(select(ReviewReturn)) is None


def test_return_with_htmx_answers_with_the_new_return(desk, world):
    period = world["periods"]["jussi"]
    response = return_record(desk, f"coaching_period:{period.id}", "Päättymispäivä?", htmx=True)
    assert response.status_code == 200
    html = text(response)
    assert "<html" not in html and "Päättymispäivä?" in html
    assert "Ville Valmentaja" in html  # the coach it went to


def test_only_caseload_records_are_returned(desk, world, factory):
    # A return syncs within a participant's caseload; an employer contact has none.
    contact = factory.contact(world["kahvila"], world["ville"], TODAY)
    assert return_record(desk, f"employer_contact:{contact.id}", "Tapa?").status_code == 422
    assert db.session.scalar(select(ReviewReturn)) is None


# htmx: the partial for htmx, the whole page otherwise


PARTIAL_PAGES = [
    "/review/periods",
    "/review/conflicts",
    "/review/returns",
    "/vouchers/",
    "/employers/",
    "/events/",
    "/panels/",
    "/outcomes/",
    "/outcomes/records/served",
]


@pytest.mark.parametrize("url", PARTIAL_PAGES)
def test_htmx_gets_the_partial_and_a_browser_the_page(desk, url):
    full = desk.get(url)
    partial = desk.get(url, headers={"HX-Request": "true"})
    restore = desk.get(url, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert full.status_code == partial.status_code == restore.status_code == 200
    assert "<html" in text(full) and "htmx-2.0.11.min.js" in text(full)
    assert "<html" not in text(partial) and '<nav class="desk"' not in text(partial)
    assert "<html" in text(restore)
    # Caches must keep the two apart.
    assert "HX-Request" in full.headers["Vary"] and "HX-Request" in partial.headers["Vary"]


def test_pages_keep_to_the_content_security_policy(desk, world):
    for url in ["/review/", f"/review/periods/{world['periods']['aino'].id}", "/outcomes/"]:
        html = text(desk.get(url))
        assert "<script>" not in html and " style=" not in html and "https://" not in html


def test_signed_content_is_shown_and_compared_with_the_content_now(desk, world, factory):
    from server.models import DemonstrationTask
    from server.signoff.canonical import content_sha256
    from server.signoff.content import current_content

    demo = factory.demonstration(
        world["aino"],
        world["puutarha"],
        title="Koulinta",
        period_id=world["periods"]["aino"].id,
        status="signed",
        overall_result="passed",
    )
    db.session.add(
        DemonstrationTask(demonstration_id=demo.id, position=0, task="Taimet", result="met")
    )
    db.session.commit()
    signed = current_content(db.session.connection(), demo.id)
    factory.signoff(
        demo, "verified", signed_content=signed.decode(), content_sha256=content_sha256(signed)
    )
    url = f"/review/periods/{world['periods']['aino'].id}"
    html = text(desk.get(url))
    assert "Sisältö sama kuin allekirjoitettu" in html
    assert "Näytä allekirjoitettu sisältö" in html and "Taimet" in html
    db.session.get(WorkDemonstration, demo.id).title = "Koulinta ja kastelu"
    db.session.commit()
    html = text(desk.get(url))
    assert "Sisältöä muutettu allekirjoituksen jälkeen" in html
