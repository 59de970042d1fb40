"""`flask --app server verify-signoff <id>` / `--all`: re-verify stored sign-offs
from the database alone, for audits. Prints one line per sign-off; exits 1 if
any fails now (and 2 for an unknown id). Writes nothing."""

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from server.extensions import db
from server.models import SignOff
from server.signoff.verify import REASONS, Expected, audit


def _explain(reason: str | None) -> str:
    if not reason:
        return ""
    code, _, detail = reason.partition(":")
    meaning = REASONS.get(code, code)
    return f"{code} ({meaning}{';' + detail if detail else ''})"


@click.command("verify-signoff")
@click.argument("signoff_id", required=False)
@click.option("--all", "check_all", is_flag=True, help="Re-verify every stored sign-off.")
@with_appcontext
def verify_signoff(signoff_id: str | None, check_all: bool):
    """Re-verify a sign-off (or all) from the database: nonce, content, key, signature."""
    if bool(signoff_id) == check_all:
        raise click.UsageError("give one sign-off id, or --all")
    ids = (
        list(db.session.scalars(select(SignOff.id).order_by(SignOff.created_at, SignOff.id)))
        if check_all
        else [signoff_id]
    )
    if not check_all and db.session.get(SignOff, signoff_id) is None:
        click.echo(f"{signoff_id}: no such sign-off", err=True)
        raise SystemExit(2)
    expected = Expected.from_config(current_app.config)
    failed = 0
    with db.engine.connect() as conn:
        for i in ids:
            stored = conn.execute(
                select(SignOff.verification_status, SignOff.verification_reason).where(
                    SignOff.id == i
                )
            ).one()
            outcome = audit(conn, i, expected)
            failed += outcome.status != "verified"
            line = f"{i}: {outcome.status}"
            if outcome.reason:
                line += f": {_explain(outcome.reason)}"
            if stored.verification_status != outcome.status:
                line += f" [stored: {stored.verification_status}"
                line += f", {stored.verification_reason}]" if stored.verification_reason else "]"
            click.echo(line)
        conn.rollback()
    click.echo(f"{len(ids)} checked, {len(ids) - failed} verified, {failed} failed")
    if failed:
        raise SystemExit(1)
