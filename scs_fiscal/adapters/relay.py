"""A local register's answer, relayed by the POS from the office PC's hardware proxy.

The server cannot reach an office PC: the POS sends the stored document to the
proxy (``/scs/fiscal/receipt``, ``/scs/fiscal/cash_in|cash_out``) and hands the
answer over. :func:`outcome` reads that answer as the ``engine.atol.Outcome``
the fiscal queue understands, and :class:`RelayDriver` gives it to
``engine.queue.advance`` as if the server had asked the register itself, so a
relayed document passes the same state machine as a cloud one.

The proxy answers a repeated external id with what it did under it, never with
a second print: an answer the POS could not get or could not report is asked
for again with the same external id.
"""

import datetime
import re
from zoneinfo import ZoneInfo

from ..engine.atol import ASK, DONE, FAILED, RETRY, Outcome
from .driver import FiscalDriver

#: the proxy's answer status -> the queue's action
STATUSES = {"done": DONE, "retry": RETRY, "ask": ASK, "failed": FAILED}
#: a refusal of the proxy (JSON-RPC error data.name) -> the queue's action
REFUSALS = {
    # certainly not printed, and never will be as it stands: a person must act
    "no_money": FAILED,
    "conflict": FAILED,
    "BadRequest": FAILED,
    # certainly not printed: send it again once the proxy is fixed
    "not_configured": RETRY,
    "AccessDenied": RETRY,
    "RequestTooLarge": FAILED,
    "ParseError": FAILED,
}
#: no answer, or a failure of the proxy itself: the receipt may be printed
UNKNOWN_REFUSAL = ASK
FN_NUMBER = re.compile(r"^\d{16}$")
FISCAL_SIGN = re.compile(r"^\d{1,10}$")


class BadAnswer(ValueError):
    """The relayed answer is not one the proxy gives."""


def _int(value, what):
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise BadAnswer(f"{what} must be a non-negative integer")
    return value


def _moment(value, tz):
    """The register's naive local time of an ISO moment (naive: already local)."""
    if not value:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError) as error:
        raise BadAnswer(f"bad moment {value!r}") from error
    if moment.tzinfo is not None:
        moment = moment.astimezone(ZoneInfo(tz)).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def _fiscal(fiscal, tz, needs_sign):
    if not isinstance(fiscal, dict):
        raise BadAnswer("fiscal must be an object")
    data = {}
    if needs_sign:
        fn_number = str(fiscal.get("fn_number") or "")
        sign = str(fiscal.get("fiscal_sign") or "")
        if not FN_NUMBER.match(fn_number) or not FISCAL_SIGN.match(sign):
            raise BadAnswer("a done receipt needs its fiscal drive number and fiscal sign")
        data.update(
            fn_number=fn_number,
            fiscal_sign=sign,
            document_number=_int(fiscal.get("document_number"), "document_number"),
        )
    elif fiscal.get("fn_number"):
        data["fn_number"] = str(fiscal["fn_number"])
    for key in ("shift_number", "receipt_number"):
        if fiscal.get(key) is not None:
            data[key] = _int(fiscal[key], key)
    data["moment"] = _moment(fiscal.get("moment"), tz)
    return data


def _txn_note(txns):
    """Which card payments the proxy gave back because the receipt failed."""
    returned = [
        t.get("request_id", "")
        for t in txns or ()
        if isinstance(t, dict) and t.get("state") in ("cancelled", "cancelling")
    ]
    return f" Card payments returned to the card: {', '.join(returned)}." if returned else ""


def outcome(answer, external_id, tz, needs_sign=True):
    """The ``Outcome`` of one relayed ``answer``.

    ``answer`` is the proxy's result (``{"external_id", "state", "status", "fiscal",
    "error_code", "error_text", "txns"}``) or ``{"error": {"name", "message"}}`` for a
    refusal or ``{"error": {"name": "connection_lost"}}`` when the POS got no answer.
    ``tz``: the register clock's zone, for moments given with an offset. Raises
    :class:`BadAnswer`.
    """
    if not isinstance(answer, dict):
        raise BadAnswer("the answer must be an object")
    error = answer.get("error")
    if error is not None:
        if not isinstance(error, dict):
            raise BadAnswer("error must be an object")
        name = str(error.get("name") or "")
        message = str(error.get("message") or name or "no answer from the hardware proxy")
        return Outcome(REFUSALS.get(name, UNKNOWN_REFUSAL), error_text=f"{name}: {message}")
    if answer.get("external_id") != external_id:
        raise BadAnswer("the answer is about another document")
    status = answer.get("status")
    action = STATUSES.get(status)
    if action is None:
        raise BadAnswer(f"unknown status {status!r}")
    if action == ASK and answer.get("state") == "printed":
        # registered; only the card money is not committed yet: the proxy does that itself
        action = DONE
    code = answer.get("error_code")
    if code is not None:
        code = _int(code, "error_code")
    text = str(answer.get("error_text") or "")
    if action == DONE:
        return Outcome(DONE, fiscal=_fiscal(answer.get("fiscal") or {}, tz, needs_sign))
    if action == FAILED:
        text += _txn_note(answer.get("txns"))
    return Outcome(action, error_code=code, error_text=text.strip())


class RelayDriver(FiscalDriver):
    """Answers the queue with what the POS relayed: ``submit`` and ``status`` alike.

    The POS opens the register's shifts through the proxy when it refuses a receipt
    for its shift; the server only learns them from the documents' fiscal data.
    """

    takes_cash_movements = True

    def __init__(self, relayed):
        self.relayed = relayed

    def submit(self, document, external_id, company, moment):
        return self.relayed

    def status(self, uuid):
        return self.relayed
