"""Special behaviour of a record type, named in its registry entry.

Each hook is a small declaration the code that needs it reads: the push's
authorization (P5), the frozen check (P6) and the write (W1-W5) in
server/sync_api/. `names` lists the record types a hook refers to, so the
registry's import-time check can tell that each one exists.
"""

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class ChangedOnline:
    """Devices receive the record but never write it: its changes go through
    the rules of `rules` (a module), which allow the `transitions` of `field`."""

    rules: str
    field: str
    transitions: Mapping[str, tuple[str, ...]]
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class MadeAtDesk:
    """P5: devices never create the record (a supervisor makes it online); a
    coach's device changes only those addressed to the coach in `addressee`."""

    addressee: str
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class LoginLink:
    """P5: the record links a login (`field`, set by an administrator) to what
    gives that login its rights (`grants`: a representative's employer).
    While it is linked, only an administrator changes `grants` or deletes it;
    otherwise a coach could move a representative to another employer's
    demonstrations, or lock them out."""

    field: str
    grants: tuple[str, ...]
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class NamedWithConsent:
    """P5: `field` (a person's name) may hold a value only while `consent` is
    true; a write that would leave a name without consent is refused, naming
    the rule (a non-client at a meeting event is counted, named only if they
    agree)."""

    field: str
    consent: str
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class ServerTime:
    """W1: the server's time goes into `field` when `when` first becomes `value`
    (a device's clock is no evidence)."""

    field: str
    when: str
    value: str
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class SignedContent:
    """P6: content an employer signs. While the demonstration named by
    `demonstration` ("id": the record itself) has a sign-off that has not failed
    verification, an edit becomes a "signed" conflict, and such a conflict sets
    the demonstration's `status_field` to `status` (W5)."""

    demonstration: str
    status_of: str = "work_demonstration"
    status_field: str = "status"
    status: str = "needs_new_signoff"

    @property
    def names(self) -> tuple[str, ...]:
        return (self.status_of,)

    def demonstration_id(self, record_id: str, fields: Mapping) -> str | None:
        """The demonstration whose sign-off covers the record with these fields."""
        return record_id if self.demonstration == "id" else fields.get(self.demonstration)


@dataclass(frozen=True)
class VerifiedOnArrival:
    """W1b: a new record is verified as it arrives, against the content the
    same push has just written (server/signoff/verify.py, called by the push
    write: the registry names the rule, the sign-off area holds it); when it verifies,
    the record of `status_of` it refers to through `field` gets `status`."""

    field: str
    status_of: str
    status: str
    status_field: str = "status"

    @property
    def names(self) -> tuple[str, ...]:
        return (self.status_of,)


@dataclass(frozen=True)
class Reassignable:
    """A caseload's root: a coach writes it only while `field` names them, and
    a change of `field` moves the whole history between coaches (the old
    one's devices get a revoke, the new one's a grant)."""

    field: str
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class DecidedOnArrival:
    """After the push that brought it commits, the request is decided by the
    `rules` module's `decide_pending` (a coach's voucher request: the
    server's voucher rules); the decision is written through the ORM, so it
    syncs back like any server edit. Decided after the commit, not in it: a
    refusal is an answer, never a refused push."""

    rules: str
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class NamesParticipant:
    """L6: `fields` carry the name of the participant the record hangs under,
    or let it be found by guessing (a hash, or a challenge, of content that
    holds it). An employer representative's pull sends them as null unless
    the participant's `consent` says the name may be shared with the employer
    side; a change of that consent puts the records back in the feed (W6)."""

    fields: tuple[str, ...]
    consent: str = "consent_given"
    names: tuple[str, ...] = ("participant",)


Hook = (
    DecidedOnArrival
    | ChangedOnline
    | MadeAtDesk
    | ServerTime
    | SignedContent
    | VerifiedOnArrival
    | Reassignable
    | NamesParticipant
    | NamedWithConsent
)
