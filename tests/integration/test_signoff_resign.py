"""Re-signing after an edit (issue 14; sync/resign.py, M9).

Signed content is frozen: an edit after signing is kept as a "signed"
conflict and the demonstration needs a new sign-off. The employer then signs
the content with the edits in; the server accepts that signature as settling
the conflicts: the values signed are written, the conflicts resolved by the
sign-off, and the earlier signature and its content stay as history.
"""

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEvent, Conflict, DemonstrationTask, SignOff, WorkDemonstration
from server.signoff.status import signoff_status, signoffs_by_demonstration
from tests.support.factories import PASSWORD
from tests.support.signoff import (
    content_on_device,
    nonces,
    push_signoff,
    scene,
    signoff_fields,
    stored,
)
from tests.support.web import login
from tests.support.webauthn import SoftAuthenticator

NEW = "Suosittelemme palkkaamista vakituiseen työsuhteeseen."


@pytest.fixture
def s(app, factory):
    return scene(app, factory)


def demo_now(demo_id: str) -> WorkDemonstration:
    db.session.expire_all()
    return db.session.get(WorkDemonstration, demo_id)


def status_now(demo_id: str) -> str:
    demo = demo_now(demo_id)
    return signoff_status(demo, signoffs_by_demonstration(db.session, [demo_id])[demo_id])


def conflicts_of(record_id: str) -> list[Conflict]:
    db.session.expire_all()
    return db.session.scalars(select(Conflict).where(Conflict.record_id == record_id)).all()


def signed_then_edited(s):
    """A verified sign-off; then the coach changes the recommendation (a "signed" conflict)."""
    device = s.device()
    pool = nonces(device, 3)
    first, _ = push_signoff(device, signoff_fields(device, s, pool[0]))
    assert stored(first).verification_status == "verified"
    device.pull()
    device.upsert("work_demonstration", s.demo.id, recommendation=NEW)
    (result,) = device.push()
    assert result["status"] == "conflict"
    device.pull()
    return device, pool, first


def proposed_content(device, s, **demo_fields) -> bytes:
    """What the app shows for signing: the device's copy with the proposals in."""
    device.replica.records[("work_demonstration", s.demo.id)].update(demo_fields)
    return content_on_device(device, s.demo.id)


def test_an_edit_after_signing_needs_a_new_signoff_and_a_new_signature_settles_it(s, app):
    device, pool, first = signed_then_edited(s)
    assert status_now(s.demo.id) == "needs_new_signoff"
    assert demo_now(s.demo.id).recommendation != NEW  # frozen: the signed value stays
    (conflict,) = conflicts_of(s.demo.id)
    assert device.record("work_demonstration", s.demo.id)["recommendation"] != NEW
    # The employer signs the content with the edit in.
    content = proposed_content(device, s, recommendation=NEW)
    second, result = push_signoff(device, signoff_fields(device, s, pool[1], content=content))
    assert result["status"] == "applied"
    assert (stored(second).verification_status, stored(second).verification_reason) == (
        "verified",
        None,
    )
    demo = demo_now(s.demo.id)
    assert (demo.recommendation, demo.status) == (NEW, "signed")
    assert status_now(s.demo.id) == "verified"
    (conflict,) = conflicts_of(s.demo.id)
    assert conflict.status == "resolved"
    assert conflict.resolution == {"signoff_id": second, "value": NEW}
    assert conflict.values[0]["value"] != NEW  # the earlier signed value is kept
    audited = db.session.scalars(
        select(AuditEvent.detail).where(AuditEvent.entity_id == s.demo.id)
    ).all()
    assert {"via": "signoff", "signoff_id": second} in audited
    # The earlier signature and its content stay, as history.
    assert stored(first).verification_status == "verified"
    assert '"recommendation":"Suosittelemme palkkaamista kesäkaudeksi."' in (
        stored(first).signed_content
    )
    # The device hears it all by pulling: the new value, no open conflict.
    device.pull()
    assert device.record("work_demonstration", s.demo.id)["recommendation"] == NEW
    assert device.record("work_demonstration", s.demo.id)["status"] == "signed"
    assert not device.replica.conflicts
    # The desk shows both signatures, the first one's content as changed since.
    client = app.test_client()
    login(client, s.supervisor.email, PASSWORD)
    page = client.get(f"/review/periods/{s.period.id}", headers={"Accept-Language": "fi"})
    text = page.get_data(as_text=True)
    assert text.count("Allekirjoittaja") == 2
    assert "Sisältöä muutettu allekirjoituksen jälkeen" in text
    assert "Sisältö sama kuin allekirjoitettu" in text


def test_the_edit_and_the_new_signature_in_one_push_settle(s):
    """Offline: the coach edits and the employer signs before any sync."""
    device = s.device()
    pool = nonces(device, 2)
    push_signoff(device, signoff_fields(device, s, pool[0]))
    device.pull()
    device.upsert("work_demonstration", s.demo.id, recommendation=NEW)
    content = content_on_device(device, s.demo.id)
    second, _ = push_signoff(device, signoff_fields(device, s, pool[1], content=content))
    assert stored(second).verification_status == "verified"
    demo = demo_now(s.demo.id)
    assert (demo.recommendation, demo.status) == (NEW, "signed")
    assert [c.status for c in conflicts_of(s.demo.id)] == ["resolved"]


def test_task_edits_deletes_and_competing_proposals_settle_as_signed(s):
    device, pool, _first = signed_then_edited(s)
    tasks = db.session.scalars(select(DemonstrationTask).order_by(DemonstrationTask.position)).all()
    other = s.device()
    # Two devices propose different results for the first task; the second task is deleted.
    device.upsert("demonstration_task", tasks[0].id, result="partly_met")
    other.upsert("demonstration_task", tasks[0].id, result="not_met")
    device.delete("demonstration_task", tasks[1].id)
    device.push()
    other.push()
    device.pull()
    # The employer signs: the earlier proposal for task 1 (not the latest), task 2 gone.
    records = device.replica.records
    records[("demonstration_task", tasks[0].id)]["result"] = "partly_met"
    device.replica.deleted.add(("demonstration_task", tasks[1].id))
    content = proposed_content(device, s, recommendation=NEW)
    second, _ = push_signoff(device, signoff_fields(device, s, pool[1], content=content))
    assert stored(second).verification_status == "verified"
    db.session.expire_all()
    assert db.session.get(DemonstrationTask, tasks[0].id).result == "partly_met"
    assert db.session.get(DemonstrationTask, tasks[1].id).deleted
    assert demo_now(s.demo.id).recommendation == NEW
    assert all(c.status == "resolved" for c in db.session.scalars(select(Conflict)))
    assert status_now(s.demo.id) == "verified"


def test_a_signature_over_other_content_still_fails_and_changes_nothing(s):
    device, pool, _first = signed_then_edited(s)
    content = proposed_content(device, s, recommendation="Jotain aivan muuta.")
    second, _ = push_signoff(device, signoff_fields(device, s, pool[1], content=content))
    assert stored(second).verification_reason.startswith("content_mismatch")
    assert demo_now(s.demo.id).recommendation != NEW
    assert [c.status for c in conflicts_of(s.demo.id)] == ["open"]
    assert status_now(s.demo.id) == "needs_new_signoff"


def test_a_forged_resignature_settles_nothing(s):
    device, pool, _first = signed_then_edited(s)
    forger = SoftAuthenticator()
    forger.credential_id = s.key.credential_id
    content = proposed_content(device, s, recommendation=NEW)
    fields = signoff_fields(device, s, pool[1], content=content, key=forger)
    second, _ = push_signoff(device, fields)
    assert stored(second).verification_reason.startswith("invalid_signature")
    assert demo_now(s.demo.id).recommendation != NEW
    assert [c.status for c in conflicts_of(s.demo.id)] == ["open"]
    assert status_now(s.demo.id) == "needs_new_signoff"


def test_signing_the_old_content_again_keeps_the_signed_values(s):
    device, pool, _first = signed_then_edited(s)
    second, _ = push_signoff(device, signoff_fields(device, s, pool[1]))
    assert stored(second).verification_status == "verified"
    assert demo_now(s.demo.id).recommendation != NEW
    (conflict,) = conflicts_of(s.demo.id)
    assert conflict.status == "resolved" and conflict.resolution["value"] != NEW
    assert status_now(s.demo.id) == "verified"


def test_a_task_added_after_signing_needs_a_new_signoff(s):
    device = s.device()
    pool = nonces(device, 2)
    push_signoff(device, signoff_fields(device, s, pool[0]))
    device.pull()
    device.upsert("demonstration_task", demonstration_id=s.demo.id, position=5, task="Siivous")
    device.push()
    assert demo_now(s.demo.id).status == "needs_new_signoff"
    assert status_now(s.demo.id) == "needs_new_signoff"
    device.pull()
    second, _ = push_signoff(device, signoff_fields(device, s, pool[1]))
    assert stored(second).verification_status == "verified"
    assert status_now(s.demo.id) == "verified"
    db.session.expire_all()
    assert db.session.scalar(select(SignOff).where(SignOff.id == second)).signed_content.count(
        "Siivous"
    )


def test_going_back_to_the_signed_value_makes_the_demonstration_signed_again(s):
    device, _pool, _first = signed_then_edited(s)
    (conflict,) = device.replica.conflicts.values()
    device.resolve(conflict, conflict["values"][0]["value"])
    (result,) = device.push()
    assert result["status"] == "applied"
    assert [c.status for c in conflicts_of(s.demo.id)] == ["resolved"]
    assert demo_now(s.demo.id).status == "signed"
    assert status_now(s.demo.id) == "verified"
