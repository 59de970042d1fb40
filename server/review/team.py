from datetime import date

from flask import g, render_template

from server.auth.session import roles_required
from server.due import ROUND_INTERVAL_DAYS
from server.review import queries
from server.review.blueprint import bp


@bp.get("/")
@roles_required("supervisor")
def show_team():
    org = g.user.organization_id
    return render_template(
        "review/team.html",
        rows=queries.team_overview(org, date.today()),
        counts=queries.desk_counts(org),
        stale_days=queries.STALE_SYNC_DAYS,
        round_days=ROUND_INTERVAL_DAYS,
    )
