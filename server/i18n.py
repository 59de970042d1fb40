"""Finnish first, then Swedish and English.

Catalogs are flat JSON files in translations/, one per area and language
(`<area>.<lang>.json`, e.g. `base.fi.json`, `review.sv.json`), merged per
language; every language has the same keys (a test checks it). The language
comes from the session, then the logged-in user's preference, then Finnish.
"""

import json
from functools import cache
from pathlib import Path

from flask import Flask, g, session

from server.vocabulary import LANGUAGES

DEFAULT_LANGUAGE = "fi"
_DIR = Path(__file__).parent / "translations"


@cache
def catalog(language: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted(_DIR.glob(f"*.{language}.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def current_language() -> str:
    lang = session.get("lang")
    if lang in LANGUAGES:
        return lang
    user = getattr(g, "user", None)
    if user is not None and user.language in LANGUAGES:
        return user.language
    return DEFAULT_LANGUAGE


def translate(key: str, language: str | None = None, **values) -> str:
    language = language or current_language()
    text = catalog(language).get(key) or catalog(DEFAULT_LANGUAGE).get(key) or key
    return text.format(**values) if values else text


def init_app(app: Flask) -> None:
    app.jinja_env.globals["t"] = translate
    app.jinja_env.globals["languages"] = LANGUAGES

    @app.context_processor
    def _language():
        return {"lang": current_language()}
