"""The pull cursor moves past feed rows the scope check at read (L3b) drops:
a page of rows whose record the puller may no longer see, with nothing for
them after it, must not keep the device pulling the same rows for ever."""

import pytest

from server.extensions import db
from server.models import ChangeFeed
from server.sync_api import feed
from server.sync_api.scopes import Scope
from sync.cursor import decode_cursor
from tests.support.device import SimDevice

STALE_ROWS = 7
PAGE = 3


@pytest.fixture
def world(factory):
    org = factory.organization()
    old_employer, new_employer = factory.employer(org), factory.employer(org)
    coach = factory.user("coach", org)
    participant = factory.participant(coach)
    # The demonstration is now the other employer's ...
    demo = factory.demonstration(participant, new_employer, title="Työnäyttö")
    return {
        "org": org,
        "old_employer": old_employer,
        "participant": participant,
        "demo": demo,
        "rep": factory.representative(old_employer),
    }


def _stale_rows(world) -> int:
    """... but the feed holds changes written under its old employer (e.g. by a
    push that read the scope before a desk move committed): the representative's
    feed filter finds them, and L3b drops them all. The last position written."""
    scope = Scope(world["org"].id, world["participant"].id, world["old_employer"].id)
    rows = [feed.feed_row("work_demonstration", world["demo"].id, 1, scope)] * STALE_ROWS
    feed.append(db.session.connection(), rows)
    db.session.commit()
    return db.session.scalar(db.select(db.func.max(ChangeFeed.seq)))


def _pull(device, limit=PAGE) -> dict:
    query = {"limit": limit, **({"cursor": device.cursor} if device.cursor else {})}
    response = device.client.get("/api/sync/pull", query_string=query, headers=device.auth)
    assert response.status_code == 200
    page = response.get_json()
    device.apply(page)
    return page


def test_a_dropped_tail_moves_the_cursor_to_its_end(app, world):
    rep = SimDevice(app, world["rep"])
    rep.pull()
    last = _stale_rows(world)
    page = _pull(rep)
    assert page["changes"] == [] and page["removals"] == [] and not page["more"]
    assert decode_cursor(page["cursor"]).position == last


def test_after_a_dropped_tail_the_next_change_comes_alone(app, world):
    rep = SimDevice(app, world["rep"])
    rep.pull()
    _stale_rows(world)
    _pull(rep)
    world["old_employer"].name = "Uusi nimi Oy"
    db.session.commit()
    page = _pull(rep)
    assert [c["record_id"] for c in page["changes"]] == [world["old_employer"].id]
    last = db.session.scalar(db.select(db.func.max(ChangeFeed.seq)))
    assert decode_cursor(page["cursor"]).position == last
    assert _pull(rep)["changes"] == []


def test_a_first_pull_past_a_dropped_page_ends(app, world):
    """From no cursor, with more dropped rows than a page: the pull reads on
    (L3b) and ends at the feed's end, not at the last record it sent."""
    last = _stale_rows(world)
    rep = SimDevice(app, world["rep"])
    for _ in range(5):
        page = _pull(rep)
        if not page["more"]:
            break
    assert not page["more"]
    assert decode_cursor(page["cursor"]).position == last
