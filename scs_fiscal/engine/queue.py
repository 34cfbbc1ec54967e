"""The fiscal queue's state machine: one step of one document, never a duplicate.

States: ``to_send`` (never accepted, or certainly not registered), ``sent``
(accepted, waiting for the fiscal data), ``unknown`` (an answer was lost: the
document may exist), ``done`` and ``failed`` (a person must act: a guided
correction receipt).

The external id is fixed when the document is queued and never changes, so a
second submit of it can only be a question: the service answers "exists" with
its uuid. A document whose fate is unknown is asked about (by uuid when known,
else by submitting the same external id again), never sent under a new id.
"""

import datetime
from dataclasses import dataclass, field, replace

from .atol import ASK, DONE, FAILED, RETRY, TOKEN, WAIT

TO_SEND = "to_send"
SENT = "sent"
UNKNOWN = "unknown"
DONE_STATE = "done"
FAILED_STATE = "failed"
OPEN_STATES = (TO_SEND, SENT, UNKNOWN)

#: retries before a document is handed to a person
MAX_ATTEMPTS = 8
BACKOFF_FIRST = datetime.timedelta(seconds=10)
BACKOFF_MAX = datetime.timedelta(minutes=30)


@dataclass(frozen=True)
class Entry:
    external_id: str
    state: str = TO_SEND
    uuid: str = ""
    attempts: int = 0
    next_try: datetime.datetime | None = None
    fiscal: dict = field(default_factory=dict)
    error: str = ""
    code: int | None = None  # the last refusal's code, for the caller to act on


def backoff(attempts):
    """Wait before try ``attempts + 1``: doubling from 10 s, at most 30 minutes."""
    return min(BACKOFF_FIRST * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


def due(entry, now):
    return entry.state in OPEN_STATES and (entry.next_try is None or entry.next_try <= now)


def advance(entry, driver, document, company, now):
    """Try ``entry`` once with ``driver``; return the entry's next state."""
    if entry.state not in OPEN_STATES:
        return entry
    if entry.state in (SENT, UNKNOWN) and entry.uuid:
        result = driver.status(entry.uuid)
        if result.action == RETRY and result.error_code == 30:
            # the service does not know the uuid: nothing was registered
            result = driver.submit(document, entry.external_id, company, now)
    else:
        # to_send, or unknown without a uuid: the same external id is safe to send
        result = driver.submit(document, entry.external_id, company, now)
    attempts = entry.attempts + 1
    uuid = result.uuid or entry.uuid
    if result.action == DONE:
        return replace(
            entry, state=DONE_STATE, uuid=uuid, attempts=attempts, next_try=None,
            fiscal=result.fiscal, error="", code=None,
        )  # fmt: skip
    if result.action == FAILED:
        return replace(
            entry, state=FAILED_STATE, uuid=uuid, attempts=attempts, next_try=None,
            error=_describe(result), code=result.error_code,
        )  # fmt: skip
    if attempts >= MAX_ATTEMPTS and result.action != WAIT:
        return replace(
            entry, state=FAILED_STATE, uuid=uuid, attempts=attempts, next_try=None,
            error=f"no answer after {attempts} tries: {_describe(result)}",
            code=result.error_code,
        )  # fmt: skip
    state = {WAIT: SENT, ASK: UNKNOWN, RETRY: TO_SEND, TOKEN: TO_SEND}[result.action]
    if state == TO_SEND and entry.state == UNKNOWN:
        # refused before registering now does not prove an earlier try registered nothing
        state = UNKNOWN
    wait = BACKOFF_FIRST if result.action == WAIT else backoff(attempts)
    return replace(
        entry, state=state, uuid=uuid, attempts=attempts, next_try=now + wait,
        error="" if result.action == WAIT else _describe(result), code=result.error_code,
    )  # fmt: skip


def _describe(result):
    code = f"[{result.error_code}] " if result.error_code is not None else ""
    return f"{code}{result.error_text}".strip() or result.action
