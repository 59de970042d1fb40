"""`flask retention report` (a dry run: what the rule would remove) and
`flask retention apply` (removes it; idempotent, safe to run from cron)."""

from datetime import date

import click
from flask.cli import AppGroup

from server.extensions import db
from server.subjects import retention as rule

retention = AppGroup("retention", help="The retention rule for personal data and audit entries.")


@retention.command("report")
def report_command():
    """Show what `apply` would remove today; changes nothing."""
    found = rule.report(db.session, date.today())
    click.echo(
        f"Rule: personal data {found.rule.years} years after the last period ended "
        f"(ended before {found.cutoff.isoformat()}); audit entries after "
        f"{found.rule.audit_years} years (before {found.audit_cutoff.date().isoformat()})."
    )
    click.echo(f"Participants to erase: {len(found.participants)}")
    for due in found.participants:
        click.echo(f"  {due.participant_id}  last period ended {due.last_end.isoformat()}")
    click.echo(f"Audit entries to remove: {found.audit_entries}")


@retention.command("apply")
def apply_command():
    """Erase what the rule says, and record the run."""
    run = rule.apply(db.session, date.today())
    click.echo(
        f"Erased {run.participants_erased} participants; "
        f"removed {run.audit_entries_removed} audit entries."
    )
