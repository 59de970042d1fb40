"""Recruitment interview panels (seed 000): at least two clients and two staff,
each panelist's assessment of each candidate, and the decision."""

import pytest
from sqlalchemy import func, select

from server.extensions import db
from server.models import PanelAssessment, PanelCandidate, Panelist, RecruitmentPanel
from tests.support.factories import PASSWORD
from tests.support.web import csrf_token, login


@pytest.fixture
def supervisor(client, factory):
    user = factory.user("supervisor")
    login(client, user.email, PASSWORD)
    return user


def create(client, clients: str, staff: str, candidates: str = "Hakija Yksi\nHakija Kaksi", **kw):
    token = csrf_token(client, "/panels/new")
    return client.post(
        "/panels/",
        data={
            "csrf_token": token,
            "position_title": "Työhönvalmentaja",
            "held_on": "2026-05-20",
            "clients": clients,
            "staff": staff,
            "candidates": candidates,
            **kw,
        },
    )


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(
    ("clients", "staff", "now"),
    [
        ("Asiakas A", "Henkilö A\nHenkilö B", "1 asiakasta, 2 henkilöstöstä"),
        ("Asiakas A\nAsiakas B", "Henkilö A", "2 asiakasta, 1 henkilöstöstä"),
        ("", "", "0 asiakasta, 0 henkilöstöstä"),
        ("Asiakas A\n   \n", "Henkilö A\nHenkilö B\nHenkilö C", "1 asiakasta, 3 henkilöstöstä"),
    ],
)
def test_panel_needs_two_clients_and_two_staff(client, supervisor, clients, staff, now):
    response = create(client, clients, staff)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Kenttä panelists: paneelissa on oltava vähintään 2 asiakasta ja 2 henkilöstön" in html
    assert now in html
    # The form keeps what was typed, and nothing was written.
    assert "Hakija Kaksi" in html
    assert count(RecruitmentPanel) == count(Panelist) == count(PanelCandidate) == 0


def test_rule_message_in_english(client, supervisor):
    with client.session_transaction() as session:
        session["lang"] = "en"
    html = create(client, "A", "B\nC").get_data(as_text=True)
    assert "a panel needs at least 2 clients and 2 staff (now 1 clients, 2 staff)" in html


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"position_title": ""}, "position_title"),
        ({"held_on": "20.5.2026"}, "held_on"),
        ({"candidates": ""}, "candidates"),
        ({"clients": "A\n" + "x" * 201}, "clients"),
    ],
)
def test_other_fields_are_checked(client, supervisor, form, field):
    values = {"clients": "Asiakas A\nAsiakas B", "staff": "Henkilö A\nHenkilö B", **form}
    response = create(client, **values)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert count(RecruitmentPanel) == 0


@pytest.fixture
def panel(client, supervisor):
    response = create(client, "Asiakas A\nAsiakas B", "Henkilö A\nHenkilö B")
    assert response.status_code == 302
    return db.session.scalar(select(RecruitmentPanel))


def test_valid_panel_is_created_with_its_members(panel):
    kinds = sorted(p.kind for p in db.session.scalars(select(Panelist)))
    assert kinds == ["client", "client", "staff", "staff"]
    assert count(PanelCandidate) == 2
    assert panel.organization_id is not None


def _ids(panel):
    panelists = {p.name: p.id for p in db.session.scalars(select(Panelist))}
    candidates = {c.name: c.id for c in db.session.scalars(select(PanelCandidate))}
    return panelists, candidates


def assess(client, panel, panelist_id, candidate_id, rating="4", **headers):
    token = csrf_token(client, f"/panels/{panel.id}")
    return client.post(
        f"/panels/{panel.id}/assessments",
        data={
            "csrf_token": token,
            "panelist_id": panelist_id,
            "candidate_id": candidate_id,
            "rating": rating,
            "comment": "Hyvä vuorovaikutus",
        },
        headers=headers,
    )


def test_each_panelist_assesses_each_candidate(client, panel):
    panelists, candidates = _ids(panel)
    ratings = {
        ("Asiakas A", "Hakija Yksi"): "5",
        ("Henkilö A", "Hakija Yksi"): "3",
        ("Asiakas B", "Hakija Kaksi"): "2",
    }
    for (who, whom), rating in ratings.items():
        assert assess(client, panel, panelists[who], candidates[whom], rating).status_code == 302
    html = client.get(f"/panels/{panel.id}").get_data(as_text=True)
    assert "Hyvä vuorovaikutus" in html
    assert ">4<" in html.replace("4,00", "4")  # mean of 5 and 3 for Hakija Yksi
    assert count(PanelAssessment) == 3


def test_an_assessment_is_given_once(client, panel):
    panelists, candidates = _ids(panel)
    assert (
        assess(client, panel, panelists["Asiakas A"], candidates["Hakija Yksi"]).status_code == 302
    )
    again = assess(client, panel, panelists["Asiakas A"], candidates["Hakija Yksi"], "1")
    assert again.status_code == 409
    assert count(PanelAssessment) == 1


@pytest.mark.parametrize("bad", ["panelist_id", "candidate_id", "rating"])
def test_bad_assessment_is_refused_naming_the_field(client, panel, factory, bad):
    panelists, candidates = _ids(panel)
    values = {
        "panelist_id": panelists["Asiakas A"],
        "candidate_id": candidates["Hakija Yksi"],
        "rating": "4",
    }
    values[bad] = "6" if bad == "rating" else "someone-else"
    response = assess(
        client, panel, values["panelist_id"], values["candidate_id"], values["rating"]
    )
    assert response.status_code == 422
    assert f'id="{bad}-error"' in response.get_data(as_text=True)
    assert count(PanelAssessment) == 0


def test_htmx_assessment_returns_the_panel_body(client, panel):
    panelists, candidates = _ids(panel)
    response = assess(
        client, panel, panelists["Henkilö B"], candidates["Hakija Kaksi"], **{"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html
    assert html.lstrip().startswith("<h1>Työhönvalmentaja</h1>")


def test_decision_marks_the_chosen_candidate(client, panel):
    _panelists, candidates = _ids(panel)
    token = csrf_token(client, f"/panels/{panel.id}")
    response = client.post(
        f"/panels/{panel.id}/decision",
        data={
            "csrf_token": token,
            "chosen": candidates["Hakija Kaksi"],
            "decision": "Valitaan Hakija Kaksi: paneelin yksimielinen arvio.",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    chosen = {c.name: c.chosen for c in db.session.scalars(select(PanelCandidate))}
    assert chosen == {"Hakija Yksi": False, "Hakija Kaksi": True}
    assert db.session.get(RecruitmentPanel, panel.id).decision.startswith("Valitaan")


def test_decision_needs_text(client, panel):
    token = csrf_token(client, f"/panels/{panel.id}")
    response = client.post(
        f"/panels/{panel.id}/decision", data={"csrf_token": token, "decision": " "}
    )
    assert response.status_code == 422
    assert 'id="decision-error"' in response.get_data(as_text=True)


def test_a_synced_panel_breaking_the_rule_shows_it_and_gets_no_decision(
    client, supervisor, factory
):
    # Panels also arrive from devices; one with a single client is flagged, not decided.
    from datetime import date

    org_panel = RecruitmentPanel(
        organization_id=supervisor.organization_id,
        position_title="Ohjaaja",
        held_on=date(2026, 5, 1),
    )
    db.session.add(org_panel)
    db.session.flush()
    for name, kind in (("A", "client"), ("B", "staff"), ("C", "staff")):
        db.session.add(Panelist(panel_id=org_panel.id, name=name, kind=kind))
    db.session.commit()
    html = client.get(f"/panels/{org_panel.id}").get_data(as_text=True)
    assert 'data-field="panelists"' in html
    token = csrf_token(client, f"/panels/{org_panel.id}")
    response = client.post(
        f"/panels/{org_panel.id}/decision", data={"csrf_token": token, "decision": "Valitaan"}
    )
    assert response.status_code == 422
    assert db.session.get(RecruitmentPanel, org_panel.id).decision is None


def test_panels_of_another_organization_are_not_found(client, factory, supervisor):
    from datetime import date

    other = factory.organization()
    theirs = RecruitmentPanel(
        organization_id=other.id, position_title="Vieraan paneeli", held_on=date(2026, 5, 1)
    )
    db.session.add(theirs)
    db.session.commit()
    assert client.get(f"/panels/{theirs.id}").status_code == 404
    assert "Vieraan paneeli" not in client.get("/panels/").get_data(as_text=True)
