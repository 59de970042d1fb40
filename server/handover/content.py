"""What a hand-over summary holds, per version.

The employer's version is built without the wellbeing area at all (the same
query the desk uses with wellbeing hidden), so no wellbeing goal, rating or
comment can reach it by a template slip.
"""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from server.models import CoachingPeriod, Participant
from server.review import period_page

VERSIONS = ("employee", "employer")


@dataclass
class Summary:
    version: str
    period: CoachingPeriod
    participant: Participant
    rounds: list
    areas: list  # period_page.AreaView
    demonstrations: list  # period_page.DemonstrationView
    representatives: list

    @property
    def for_employer(self) -> bool:
        return self.version == "employer"


def gather(session: Session, period: CoachingPeriod, version: str) -> Summary:
    if version not in VERSIONS:
        raise ValueError(version)
    rounds = period_page.rounds_of(session, period)
    show_wellbeing = version == "employee"
    return Summary(
        version,
        period,
        session.get(Participant, period.participant_id),
        list(rounds),
        period_page.goal_areas(session, period, rounds, show_wellbeing),
        period_page.demonstrations(session, period),
        list(period_page.representatives(session, period.employer_id)),
    )
