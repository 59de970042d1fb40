"""Creating accounts: shared by the admin page and the create-user command."""

from marshmallow import ValidationError
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from server.extensions import db
from server.models import Employer, EmployerContactPerson, User
from server.schemas.people import UserCreateSchema


def create_user(data: dict, organization_id: int) -> User:
    """Validate and add a user; raises ValidationError naming the field. Caller commits."""
    values = UserCreateSchema().load(data)
    email = values["email"].strip().lower()
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise ValidationError({"email": ["is already in use"]})
    employer = None
    if values["role"] == "employer_rep":
        employer = db.session.get(Employer, values.get("employer_id") or "")
        if employer is None or employer.organization_id != organization_id:
            raise ValidationError({"employer_id": ["an employer representative needs an employer"]})
    user = User(
        organization_id=organization_id,
        email=email,
        name=values["name"].strip(),
        role=values["role"],
        language=values["language"],
        password_hash=generate_password_hash(values["password"]),
    )
    db.session.add(user)
    db.session.flush()
    if employer is not None:
        _link_contact_person(user, employer)
    return user


def _link_contact_person(user: User, employer: Employer) -> None:
    """The representative acts for the employer through a contact person record:
    the one with the same e-mail if there is one, otherwise a new one."""
    contact = db.session.scalar(
        select(EmployerContactPerson).where(
            EmployerContactPerson.employer_id == employer.id,
            EmployerContactPerson.email == user.email,
            EmployerContactPerson.user_id.is_(None),
        )
    )
    if contact is None:
        contact = EmployerContactPerson(employer_id=employer.id, name=user.name, email=user.email)
        db.session.add(contact)
    contact.user_id = user.id
