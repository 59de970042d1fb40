"""Validation of the panel forms. The composition rule itself (seed 000: at least
two clients and two staff) is `validate_panel_composition` in the schemas."""

from datetime import date

from marshmallow import ValidationError

from server.i18n import translate
from server.query_args import whole_number
from server.schemas.panels import validate_panel_composition
from server.vocabulary import PANEL_MIN_CLIENTS, PANEL_MIN_STAFF

NAME_MAX = 200
TEXT_MAX = 2000
LINES_MAX = 30


def composition_error(kinds: list[str]) -> str | None:
    try:
        validate_panel_composition(kinds)
    except ValidationError:
        return translate(
            "panels.error.composition",
            min_clients=PANEL_MIN_CLIENTS,
            min_staff=PANEL_MIN_STAFF,
            clients=kinds.count("client"),
            staff=kinds.count("staff"),
        )
    return None


def _names(form, field: str, errors: dict) -> list[str]:
    names = [line.strip() for line in (form.get(field) or "").splitlines() if line.strip()]
    if len(names) > LINES_MAX:
        errors[field] = translate("panels.error.too_many", max=LINES_MAX)
    elif any(len(n) > NAME_MAX for n in names):
        errors[field] = translate("panels.error.name_long", max=NAME_MAX)
    return names


def read_new_panel(form) -> tuple[dict, dict]:
    """(values, errors) of the new-panel form; errors name their field."""
    errors: dict[str, str] = {}
    title = (form.get("position_title") or "").strip()
    if not title:
        errors["position_title"] = translate("panels.error.required")
    elif len(title) > NAME_MAX:
        errors["position_title"] = translate("panels.error.name_long", max=NAME_MAX)
    held_on = None
    try:
        held_on = date.fromisoformat((form.get("held_on") or "").strip())
    except ValueError:
        errors["held_on"] = translate("panels.error.date")
    clients = _names(form, "clients", errors)
    staff = _names(form, "staff", errors)
    candidates = _names(form, "candidates", errors)
    if not candidates and "candidates" not in errors:
        errors["candidates"] = translate("panels.error.no_candidates")
    if message := composition_error(["client"] * len(clients) + ["staff"] * len(staff)):
        errors["panelists"] = message
    values = {
        "position_title": title,
        "held_on": held_on,
        "clients": clients,
        "staff": staff,
        "candidates": candidates,
    }
    return values, errors


def read_rating(raw: str | None) -> int | None:
    return whole_number(raw, minimum=1, maximum=5)
