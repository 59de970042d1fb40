"""Scenario 1 of issue 4: a working day offline. The coach logs in, the app
goes offline, a coaching period with goals in all four areas and a full
assessment round is recorded; a reload and a browser restart while still
offline keep everything; back online, the server has every record exactly once."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from server.extensions import db
from server.models import AppliedMutation, Assessment, AssessmentRound, CoachingPeriod, Goal
from tests.support.browser import open_app, set_offline, wait_for_service_worker

pytestmark = pytest.mark.e2e

GOALS = {
    "competence": ("Osaaminen", "Kassatyöt sujuvat itsenäisesti"),
    "work_community": ("Työyhteisön toimivuus", "Kysyn neuvoa työkavereilta"),
    "working_life_skills": ("Työelämätaidot", "Tulen ajoissa vuoroon"),
    "wellbeing": ("Hyvinvointi", "Jaksan koko työviikon"),
}
RATERS = ("Uusi työntekijä", "Työnantaja", "Työyhteisö", "Valmentaja")


@pytest.fixture
def db_backend():
    return "sqlite"  # the browser path does not depend on the database


def test_offline_day_then_everything_lands_once(
    browser_type, browser_type_launch_args, pwa_server, factory, tmp_path
):
    coach = factory.user("coach", name="Sanna Virtanen")
    participant = factory.participant(coach, first_name="Aino", last_name="Lehtonen")
    factory.employer(organization=coach.organization, name="Pohjolan Puutarha Oy")
    participant_id, email = participant.id, coach.email
    profile = tmp_path / "profile"

    def launch():
        return browser_type.launch_persistent_context(
            profile, **browser_type_launch_args, viewport={"width": 360, "height": 640}
        )

    context = launch()
    page = context.pages[0] if context.pages else context.new_page()
    open_app(page, pwa_server.url, email)
    set_offline(context, pwa_server, True)

    page.get_by_role("link", name="Aino Lehtonen").click()
    page.get_by_role("link", name="Uusi valmennusjakso").click()
    page.get_by_label("Toimenpide").select_option("work_trial")
    page.get_by_label("Työnantaja").select_option(label="Pohjolan Puutarha Oy")
    page.get_by_label("Vaihe").select_option("active")
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_role("heading", name="Osapuolet ja tiedot")).to_be_visible()
    period_url = page.url

    for area_label, title in GOALS.values():
        page.get_by_role("link", name=f"Uusi tavoite: {area_label}").click()
        page.get_by_label("Tavoite", exact=True).fill(title)
        page.get_by_role("button", name="Tallenna").click()
        expect(page.get_by_role("heading", name=title)).to_be_visible()

    page.get_by_role("link", name="Uusi arviointikierros").click()
    for n, (_, title) in enumerate(GOALS.values()):
        section = page.locator("section.goal-rating").filter(has_text=title)
        for i, rater in enumerate(RATERS):
            group = section.get_by_role("group", name=rater)
            group.get_by_text(str(1 + (n + i) % 5), exact=True).click()
            if i == 0:
                group.get_by_label("Kommentti").fill(f"Oma arvio: {title}")
    page.get_by_role("button", name="Tallenna arviointi").click()
    expect(page.get_by_role("heading", name="Arviointikierros", exact=True)).to_be_visible()
    round_url = page.url
    expect(page.get_by_text("Oma arvio: Tulen ajoissa vuoroon")).to_be_visible()
    expect(page.get_by_test_id("pending")).to_have_text("Odottaa synkronointia: 22")

    page.reload()  # offline: the service worker renders from IndexedDB
    expect(page.get_by_role("heading", name="Arviointikierros", exact=True)).to_be_visible()

    context.close()  # the phone restarts, still offline
    context = launch()
    set_offline(context, pwa_server, True)
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(period_url)
    wait_for_service_worker(page)
    for _, title in GOALS.values():
        expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(page.get_by_text("Ei vielä synkronoitu").first).to_be_visible()
    page.goto(round_url)
    for _, title in GOALS.values():
        expect(page.get_by_text(f"Oma arvio: {title}")).to_be_visible()
    rows = page.locator("table.results tbody tr")
    expect(rows).to_have_count(16)
    expect(page.get_by_test_id("pending")).to_have_text("Odottaa synkronointia: 22")

    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(CoachingPeriod)) == 0
    set_offline(context, pwa_server, False)  # the `online` event starts a sync
    expect(page.get_by_test_id("pending")).to_have_text("Kaikki synkronoitu", timeout=30000)
    context.close()

    db.session.remove()
    periods = db.session.scalars(
        select(CoachingPeriod).where(CoachingPeriod.participant_id == participant_id)
    ).all()
    assert len(periods) == 1
    assert periods[0].measure_type == "work_trial" and periods[0].phase == "active"
    goals = db.session.scalars(select(Goal).where(Goal.period_id == periods[0].id)).all()
    assert sorted((g.area, g.title) for g in goals) == sorted(
        (area, title) for area, (_, title) in GOALS.items()
    )
    rounds = db.session.scalars(
        select(AssessmentRound).where(AssessmentRound.period_id == periods[0].id)
    ).all()
    assert len(rounds) == 1
    ratings = db.session.scalars(
        select(Assessment).where(Assessment.round_id == rounds[0].id)
    ).all()
    assert len(ratings) == 16
    assert len({(a.goal_id, a.rater) for a in ratings}) == 16
    assert db.session.scalar(select(func.count()).select_from(AppliedMutation)) == 22
