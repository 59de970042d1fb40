import json
import re
from pathlib import Path

from server.i18n import catalog
from server.vocabulary import (
    DEMONSTRATION_STATUSES,
    GOAL_AREAS,
    LANGUAGES,
    MEASURE_TYPES,
    PERIOD_PHASES,
    RATERS,
    ROLES,
    VOUCHER_STATUSES,
)

ROOT = Path(__file__).parents[2]
CATALOGS = {lang: catalog(lang) for lang in LANGUAGES}
AREA_FILES = sorted((ROOT / "server" / "translations").glob("*.fi.json"))


def test_every_language_has_the_same_keys():
    keys = {lang: set(catalog) for lang, catalog in CATALOGS.items()}
    assert keys["sv"] == keys["fi"]
    assert keys["en"] == keys["fi"]


def test_every_area_file_has_all_three_languages():
    assert AREA_FILES
    for fi in AREA_FILES:
        area = fi.name.removesuffix(".fi.json")
        keys = set(json.loads(fi.read_text("utf-8")))
        for lang in ("sv", "en"):
            other = fi.with_name(f"{area}.{lang}.json")
            assert set(json.loads(other.read_text("utf-8"))) == keys, other.name


def test_no_empty_translations():
    for lang, texts in CATALOGS.items():
        assert all(text.strip() for text in texts.values()), lang


def test_vocabularies_are_translated():
    needed = (
        [f"role.{r}" for r in ROLES]
        + [f"area.{a}" for a in GOAL_AREAS]
        + [f"measure.{m}" for m in MEASURE_TYPES]
        + [f"phase.{p}" for p in PERIOD_PHASES]
        + [f"rater.{r}" for r in RATERS]
        + [f"voucher_status.{s}" for s in VOUCHER_STATUSES]
        + [f"demo_status.{s}" for s in DEMONSTRATION_STATUSES]
        + [f"rating.{n}" for n in range(1, 6)]
    )
    missing = [key for key in needed if key not in CATALOGS["fi"]]
    assert missing == []


def test_templates_use_only_known_keys():
    used = set()
    for template in (ROOT / "server" / "templates").rglob("*.html"):
        used |= set(re.findall(r"\bt\('([a-z_.0-9]+)'[,)]", template.read_text("utf-8")))
    assert used, "no translated strings found in templates"
    assert sorted(used - set(CATALOGS["fi"])) == []


def test_placeholders_match_across_languages():
    for key, text in CATALOGS["fi"].items():
        names = set(re.findall(r"{(\w+)}", text))
        for lang in ("sv", "en"):
            assert set(re.findall(r"{(\w+)}", CATALOGS[lang][key])) == names, (lang, key)
