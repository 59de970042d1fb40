"""The registry of record types (server/records/registry.py) checks itself
when imported, and what is derived from it says what the entries say."""

from dataclasses import replace

import pytest

from server import models as m
from server.auth.policy import PERMISSIONS
from server.i18n import catalog
from server.models.base import SyncedMixin
from server.records.hooks import SignedContent, VerifiedOnArrival
from server.records.registry import SYNCED, TYPES, RegistryError, check, descendants
from server.schemas.coaching import GoalSchema
from server.sync_api.scopes import EMPLOYER_VISIBLE_TYPES
from server.vocabulary import LANGUAGES


def entries(*names):
    return [TYPES[n] for n in names]


def test_the_registry_as_it_stands_passes_its_check():
    assert check(TYPES.values()) == TYPES


def test_a_child_listed_before_its_parent_is_refused():
    with pytest.raises(RegistryError, match="goal: its parent coaching_period must come before"):
        check(entries("participant", "goal", "coaching_period"))


def test_a_hook_naming_no_type_is_refused():
    signoff = replace(TYPES["signoff"], hooks=(VerifiedOnArrival("demonstration_id", "demo", "x"),))
    with pytest.raises(RegistryError, match="signoff: VerifiedOnArrival names demo"):
        check([*entries("participant", "work_demonstration"), signoff])


def test_a_parent_field_that_is_no_column_is_refused():
    goal = replace(TYPES["goal"], parent=("period", "coaching_period"))
    with pytest.raises(RegistryError, match="goal: parent field period is not a column"):
        check([*entries("participant", "coaching_period"), goal])


def test_a_synced_child_of_a_desk_only_parent_is_refused():
    period = replace(TYPES["coaching_period"], synced=False)
    with pytest.raises(RegistryError, match="goal: synced under coaching_period"):
        check([TYPES["participant"], period, TYPES["goal"]])


def test_a_type_listed_twice_and_a_label_that_is_no_field_are_refused():
    with pytest.raises(RegistryError, match="participant: listed twice"):
        check(entries("participant", "participant"))
    goal = replace(TYPES["goal"], label_attrs=("heading",))
    with pytest.raises(RegistryError, match="goal: heading is not a field of Goal"):
        check([*entries("participant", "coaching_period"), goal])


def test_every_model_with_sync_bookkeeping_has_an_entry():
    models = {mapper.class_ for mapper in m.Base.registry.mappers}
    versioned = {cls for cls in models if issubclass(cls, SyncedMixin)}
    assert versioned == {t.model for t in TYPES.values()}


def test_every_type_has_a_label_in_every_language_and_a_known_area():
    for t in TYPES.values():
        for language in LANGUAGES:
            assert t.label_key in catalog(language), (t.name, language)
        assert t.area is None or t.area in PERMISSIONS, t.name


def test_the_employer_side_never_sees_a_caseloads_own_records():
    # DESIGN §4: employers see their own details and demonstrations, never notes,
    # goals or assessments (wellbeing is special-category).
    assert set(EMPLOYER_VISIBLE_TYPES) == {
        n for n, t in SYNCED.items() if t.employer_visible
    } and not {"goal", "assessment", "note", "participant"} & set(EMPLOYER_VISIBLE_TYPES)


def test_descendants_list_parents_before_children():
    under = [t.name for t in descendants("participant")]
    assert under.index("coaching_period") < under.index("goal") < under.index("assessment")
    assert under.index("work_demonstration") < under.index("signoff")
    assert "workplace" not in under and "meeting_event_employer" not in under


def test_writable_fields_are_the_schemas():
    assert TYPES["goal"].writable == frozenset(GoalSchema().fields)
    assert TYPES["work_demonstration"].hook(SignedContent).demonstration_id("d1", {}) == "d1"
