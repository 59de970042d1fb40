"""Mutations and merges in a line, for the merge rules' unit tests."""

import uuid

from sync.hlc import Stamp
from sync.merge import merge
from sync.mutation import Mutation
from sync.policy import TypePolicy

GOAL = TypePolicy("goal", frozenset({"title", "status", "note"}))
ASSESSMENT = TypePolicy("assessment", frozenset({"rating", "comment"}), append_only=True)
RECORD = "5d1f0c9e-3b8a-4a57-9e2e-7f1d2c3b4a50"
USERS = {"dev-a": 1, "dev-b": 2, "dev-c": 3}


def mut(device, wall, fields=None, *, base=0, op="upsert", counter=0, record_type="goal"):
    return Mutation(
        mutation_id=str(uuid.uuid4()),
        device_id=device,
        user_id=USERS[device],
        record_type=record_type,
        record_id=RECORD,
        op=op,
        fields=fields or {},
        stamp=Stamp(wall, counter, device),
        base_version=base,
    )


def run(state, *mutations, policy=GOAL, frozen=False):
    """Merge in order; return the final state and every result."""
    results = []
    for m in mutations:
        result = merge(state, m, policy, frozen=frozen)
        results.append(result)
        state = result.state
    return state, results


def conflicts_of(results):
    return [c for r in results for c in r.conflicts]


def created(**fields):
    state, _ = run(None, mut("dev-a", 1_000, fields or {"title": "Kassa", "status": "open"}))
    return state  # version 1
