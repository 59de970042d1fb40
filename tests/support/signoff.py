"""What the sign-off tests share: the scene (a demonstration to sign, its
employer's representatives, optionally with a registered key), a coach's
device with nonces, and signing as the app does."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import select

from server.extensions import db
from server.models import (
    DemonstrationTask,
    EmployerContactPerson,
    SignOff,
    WebAuthnCredential,
)
from server.signoff.canonical import canonical_bytes, challenge, content_sha256
from tests.support.device import SimDevice
from tests.support.webauthn import SoftAuthenticator


def add_key(user, authenticator: SoftAuthenticator, label: str = "YubiKey", **kw):
    """A credential as the registration ceremony stores it."""
    key = WebAuthnCredential(
        credential_id=authenticator.id,
        user_id=user.id,
        label=label,
        public_key=authenticator.cose_public_key(),
        sign_count=0,
        transports=["usb"],
        aaguid="00000000-0000-0000-0000-000000000000",
        user_handle="dXNlcg",
        attachment="cross-platform",
        **kw,
    )
    db.session.add(key)
    db.session.commit()
    return key


def person_of(user, employer) -> EmployerContactPerson:
    return db.session.scalar(
        select(EmployerContactPerson).where(
            EmployerContactPerson.user_id == user.id,
            EmployerContactPerson.employer_id == employer.id,
        )
    )


@dataclass
class Scene:
    """A coach's participant with a finished work demonstration (two tasks, one
    only partly met) at an employer with two representatives; `key` is set
    when the representative has a software key registered."""

    app: object
    coach: object
    supervisor: object
    employer: object
    rep: object
    colleague: object
    person: EmployerContactPerson
    participant: object
    period: object
    demo: object
    key: SoftAuthenticator | None = None
    devices: list = field(default_factory=list)

    @property
    def origin(self) -> str:
        return self.app.config["WEBAUTHN_ORIGIN"]

    def device(self, user=None) -> SimDevice:
        device = SimDevice(self.app, user or self.coach)
        device.pull()
        self.devices.append(device)
        return device


def scene(app, factory, *, with_key: bool = True) -> Scene:
    """The one sign-off scene of the tests; `with_key` registers a software
    key for the representative (the browser tests register theirs on the page)."""
    org = factory.organization()
    coach = factory.user("coach", organization=org, name="Sanna Virtanen")
    supervisor = factory.user("supervisor", organization=org, name="Anu Korhonen")
    employer = factory.employer(org, name="Puutarha Mäkelä Oy")
    rep = factory.representative(employer, name="Jari Mäkelä")
    colleague = factory.representative(employer, name="Eeva Mäkelä")
    participant = factory.participant(coach, first_name="Aino", last_name="Lähteenmäki")
    period = factory.period(participant, employer)
    demo = factory.demonstration(
        participant,
        employer,
        period_id=period.id,
        title="Työnäyttö: kasvihuonetyö",
        demonstration_date=date(2026, 10, 15),
        overall_result="passed",
        recommendation="Suosittelemme palkkaamista kesäkaudeksi.",
    )
    for position, (task, result) in enumerate(
        [("Taimien koulinta", "met"), ("Kastelu ja lannoitus", "partly_met")]
    ):
        db.session.add(
            DemonstrationTask(
                demonstration_id=demo.id,
                position=position,
                task=task,
                criteria="Työ sujuu ohjeen mukaan, työturvallisuus huomioiden",
                result=result,
            )
        )
    db.session.commit()
    key = None
    if with_key:
        key = SoftAuthenticator(app.config["WEBAUTHN_RP_ID"])
        add_key(rep, key)
    person = person_of(rep, employer)
    return Scene(
        app, coach, supervisor, employer, rep, colleague, person, participant, period, demo, key
    )


def nonces(device: SimDevice, count: int = 5) -> list[str]:
    response = device.client.post("/api/sync/nonces", json={"count": count}, headers=device.auth)
    assert response.status_code == 200, response.get_json()
    return [n["nonce"] for n in response.get_json()["nonces"]]


def content_on_device(device: SimDevice, demo_id: str) -> bytes:
    """The canonical bytes from the device's own copy, as the app computes them."""
    records = device.replica.records

    def rec(record_type, record_id):
        return {**records[(record_type, record_id)], "id": record_id}

    demo = rec("work_demonstration", demo_id)
    tasks = [
        rec("demonstration_task", i)
        for (t, i), fields in records.items()
        if t == "demonstration_task"
        and fields.get("demonstration_id") == demo_id
        and (t, i) not in device.replica.deleted
    ]
    return canonical_bytes(
        demo,
        tasks,
        rec("participant", demo["participant_id"]),
        rec("employer", demo["employer_id"]),
    )


def signoff_fields(
    device: SimDevice,
    s: Scene,
    nonce: str,
    *,
    key: SoftAuthenticator | None = None,
    representative_id: str | None = None,
    demo_id: str | None = None,
    content: bytes | None = None,
    origin: str | None = None,
    **assertion,
) -> dict:
    demo_id = demo_id or s.demo.id
    content = content if content is not None else content_on_device(device, demo_id)
    signed = (key or s.key).assert_(challenge(content, nonce), origin or s.origin, **assertion)
    return {
        "demonstration_id": demo_id,
        "representative_id": representative_id or s.person.id,
        "signed_at": datetime.now(UTC).isoformat(),
        "content_version": 1,
        "content_sha256": content_sha256(content),
        "signed_content": content.decode(),
        "nonce": nonce,
        **signed,
    }


def push_signoff(device: SimDevice, fields: dict) -> tuple[str, dict]:
    """Queue and push one sign-off; its id and the push result."""
    signoff_id = device.upsert("signoff", **fields)
    results = device.push()
    return signoff_id, results[-1]


def stored(signoff_id: str) -> SignOff:
    db.session.expire_all()
    return db.session.get(SignOff, signoff_id)
