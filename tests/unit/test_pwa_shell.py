"""The PWA's files as the server serves them: the app shell, the release
version, the translations, and the session endpoint the app starts from."""

import hashlib
import json
import re
from pathlib import Path

import pytest

from server.app_rules import LABEL_PREFIXES, build

PWA = Path(__file__).parents[2] / "pwa"
SERVER_TRANSLATIONS = Path(__file__).parents[2] / "server" / "translations"
SHELL = re.findall(r'"(/app/[^"]+)"', (PWA / "js" / "shell.js").read_text("utf-8"))


def release_hash() -> str:
    """A hash of every file of the app but sw.js itself, which carries it."""
    digest = hashlib.sha256()
    for path in sorted(PWA.rglob("*")):
        if path.is_file() and path.name not in ("sw.js", "package.json"):
            digest.update(str(path.relative_to(PWA)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def test_release_version_matches_the_files():
    """Browsers install a new app version only when sw.js changes (Chromium does
    not pick up a changed module of a module worker by itself)."""
    version = re.search(r'const VERSION = "([^"]+)"', (PWA / "sw.js").read_text("utf-8"))
    expected = release_hash()
    assert version and version.group(1) == expected, (
        f'the app changed: set `const VERSION = "{expected}"` in pwa/sw.js'
    )


def test_shell_files_exist_and_pages_use_only_them():
    assert SHELL
    for url in SHELL:
        assert (PWA / url.removeprefix("/app/")).is_file(), url
    layout = (PWA / "js" / "views" / "ui.js").read_text("utf-8")
    for url in re.findall(
        r'(?:href|src)="(/app/[^"]+\.(?:js|css|json|webmanifest|png|svg))"', layout
    ):
        assert url in SHELL, f"{url} is used by every page but not cached for offline use"


def catalog(lang: str) -> dict:
    return json.loads((PWA / "locales" / f"{lang}.json").read_text("utf-8"))


def test_every_language_has_every_key():
    fi = catalog("fi")
    for lang in ("sv", "en"):
        assert set(catalog(lang)) == set(fi), lang
        assert all(value.strip() for value in catalog(lang).values())


def test_every_key_the_code_uses_is_translated():
    fi = catalog("fi") | build()["labels"]["fi"]
    used = set()
    for path in (PWA / "js").rglob("*.js"):
        text = path.read_text("utf-8")
        used |= set(re.findall(r'\bt\("([a-z_0-9.]+)"', text))
        used |= set(
            re.findall(
                r'"((?:due|nav|caseload|goal|round|employer|event|contact|person|demo|conflict|sync)\.[a-z_0-9]+)"',
                text,
            )
        )
    missing = sorted(key for key in used if key not in fi)
    assert not missing, missing


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_domain_labels_agree_with_the_server(lang):
    """The labels the app shows (its catalog with generated/rules.js's labels over it,
    as pwa/js/i18n.js merges them) are the server's, for every label prefix."""
    server = {}
    for path in SERVER_TRANSLATIONS.glob(f"*.{lang}.json"):
        server.update(json.loads(path.read_text("utf-8")))
    app = catalog(lang) | build()["labels"][lang]
    shared = [key for key in server if key.split(".", 1)[0] in LABEL_PREFIXES]
    assert "contact_kind.meeting_event" in shared
    assert {k: app.get(k) for k in shared} == {k: server[k] for k in shared}
