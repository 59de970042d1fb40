from marshmallow import ValidationError

from server.models import PanelAssessment, PanelCandidate, Panelist, RecruitmentPanel
from server.schemas.base import model_schema, rating_field
from server.vocabulary import PANEL_MIN_CLIENTS, PANEL_MIN_STAFF

RecruitmentPanelSchema = model_schema(RecruitmentPanel)
PanelistSchema = model_schema(Panelist)
PanelCandidateSchema = model_schema(PanelCandidate)
PanelAssessmentSchema = model_schema(PanelAssessment, extra={"rating": rating_field()})


def validate_panel_composition(kinds: list[str]) -> None:
    """Seed 000: at least two clients and two staff on every interview panel."""
    clients = kinds.count("client")
    staff = kinds.count("staff")
    if clients < PANEL_MIN_CLIENTS or staff < PANEL_MIN_STAFF:
        raise ValidationError(
            f"a panel needs at least {PANEL_MIN_CLIENTS} clients and {PANEL_MIN_STAFF} staff "
            f"(now {clients} clients, {staff} staff)",
            field_name="panelists",
        )
