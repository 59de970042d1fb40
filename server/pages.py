"""Helpers shared by the desk's pages (review, vouchers, employer work,
outcomes): htmx partial or full page, paging, dates.

One template per partial: a view names its full page and its partial, and
gets the partial on an htmx request, the full page otherwise (also when htmx
restores history, which needs the whole page).
"""

import csv
import io
import math
from dataclasses import dataclass
from datetime import date

from flask import Response, abort, render_template, request
from sqlalchemy import Select, func, select

from server.extensions import db, htmx
from server.i18n import current_language, translate
from server.query_args import int_arg

PAGE_SIZE = 50


def wants_partial() -> bool:
    return bool(htmx) and not htmx.history_restore_request


def render_page(full: str, partial: str, code: int = 200, **context) -> Response:
    """The partial for htmx, the full page for everyone else; caches keep them apart."""
    template = partial if wants_partial() else full
    response = Response(render_template(template, **context), status=code)
    response.headers["Vary"] = "HX-Request"
    return response


@dataclass
class Page:
    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def page_number() -> int:
    return int_arg("page", 1, message=translate("review.error.page"))


def paginate(query: Select, per_page: int = PAGE_SIZE, scalars: bool = True) -> Page:
    """One page of `query` (already ordered) and the total count, in two queries."""
    number = page_number()
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = query.limit(per_page).offset((number - 1) * per_page)
    items = db.session.scalars(rows).all() if scalars else db.session.execute(rows).all()
    return Page(list(items), number, per_page, total or 0)


def date_arg(name: str, default: date | None = None) -> date | None:
    """A yyyy-mm-dd query argument; a bad one is a 400 naming the field."""
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        abort(400, description=translate("review.error.date", field=name))


def args_without(*names: str) -> dict:
    """The current query arguments minus `names`, for links that change one of them."""
    return {k: v for k, v in request.args.items() if k not in names and v != ""}


def decimal_separator() -> str:
    return "." if current_language() == "en" else ","


def csv_response(filename: str, header: list[str], rows: list[list]) -> Response:
    """CSV a spreadsheet opens in the user's language: Finnish and Swedish use
    `;` between fields and a decimal comma, English `,` and a decimal point."""
    sep = decimal_separator()
    delimiter = ";" if sep == "," else ","
    out = io.StringIO()
    out.write("\ufeff")  # byte order mark: spreadsheets then read UTF-8
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_cell(value, sep) for value in row])
    response = Response(out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _csv_cell(value, sep: str):
    if value is None:
        return ""
    if isinstance(value, bool):
        return translate("yes") if value else translate("no")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".")
        return text.replace(".", sep)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    # A cell starting like a formula is shown as text, never run (CSV injection).
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def refused(message: str, status: int, back: str | None = None, field: str | None = None):
    """A refused action: the message (naming the field) with a 4xx status.
    htmx gets the alert alone, to show beside the form; a browser, a page."""
    return render_page(
        "review/refused.html",
        "review/_refused.html",
        code=status,
        message=message,
        field=field,
        back=back,
    )


def safe_next(default: str) -> str:
    """A same-site path from the form's `next`, never an open redirect."""
    target = request.form.get("next") or ""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default
