"""A realistic Finnish demo organization (all people and companies are fictional).

Dates are relative to today so the phases, due follow-ups and rounds look
alive whenever the demo is loaded.
"""

from datetime import UTC, date, datetime, timedelta

from werkzeug.security import generate_password_hash

from server.extensions import db
from server.models import (
    Assessment,
    AssessmentRound,
    CoachingPeriod,
    CoachingVoucher,
    DemonstrationTask,
    Employer,
    EmployerContact,
    EmployerContactPerson,
    EmployerNote,
    EventAttendance,
    EventGuest,
    Goal,
    MeetingEvent,
    MeetingEventEmployer,
    Organization,
    Participant,
    SatisfactionAnswer,
    User,
    VoucherRequest,
    WorkDemonstration,
    Workplace,
)

DEMO_PASSWORD = "polku-demo-2026"  # noqa: S105  (demo data only; printed by `make run`)
DEMO_LOGINS = {
    "password": DEMO_PASSWORD,
    "users": [
        ("coach", "sanna.virtanen@polku.example"),
        ("coach", "mikko.heikkinen@polku.example"),
        ("supervisor", "anu.korhonen@polku.example"),
        ("admin", "pekka.laine@polku.example"),
        ("employer_rep", "jari.makela@puutarha.example"),
        ("employer_rep", "tiina.salo@konehuolto.example"),
        ("employer_rep", "laura.kanerva@kanerva.example"),
    ],
}

EMPLOYERS = [
    # name, Y-tunnus, industry, workplace, representative (name, email)
    (
        "Pohjolan Puutarha Oy",
        "2456789-6",
        "Puutarha-ala",
        "Taimitarha, Kempele",
        ("Jari Mäkelä", "jari.makela@puutarha.example"),
    ),
    (
        "Oulun Kone ja Huolto Oy",
        "3456712-8",
        "Kunnossapito",
        "Huoltohalli, Oulu",
        ("Tiina Salo", "tiina.salo@konehuolto.example"),
    ),
    (
        "Kahvila Kanerva Ky",
        "2871034-6",
        "Ravintola-ala",
        "Kahvila, Oulun keskusta",
        ("Laura Kanerva", "laura.kanerva@kanerva.example"),
    ),
]

PARTICIPANTS = [
    # first, last, birth year, municipality, coach index, employer index or None,
    # measure, phase, days since start
    ("Aino", "Lehtonen", 1998, "Oulu", 0, 0, "work_trial", "active", 40),
    ("Jussi", "Niskanen", 1985, "Kempele", 0, 1, "subsidised_work", "active", 75),
    ("Leena", "Hakala", 2001, "Oulu", 0, 2, "apprenticeship", "planning", 5),
    ("Tuomas", "Ruotsalainen", 1979, "Liminka", 0, 0, "paid_work", "ended", 200),
    ("Mira", "Pesonen", 1995, "Oulu", 1, 2, "work_trial", "active", 20),
    ("Antti", "Karjalainen", 1990, "Kiiminki", 1, 1, "paid_work", "follow_up", 150),
    ("Sofia", "Anttila", 2003, "Oulu", 1, None, "job_coaching", "active", 12),
    ("Eero", "Väisänen", 1988, "Haukipudas", 1, None, "studies", "planning", 3),
]

GOALS = {
    "competence": (
        "Hallitsee kassatyön ja päivittäiset tilitykset",
        "Tekee kassatyön itsenäisesti koko vuoron ajan.",
    ),
    "work_community": (
        "Tutustuu työyhteisöön ja työvuorojen vaihtoon",
        "Kysyy neuvoa työkavereilta ja osallistuu palavereihin.",
    ),
    "working_life_skills": (
        "Saapuu ajoissa ja ilmoittaa poissaoloista",
        "Ei myöhästymisiä kahteen viikkoon.",
    ),
    "wellbeing": (
        "Jaksaa kuuden tunnin työpäivän",
        "Tauot pidetään, ei ylimääräisiä sairauspoissaoloja.",
    ),
}


def _user(org, name, email, role):
    user = User(
        organization=org,
        name=name,
        email=email,
        role=role,
        password_hash=generate_password_hash(DEMO_PASSWORD),
    )
    db.session.add(user)
    return user


def load_demo() -> None:
    today = date.today()
    org = Organization(name="Oulun seudun työllisyyspalvelut (demo)")
    db.session.add(org)
    coaches = [
        _user(org, "Sanna Virtanen", "sanna.virtanen@polku.example", "coach"),
        _user(org, "Mikko Heikkinen", "mikko.heikkinen@polku.example", "coach"),
    ]
    _user(org, "Anu Korhonen", "anu.korhonen@polku.example", "supervisor")
    _user(org, "Pekka Laine", "pekka.laine@polku.example", "admin")
    db.session.flush()

    employers, workplaces, representatives = [], [], []
    for name, business_id, industry, place, (rep_name, rep_email) in EMPLOYERS:
        employer = Employer(
            organization_id=org.id,
            name=name,
            business_id=business_id,
            industry=industry,
            municipality="Oulu",
        )
        workplace = Workplace(employer=employer, name=place)
        rep = _user(org, rep_name, rep_email, "employer_rep")
        db.session.add_all([employer, workplace])
        db.session.flush()
        contact = EmployerContactPerson(
            employer_id=employer.id,
            name=rep_name,
            email=rep_email,
            title="Esihenkilö",
            user_id=rep.id,
        )
        db.session.add(contact)
        employers.append(employer)
        workplaces.append(workplace)
        representatives.append(contact)

    periods = []
    for first, last, born, town, coach_i, emp_i, measure, phase, days in PARTICIPANTS:
        coach = coaches[coach_i]
        person = Participant(
            organization_id=org.id,
            coach_id=coach.id,
            first_name=first,
            last_name=last,
            birth_year=born,
            municipality=town,
            consent_given=True,
            consent_date=today - timedelta(days=days + 3),
        )
        db.session.add(person)
        db.session.flush()
        start = today - timedelta(days=days)
        period = CoachingPeriod(
            participant_id=person.id,
            coach_id=coach.id,
            measure_type=measure,
            phase=phase,
            employer_id=employers[emp_i].id if emp_i is not None else None,
            workplace_id=workplaces[emp_i].id if emp_i is not None else None,
            start_date=start,
            planned_end_date=start + timedelta(days=120),
        )
        if phase in ("ended", "follow_up"):
            period.end_date = start + timedelta(days=110)
            period.outcome_at_end = (
                "employed_open" if measure == "paid_work" else "employed_subsidised"
            )
        if phase == "ended":
            period.outcome_3_months = "employed_open"
        db.session.add(period)
        db.session.flush()
        if period.end_date is not None:
            for party, rating in (("participant", 5), ("employer", 4)):
                db.session.add(
                    SatisfactionAnswer(
                        period_id=period.id,
                        moment="end",
                        party=party,
                        rating=rating,
                        answered_on=period.end_date,
                        language="fi",
                    )
                )
        periods.append((period, days))

    for period, days in periods:
        goals = [
            Goal(
                period_id=period.id,
                area=area,
                title=title,
                success_criteria=criteria,
                target_date=period.start_date + timedelta(days=90),
                status="achieved" if period.phase in ("ended", "follow_up") else "open",
            )
            for area, (title, criteria) in GOALS.items()
        ]
        db.session.add_all(goals)
        db.session.flush()
        # One round a month so far, ratings improving round by round.
        rounds = min(days // 30, 4)
        for n in range(rounds):
            rnd = AssessmentRound(
                period_id=period.id,
                held_on=period.start_date + timedelta(days=30 * (n + 1)),
                is_final=period.phase == "ended" and n == rounds - 1,
            )
            db.session.add(rnd)
            db.session.flush()
            for i, goal in enumerate(goals):
                for rater, offset in (("participant", 1), ("employer", 0), ("coach", 0)):
                    db.session.add(
                        Assessment(
                            round_id=rnd.id,
                            goal_id=goal.id,
                            rater=rater,
                            rating=min(5, 2 + n + (i + offset) % 2),
                        )
                    )

    aino_period = periods[0][0]
    demo = WorkDemonstration(
        participant_id=aino_period.participant_id,
        employer_id=employers[0].id,
        period_id=aino_period.id,
        workplace_id=workplaces[0].id,
        title="Taimien koulinta ja kasteluvuoro",
        demonstration_date=today - timedelta(days=2),
        overall_result="passed",
        status="ready",
        recommendation="Suosittelemme palkkatuettua työtä kasvukaudeksi.",
    )
    db.session.add(demo)
    db.session.flush()
    for position, (task, criteria, result) in enumerate(
        [
            ("Taimien koulinta", "100 tainta tunnissa, juuret ehjinä", "met"),
            ("Kastelujärjestelmän käyttö", "Osaa säätää ja tarkistaa letkut", "met"),
            (
                "Asiakaspalvelu myymälässä",
                "Tervehtii ja ohjaa asiakkaan oikeaan paikkaan",
                "partly_met",
            ),
        ]
    ):
        db.session.add(
            DemonstrationTask(
                demonstration_id=demo.id,
                position=position,
                task=task,
                criteria=criteria,
                result=result,
            )
        )

    ended = periods[3][0]
    voucher = CoachingVoucher(
        period_id=ended.id,
        employer_id=ended.employer_id,
        status="eligible",
        amount_cents=150000,
    )
    db.session.add(voucher)
    db.session.flush()
    # The coach asked for it from the phone; the server's rules accepted it.
    db.session.add(
        VoucherRequest(
            period_id=ended.id,
            decision="accepted",
            decided_at=datetime.now(UTC) - timedelta(days=5),
            voucher_id=voucher.id,
        )
    )

    for i, employer in enumerate(employers):
        db.session.add(
            EmployerContact(
                employer_id=employer.id,
                coach_id=coaches[i % 2].id,
                kind="visit",
                contact_date=today - timedelta(days=60 - i * 10),
                informed_of_alternative_recruitment=True,
                adopted_alternative_recruitment=i != 2,
                adopted_method="work_demonstration"
                if i == 0
                else ("meeting_event" if i == 1 else None),
                note="Kerrottu työnäytöstä vaihtoehtona paperihaulle.",
            )
        )
    db.session.add(
        EmployerNote(
            employer_id=employers[0].id,
            noted_on=today - timedelta(days=20),
            body="Kevään kausityöntekijät rekrytoidaan maaliskuussa.",
        )
    )

    event = MeetingEvent(
        organization_id=org.id,
        title="Työkohtaamo: kunnossapito ja puutarha",
        event_date=today - timedelta(days=25),
        place="Oulun pääkirjasto",
    )
    db.session.add(event)
    db.session.flush()
    for i, employer in enumerate(employers[:2]):
        db.session.add(
            MeetingEventEmployer(event_id=event.id, employer_id=employer.id, meetings_held=3 - i)
        )
    # Job seekers who are not clients: one agreed to be named, one did not.
    db.session.add(
        EventGuest(event_id=event.id, name_consent=True, name="Sami Virtanen", meetings_held=2)
    )
    db.session.add(
        EventGuest(event_id=event.id, meetings_held=1, got_work=True, employer_id=employers[0].id)
    )
    for n, (period, _days) in enumerate(periods[4:8]):
        db.session.add(
            EventAttendance(
                event_id=event.id,
                participant_id=period.participant_id,
                attended=True,
                meetings_held=2,
                got_work=n == 1,
                employer_id=employers[1].id if n == 1 else None,
            )
        )
    db.session.commit()
