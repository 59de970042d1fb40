"""Command line: `flask --app server <command>` or `polku <command>` (server/__main__.py).

`db upgrade` comes from Flask-Migrate; these add demo data and accounts, and
`serve` starts the production server (gunicorn).
"""

import os
import sys
from pathlib import Path

import click
from flask import Flask
from marshmallow import ValidationError
from sqlalchemy import select

from server.extensions import db

# Beside the package, not in it: the gunicorn master reads it without
# importing the app, so the workers it starts after SIGHUP load new code.
GUNICORN_SETTINGS = Path(__file__).resolve().parents[1] / "gunicorn.conf.py"


def register(app: Flask) -> None:
    from server.records.check import records
    from server.signoff.cli import verify_signoff
    from server.subjects.cli import retention

    app.cli.add_command(retention)
    app.cli.add_command(verify_signoff)
    app.cli.add_command(records)

    @app.cli.command("demo-data")
    @click.option("--if-empty", is_flag=True, help="Only load when there are no users yet.")
    def demo_data(if_empty: bool):
        """Load a realistic Finnish demo organization."""
        from server.demo import DEMO_LOGINS, load_demo
        from server.models import User

        if if_empty and db.session.scalar(select(User.id).limit(1)) is not None:
            click.echo("Database already has data; demo data not loaded.")
        else:
            load_demo()
            click.echo("Demo data loaded.")
        click.echo(f"Demo logins (password for all: {DEMO_LOGINS['password']}):")
        for role, email in DEMO_LOGINS["users"]:
            click.echo(f"  {role:<14} {email}")

    @app.cli.command("create-user")
    @click.option("--email", required=True)
    @click.option("--name", required=True)
    @click.option("--role", required=True)
    @click.option(
        "--organization",
        "organization_name",
        required=True,
        help="Organization name; created if it does not exist.",
    )
    @click.option("--employer-id", default=None, help="For employer representatives.")
    @click.password_option()
    def create_user_command(email, name, role, organization_name, employer_id, password):
        """Create a login account."""
        from server.accounts import create_user
        from server.models import Organization

        org = db.session.scalar(select(Organization).where(Organization.name == organization_name))
        if org is None:
            org = Organization(name=organization_name)
            db.session.add(org)
            db.session.flush()
        data = {
            "email": email,
            "name": name,
            "role": role,
            "password": password,
            "employer_id": employer_id,
        }
        try:
            user = create_user(data, org.id)
        except ValidationError as error:
            db.session.rollback()
            for field, messages in error.messages.items():
                click.echo(f"{field}: {'; '.join(messages)}", err=True)
            raise SystemExit(2) from None
        db.session.commit()
        click.echo(f"Created {user.role} {user.email} (id {user.id}).")

    @app.cli.command(
        "serve", context_settings={"ignore_unknown_options": True, "allow_extra_args": True}
    )
    @click.argument("gunicorn_args", nargs=-1, type=click.UNPROCESSED)
    def serve(gunicorn_args):
        """Serve with gunicorn (settings: gunicorn.conf.py); arguments after the
        command go to gunicorn. Run `db upgrade` first, once per deploy."""
        command = [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_SETTINGS)]
        os.execv(sys.executable, [*command, *gunicorn_args])  # noqa: S606  (our own interpreter)

    @app.cli.command("export-app-rules")
    def export_app_rules():
        """Write the server's rules for the coach's app (pwa/js/generated/rules.js)."""
        from server import app_rules

        changed = app_rules.write()
        click.echo(f"{'Wrote' if changed else 'Up to date:'} {app_rules.RULES_FILE}")
