"""Factory fixture: records with sensible Finnish defaults, overridable per test."""

from datetime import date

import pytest
from werkzeug.security import generate_password_hash

from server.extensions import db
from server.models import (
    Assessment,
    AssessmentRound,
    CoachingPeriod,
    Employer,
    EmployerContactPerson,
    Goal,
    Organization,
    Participant,
    User,
    WorkDemonstration,
)
from server.ytunnus import check_digit

PASSWORD = "correct horse battery"
# Hashing is slow by design; tests reuse one hash.
_HASH = generate_password_hash(PASSWORD)


class Factory:
    def __init__(self):
        self._n = 0

    def _next(self) -> int:
        self._n += 1
        return self._n

    def _add(self, obj):
        db.session.add(obj)
        db.session.commit()
        return obj

    def ytunnus(self) -> str:
        """A fresh valid Y-tunnus (digits with r = 1 have none, so skip them)."""
        while True:
            digits = f"{2000000 + self._next() * 7919:07d}"
            if (check := check_digit(digits)) is not None:
                return f"{digits}-{check}"

    def organization(self, **kw) -> Organization:
        return self._add(Organization(**{"name": f"Organisaatio {self._next()}", **kw}))

    def user(self, role: str = "coach", organization=None, **kw) -> User:
        organization = organization or self.organization()
        n = self._next()
        return self._add(
            User(
                **{
                    "organization_id": organization.id,
                    "email": f"{role}{n}@example.fi",
                    "name": f"Käyttäjä {n}",
                    "role": role,
                    "password_hash": _HASH,
                    **kw,
                }
            )
        )

    def employer(self, organization=None, **kw) -> Employer:
        organization = organization or self.organization()
        return self._add(
            Employer(
                **{
                    "organization_id": organization.id,
                    "name": f"Yritys {self._next()} Oy",
                    "business_id": self.ytunnus(),
                    **kw,
                }
            )
        )

    def representative(self, employer: Employer, **kw) -> User:
        org = db.session.get(Organization, employer.organization_id)
        user = self.user("employer_rep", organization=org, **kw)
        self._add(EmployerContactPerson(employer_id=employer.id, name=user.name, user_id=user.id))
        return user

    def participant(self, coach: User, **kw) -> Participant:
        return self._add(
            Participant(
                **{
                    "organization_id": coach.organization_id,
                    "coach_id": coach.id,
                    "first_name": "Aino",
                    "last_name": f"Lehtonen{self._next()}",
                    "consent_given": True,
                    **kw,
                }
            )
        )

    def period(self, participant: Participant, employer: Employer | None = None, **kw):
        return self._add(
            CoachingPeriod(
                **{
                    "participant_id": participant.id,
                    "coach_id": participant.coach_id,
                    "employer_id": employer.id if employer else None,
                    "measure_type": "work_trial",
                    "phase": "active",
                    "start_date": date(2026, 9, 1),
                    **kw,
                }
            )
        )

    def goal(self, period: CoachingPeriod, area: str = "competence", **kw) -> Goal:
        return self._add(
            Goal(**{"period_id": period.id, "area": area, "title": f"Tavoite {area}", **kw})
        )

    def assessment(self, goal: Goal, rater: str = "coach", rating: int = 3, **kw):
        rnd = kw.pop("round", None) or self._add(
            AssessmentRound(period_id=goal.period_id, held_on=date(2026, 10, 1))
        )
        return self._add(
            Assessment(round_id=rnd.id, goal_id=goal.id, rater=rater, rating=rating, **kw)
        )

    def demonstration(self, participant: Participant, employer: Employer, **kw):
        return self._add(
            WorkDemonstration(
                **{
                    "participant_id": participant.id,
                    "employer_id": employer.id,
                    "title": "Työnäyttö",
                    "demonstration_date": date(2026, 10, 15),
                    **kw,
                }
            )
        )


@pytest.fixture
def factory(app) -> Factory:
    return Factory()
