"""After a push commits: the records decided on arrival (DecidedOnArrival in
the registry; a coach's voucher request) are decided, each type by its rules
module's `decide_pending(session, user)`. A failure here never fails the push
that is already stored: the requests stay pending and the next push decides them."""

import importlib
import logging

from server.records.hooks import DecidedOnArrival
from server.records.registry import SYNCED

log = logging.getLogger(__name__)
DECIDERS = tuple(
    hook.rules for t in SYNCED.values() if (hook := t.hook(DecidedOnArrival)) is not None
)


def decide(session, user) -> None:
    for module in DECIDERS:
        try:
            if importlib.import_module(module).decide_pending(session, user):
                session.commit()
        except Exception:
            session.rollback()
            log.exception("deciding %s on arrival failed; left pending", module)
