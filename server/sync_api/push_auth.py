"""P5 of docs/sync-protocol.md: may the pushing user make each mutation?

A record's scope before and after the mutation must both be the user's to
write (DESIGN §4, server/auth/policy.py); every reference must stay inside
the user's organization, and inside a caseload the user may write where it
points into one (a coach's own participants; none for an administrator); a
type's hooks may refuse more (changed online only; made at the desk; a
login's link moved only by an administrator); a record of an erased or
restricted participant, before or after the edit, is not changed at all
(frozen.py). Records created earlier in the batch count as existing for
later ones, but only once authorized.
"""

from collections import defaultdict

from server.auth.policy import allowed, employer_ids_of_representative, record_area
from server.records.hooks import (
    ChangedOnline,
    LoginLink,
    MadeAtDesk,
    NamedWithConsent,
    Reassignable,
)
from server.records.registry import ROOTS, SYNCED, SYNCED_BY_TABLE
from server.sync_api.fields import policies, record_defaults, reference_targets
from server.sync_api.frozen import REFUSAL, FrozenParticipants
from server.sync_api.push_rules import RuleCheck
from server.sync_api.rows import Pusher, Rows
from server.sync_api.scopes import Scope, ScopeResolver

# What an employer representative may edit: their own employer's details.
REPRESENTATIVE_WRITABLE = frozenset(name for name, t in SYNCED.items() if t.employer_writable)


class PushAuthorization:
    def __init__(self, rows: Rows):
        self.rows = rows
        self._employers: set[str] | None = None  # a representative's, read once

    def authorize(self, user_id: int, mutations: list) -> dict[str, str | dict | None]:
        user = self.rows.pusher(user_id)
        frozen = FrozenParticipants(self.rows.conn, user.organization_id)
        by_type = defaultdict(list)
        for m in mutations:
            by_type[m.record_type].append(m.record_id)
        for record_type, ids in by_type.items():
            self.rows.fetch(record_type, ids)
        # Records created earlier in this batch count as existing for later ones,
        # but only once authorized: a refused parent cannot shelter its children.
        pending: dict[tuple[str, str], dict] = {}
        resolver = ScopeResolver(self.rows.conn, pending, self.rows.scope_rows)
        rules = RuleCheck(self.rows, user.organization_id)
        rules.prepare(mutations, lambda m: self.rows.get((m.record_type, m.record_id)))
        verdicts = {}
        for m in mutations:
            key = (m.record_type, m.record_id)
            reason = self._refusal(user, m, resolver, pending, frozen)
            if reason is None:
                # The record rules that look at other records: that mutation's
                # field errors, never a constraint error for the whole push.
                row = self.rows.get(key) or pending.get(key)
                reason = rules.errors(m, row, pending) or None
                if reason is None:
                    rules.claim(m, row)
            verdicts[m.mutation_id] = reason
            # A new record shelters children only if it is complete: one the merge
            # will reject (P7) must not leave a child pointing at nothing.
            if (
                reason is None
                and self.rows.get(key) is None
                and m.op == "upsert"
                and self._complete(m)
            ):
                fields = dict(m.fields)
                if m.record_type in ROOTS:
                    fields["organization_id"] = user.organization_id
                pending[key] = fields
        return verdicts

    @staticmethod
    def _complete(m) -> bool:
        """The merge (P7) will accept it as a new record: valid fields, own-field rules kept."""
        policy = policies()[m.record_type]
        if policy.check(m.fields, creating=True):
            return False
        if policy.check_record is None:
            return True
        merged = {**record_defaults(m.record_type), **m.fields}
        return not policy.check_record(merged, frozenset(m.fields), True)

    def _refusal(
        self, user: Pusher, m, resolver: ScopeResolver, pending, frozen: FrozenParticipants
    ) -> str | dict | None:
        synced = SYNCED[m.record_type]
        key = (m.record_type, m.record_id)
        row = self.rows.get(key)
        if row is None and key in pending:
            row = pending[key]
        if synced.hook(ChangedOnline) is not None:
            return f"{m.record_type} is changed online only"
        if (desk := synced.hook(MadeAtDesk)) is not None:
            if row is None:
                return "not permitted"
            if user.role == "coach" and row.get(desk.addressee) != user.id:
                return "not permitted"
        if refusal := self._link_refusal(user, synced.hook(LoginLink), m, row):
            return refusal
        old_scope = None
        if row is not None:
            old_scope = resolver.of(m.record_type, m.record_id, row)
        merged = {**(row or {}), **m.fields}
        named = synced.hook(NamedWithConsent)
        if named and m.op == "upsert" and merged.get(named.field) and not merged.get(named.consent):
            return f"{named.field}: recorded only with the person's consent ({named.consent})"
        if m.record_type in ROOTS:
            merged["organization_id"] = (row or {}).get("organization_id", user.organization_id)
        new_scope = resolver.of(m.record_type, m.record_id, merged)
        if new_scope is None:
            fk = synced.parent[0] if synced.parent else "record_id"
            return f"{fk}: refers to a record that does not exist"
        # An erased or restricted participant's record, as stored or as pushed.
        if frozen.any_of(
            {s.participant_id for s in (old_scope, new_scope) if s is not None} - {None}
        ):
            return REFUSAL
        if refusal := self._reference_refusal(user, m, resolver):
            return refusal
        moves = synced.hook(Reassignable)
        for scope, fields in ((old_scope, row), (new_scope, merged)):
            if scope is None:
                continue
            area = "wellbeing" if scope.sensitive else record_area(m.record_type)
            # A participant's own coach is in its fields, not yet in the database.
            own_coach = fields.get(moves.field) if moves is not None else None
            if not self._may_write(user, m.record_type, area, scope, resolver, own_coach):
                return "not permitted"
        return None

    def _may_write(
        self, user: Pusher, record_type, area, scope: Scope, resolver, own_coach=None
    ) -> bool:
        if scope.organization_id != user.organization_id:
            return False
        if user.role == "employer_rep":
            return (
                record_type in REPRESENTATIVE_WRITABLE
                and scope.employer_id in self._represented(user.id)
            )
        if not allowed(user, area, "write"):
            return False
        # A record in a participant's caseload (an event's attendance too) is
        # written only by those who write caseloads: never an administrator.
        if scope.participant_id is not None and not allowed(user, "caseload", "write"):
            return False
        if user.role == "coach" and scope.participant_id is not None:
            coach = own_coach or self._coach_of(scope.participant_id, resolver)
            return coach == user.id
        return True

    def _represented(self, user_id: int) -> set[str]:
        # Once per push, not once per mutation.
        if self._employers is None:
            query = employer_ids_of_representative(user_id)
            self._employers = set(self.rows.conn.execute(query).scalars())
        return self._employers

    def _coach_of(self, participant_id: str, resolver: ScopeResolver):
        key = ("participant", participant_id)
        fields = resolver.pending.get(key)
        if fields is None:
            self.rows.fetch("participant", [participant_id])
            fields = self.rows.get(key)
        return None if fields is None else fields.get("coach_id")

    @staticmethod
    def _link_refusal(user: Pusher, link: LoginLink | None, m, row) -> str | None:
        if link is None or row is None or row.get(link.field) is None or user.role == "admin":
            return None
        if m.op == "delete":
            return f"{link.field}: linked to a login; only an administrator removes it"
        for name in link.grants:
            if name in m.fields and m.fields[name] != row.get(name):
                return f"{name}: linked to a login; only an administrator changes it"
        return None

    def _reference_refusal(self, user: Pusher, m, resolver: ScopeResolver) -> str | None:
        """Every other reference must exist, stay inside the user's organization
        and, where it points into a caseload, inside one the user may write."""
        targets = reference_targets(m.record_type)
        for name, value in m.fields.items():
            target = targets.get(name)
            if value is None or target is None:
                continue
            if target == "users":
                row = self.rows.user(value)
                if row is None or row.organization_id != user.organization_id:
                    return f"{name}: refers to a user that does not exist"
                if name == "coach_id" and (row.role != "coach" or not row.active):
                    return f"{name}: must be an active coach"
                if name == "coach_id" and user.role == "coach" and value != user.id:
                    # Moving a participant to another coach is a supervisor's decision.
                    return f"{name}: only a supervisor may assign another coach"
                continue
            target_type = SYNCED_BY_TABLE.get(target)
            scope = resolver.of_id(target_type.name, value) if target_type else None
            if scope is None or scope.organization_id != user.organization_id:
                return f"{name}: refers to a record that does not exist"
            # The parent reference is the record's own scope, judged by _may_write.
            parent = SYNCED[m.record_type].parent
            is_parent = parent is not None and parent[0] == name
            if (
                not is_parent
                and scope.participant_id is not None
                and not self._may_refer_into(user, scope.participant_id, resolver)
            ):
                return f"{name}: refers to a record outside your caseload"
        return None

    def _may_refer_into(self, user: Pusher, participant_id: str, resolver) -> bool:
        if not allowed(user, "caseload", "write"):
            return False
        return user.role != "coach" or self._coach_of(participant_id, resolver) == user.id
