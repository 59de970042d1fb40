"""Who may handle a participant's data-subject request: an admin, or the
supervisor of the participant's organization (DESIGN §1/§4). Erasure and
restriction are the admin's."""

from flask import abort, g

from server.extensions import db
from server.models import Participant

REQUEST_ROLES = ("admin", "supervisor")


def participant_for(participant_id: str, admin_only: bool = False) -> Participant:
    """The participant, if the logged-in user may act on them (403 for a role
    that may not, 404 for a participant outside the user's organization)."""
    if g.user.role not in (("admin",) if admin_only else REQUEST_ROLES):
        abort(403)
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.organization_id != g.user.organization_id:
        abort(404)
    return participant
