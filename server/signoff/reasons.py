"""A sign-off's failure reason for people: the stored code, translated, plus its detail.

Stored reasons look like "content_mismatch" or "wrong_origin: https://…"
(server.signoff.verify.REASONS lists the codes). Templates use the filter
(server/template_filters.py): `{{ signoff.verification_reason | signoff_reason }}`.
"""

from server.i18n import translate
from server.signoff.verify import REASONS


def reason_code(reason: str | None) -> str | None:
    return None if not reason else reason.split(":", 1)[0].strip()


def reason_label(reason: str | None, language: str | None = None) -> str:
    """The reason in the reader's language ("" for none); an unknown code is shown as is."""
    code = reason_code(reason)
    if code is None:
        return ""
    if code not in REASONS:
        return reason or ""
    return translate(f"signoff_reason.{code}", language)
