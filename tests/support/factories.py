"""Factory fixture: records with sensible Finnish defaults, overridable per test."""

from datetime import UTC, date, datetime

import pytest
from werkzeug.security import generate_password_hash

from server.extensions import db
from server.models import (
    Assessment,
    AssessmentRound,
    CoachingPeriod,
    CoachingVoucher,
    Conflict,
    Device,
    Employer,
    EmployerContact,
    EmployerContactPerson,
    EventAttendance,
    EventGuest,
    Goal,
    MeetingEvent,
    MeetingEventEmployer,
    Organization,
    Participant,
    SignOff,
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

    # Supervisor review (issue 6): rounds, employer work, events, vouchers, sign-offs, conflicts.

    def assessment_round(self, period: CoachingPeriod, held_on: date = date(2026, 10, 1), **kw):
        return self._add(AssessmentRound(period_id=period.id, held_on=held_on, **kw))

    def contact(self, employer: Employer, coach: User, contact_date: date, **kw):
        return self._add(
            EmployerContact(
                **{
                    "employer_id": employer.id,
                    "coach_id": coach.id,
                    "contact_date": contact_date,
                    "kind": "visit",
                    **kw,
                }
            )
        )

    def event(self, organization: Organization, event_date: date, **kw) -> MeetingEvent:
        return self._add(
            MeetingEvent(
                **{
                    "organization_id": organization.id,
                    "title": f"Työkohtaamo {self._next()}",
                    "event_date": event_date,
                    **kw,
                }
            )
        )

    def attendance(self, event: MeetingEvent, participant: Participant, **kw):
        return self._add(EventAttendance(event_id=event.id, participant_id=participant.id, **kw))

    def event_employer(self, event: MeetingEvent, employer: Employer, **kw):
        return self._add(MeetingEventEmployer(event_id=event.id, employer_id=employer.id, **kw))

    def guest(self, event: MeetingEvent, **kw) -> EventGuest:
        return self._add(EventGuest(event_id=event.id, **kw))

    def voucher(self, period: CoachingPeriod, status: str = "eligible", **kw) -> CoachingVoucher:
        return self._add(
            CoachingVoucher(
                period_id=period.id, employer_id=period.employer_id, status=status, **kw
            )
        )

    def signoff(self, demonstration: WorkDemonstration, status: str = "verified", **kw) -> SignOff:
        person = db.session.scalar(
            db.select(EmployerContactPerson).where(
                EmployerContactPerson.employer_id == demonstration.employer_id
            )
        ) or self._add(
            EmployerContactPerson(employer_id=demonstration.employer_id, name="Esihenkilö")
        )
        n = self._next()
        return self._add(
            SignOff(
                **{
                    "demonstration_id": demonstration.id,
                    "representative_id": person.id,
                    "signed_at": datetime(2026, 10, 16, 9, n % 60, tzinfo=UTC),
                    "content_version": 1,
                    "content_sha256": f"{n:064x}",
                    "nonce": f"nonce-{n}",
                    "credential_id": f"cred-{n}",
                    "authenticator_data": "AA",
                    "client_data_json": "{}",
                    "signature": "AA",
                    "verification_status": status,
                    **kw,
                }
            )
        )

    def conflict(self, record_type: str, record, field: str, values: list, **kw) -> Conflict:
        """An open conflict over `field` of `record`; `values` are the competing values,
        the winner (the value the record holds) first."""
        org = kw.pop("organization_id", None)
        participant_id = kw.pop("participant_id", None)
        return self._add(
            Conflict(
                record_type=record_type,
                record_id=record.id,
                field=field,
                kind=kw.pop("kind", "value"),
                values=[
                    {
                        "value": v,
                        "stamp": f"{1790000000000 + i:013d}-00000-dev{i}",
                        "device_id": f"dev{i}",
                        "user_id": kw.get("user_id"),
                        "mutation_id": f"m-{self._next()}",
                    }
                    for i, v in enumerate(values)
                ],
                organization_id=org,
                participant_id=participant_id,
                **{k: v for k, v in kw.items() if k != "user_id"},
            )
        )

    def device(self, user: User, **kw) -> Device:
        n = self._next()
        return self._add(
            Device(
                **{
                    "id": f"device-{n}",
                    "user_id": user.id,
                    "label": f"Puhelin {n}",
                    "token_hash": f"{n:064x}",
                    "expires_at": datetime(2099, 1, 1, tzinfo=UTC),
                    **kw,
                }
            )
        )


@pytest.fixture
def factory(app) -> Factory:
    return Factory()
