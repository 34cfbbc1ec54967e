"""Sberbank UPOS (``sb_pilot``) as plain data: command lines in, result files out.

The terminal software runs once per operation and leaves two files in its
folder: ``e`` (line 1 ``<code>,<text>``, then the authorisation, one field a
line) and ``p`` (the slip). This module builds the argument lists, checks
what goes into them, and turns the bytes of ``e`` and ``p`` into a
``TerminalResult``. It never reads a file or runs a process (see
``adapters.upos_bridge``).

Outcomes are three, and only two of them are final: ``approved`` (money
taken), ``declined`` (certainly none), ``unknown`` (no readable answer, or an
answer about another request): the payment stays pending until a status
query (op 52 with the request id sent as ``/q=``) says which.
"""

import codecs
import datetime
import re
import secrets
from dataclasses import asdict, dataclass, field

APPROVED = "approved"
DECLINED = "declined"
UNKNOWN = "unknown"
OUTCOMES = (APPROVED, DECLINED, UNKNOWN)

# operation codes of the sb_pilot command line
OP_SALE = "1"
OP_REFUND = "3"
OP_DAY_CLOSE = "7"
OP_CANCEL = "8"
OP_REPORT = "9"
OP_STATUS = "52"
CARD_TYPE_AUTO = "0"

#: 1,000,000.00 RUB: far above a desk's card sale, low enough to catch a rouble/kopeck mix-up
MAX_AMOUNT = 100_000_000

#: the encodings UPOS writes its files in (KOI8-R on Linux, CP866 on Windows, CP1251 seen too)
ENCODINGS = ("koi8-r", "cp866", "cp1251")

SLIP_CUT = b"\x01"

_RRN = re.compile(r"\d{12}")
_REQUEST_ID = re.compile(r"[0-9a-fA-F]{8}")
_MASK = re.compile(r"(\d{0,6})(\*+)(\d{0,4})")
_HASH = re.compile(r"[0-9a-fA-F]{40}")
_SLIP_RULE = re.compile(r"^[ \t]*={6,}[ \t]*$", re.MULTILINE)

# 0-based line numbers in the e file
_LINE_MASK, _LINE_EXPIRY, _LINE_AUTH, _LINE_NUMBER, _LINE_CARD_TYPE = 1, 2, 3, 4, 5
_LINE_TERMINAL, _LINE_MOMENT, _LINE_RRN, _LINE_HASH, _LINE_REQUEST = 7, 8, 9, 10, 19


class UposError(ValueError):
    """An input the terminal must not be asked with (raised before anything runs)."""


# --- inputs ------------------------------------------------------------------------------------


def check_amount(amount):
    """The amount as int kopecks, or UposError (no floats, no Decimal roubles, no zero)."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise UposError(f"Amount must be an integer number of kopecks, got {amount!r}.")
    if not 0 < amount <= MAX_AMOUNT:
        raise UposError(f"Amount {amount} kopecks is outside 1..{MAX_AMOUNT}.")
    return amount


def check_rrn(rrn):
    if not isinstance(rrn, str) or not _RRN.fullmatch(rrn):
        raise UposError(f"RRN must be 12 digits, got {rrn!r}.")
    return rrn


def check_request_id(request_id):
    """The request id in lower case, or UposError: 8 hex digits, as ``/q=`` takes it."""
    if not isinstance(request_id, str) or not _REQUEST_ID.fullmatch(request_id):
        raise UposError(f"Request id must be 8 hex digits, got {request_id!r}.")
    return request_id.lower()


def check_mask(mask):
    """The card mask if it shows at most the first 6 and last 4 digits (PCI DSS), else UposError.

    An empty mask passes (a decline before the card was read has none).
    """
    if mask == "":
        return mask
    found = isinstance(mask, str) and _MASK.fullmatch(mask)
    if not found or not 12 <= len(mask) <= 19:
        raise UposError("Card number is not masked to the first 6 and last 4 digits.")
    return mask


def check_encoding(encoding):
    """The codec name for an encoding setting (``KOI8-R``, ``cp866``, ``windows-1251``...)."""
    try:
        name = codecs.lookup(encoding).name
    except (LookupError, TypeError) as err:
        raise UposError(f"Unknown encoding {encoding!r}.") from err
    if name not in ENCODINGS:
        raise UposError(f"UPOS files are KOI8-R, CP866 or CP1251, not {encoding!r}.")
    return name


def new_request_id():
    """A fresh ``/q=`` id; the caller journals it before the terminal is asked."""
    return secrets.token_hex(4)


# --- command lines -----------------------------------------------------------------------------


def _q(request_id):
    return f"/q={check_request_id(request_id)}"


def sale_args(amount, request_id):
    return [OP_SALE, str(check_amount(amount)), CARD_TYPE_AUTO, _q(request_id)]


def refund_args(amount, rrn, request_id):
    """Refund by reference to the original operation's RRN (no card data needed)."""
    amount, rrn = check_amount(amount), check_rrn(rrn)
    return [OP_REFUND, str(amount), CARD_TYPE_AUTO, "QSELECT", rrn, _q(request_id)]


def cancel_args(amount, rrn, request_id):
    """Cancel (отмена) of a sale of the current day; after the day close it is a refund."""
    amount, rrn = check_amount(amount), check_rrn(rrn)
    return [OP_CANCEL, str(amount), CARD_TYPE_AUTO, "QSELECT", rrn, _q(request_id)]


def day_close_args():
    return [OP_DAY_CLOSE]


def report_args(full=False):
    return [OP_REPORT, "1" if full else "0"]


def status_args(request_id):
    return [OP_STATUS, check_request_id(request_id)]


# --- result codes ------------------------------------------------------------------------------

_MESSAGES = {
    0: "Approved",
    99: "Pinpad link lost or its port is busy: check the pinpad cable",
    2000: "Cancelled at the pinpad (or no session keys yet: run a day close)",
    2002: "PIN entry timed out",
    4100: "No link to the bank",
    4118: "Operation not found",
    4119: "No link to the bank",
    4130: "Terminal memory is full: run a day close",
    4134: "No day close for over 5 days: run a day close",
    4140: "The terminal refused to suspend, commit or roll back the operation",
    4141: "The terminal refused to suspend, commit or roll back the operation",
    4300: "Terminal error: parameters missing from the command line",
    4301: "Terminal error: wrong operation or card type",
    4302: "Terminal error: wrong operation or card type",
    4303: "Terminal error: wrong operation or card type",
    4309: "Nothing to print",
    4311: "Operation not performed",
    4334: "Card not read or timed out: try again",
    4353: "Interrupted by the loyalty programme",
}

# 44xx is the host's answer xx; only 51 is confirmed (C# wrapper), the rest are the ISO 8583
# response codes it appears to follow
_HOST_REASONS = {
    1: "refer to the card issuer",
    3: "invalid merchant",
    4: "pick up the card",
    5: "do not honour",
    12: "invalid transaction",
    13: "invalid amount",
    14: "invalid card number",
    15: "no such issuer",
    30: "format error",
    33: "card expired",
    41: "card reported lost",
    43: "card reported stolen",
    51: "insufficient funds",
    54: "card expired",
    55: "wrong PIN",
    57: "not permitted for this card",
    58: "not permitted on this terminal",
    61: "amount limit exceeded",
    62: "restricted card",
    65: "too many operations with this card",
    75: "too many wrong PINs",
    91: "card issuer unavailable",
    96: "bank system error",
}

#: answers to op 52 that say what became of the operation asked about; any other code may be
#: the status query's own failure (pinpad or bank link), so the outcome stays unknown
_STATUS_FINAL = {0, 2000, 2002, 4118, 4311, 4334}


def _is_host(code):
    return 4400 <= code <= 4499


def classify(code):
    """``(outcome, message)`` for a result code: the English text the cashier sees."""
    if code is None:
        return UNKNOWN, "No answer from the terminal: the payment stays pending until it is checked"
    if code == 0:
        return APPROVED, _MESSAGES[0]
    if _is_host(code):
        reason = _HOST_REASONS.get(code - 4400)
        if reason:
            return DECLINED, f"Card declined: {reason}"
        return DECLINED, f"Card declined by the bank (code {code})"
    return DECLINED, _MESSAGES.get(code, f"Terminal error {code}")


# --- result files ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TerminalResult:
    """One terminal answer. Strings are "" when the terminal gave none; money is not in it."""

    outcome: str
    code: int | None = None
    text: str = ""
    card_mask: str = ""
    expiry: str = ""
    auth_code: str = ""
    operation_number: str = ""
    card_type: str = ""
    terminal_id: str = ""
    moment: datetime.datetime | None = None
    rrn: str = ""
    card_hash: str = ""
    request_id: str = ""
    slip: tuple = field(default_factory=tuple)

    def __post_init__(self):
        if self.outcome not in OUTCOMES:
            raise UposError(f"Unknown outcome {self.outcome!r}.")
        check_mask(self.card_mask)  # a full card number must never be kept

    @property
    def final(self):
        return self.outcome != UNKNOWN

    @property
    def message(self):
        """The English text for the cashier (``text`` is the terminal's own, often Russian)."""
        if self.outcome == UNKNOWN:
            return classify(None)[1]
        return classify(self.code)[1]

    def as_dict(self):
        data = asdict(self)
        data["moment"] = self.moment.isoformat() if self.moment else None
        data["slip"] = list(self.slip)
        data["message"] = self.message
        return data


def unknown(reason, request_id="", slip=()):
    return TerminalResult(UNKNOWN, text=reason, request_id=request_id or "", slip=tuple(slip))


def parse_slip(data, encoding="koi8-r"):
    """The slip's copies: split on 0x01 bytes and on ``======`` lines, blank copies dropped."""
    if not data:
        return ()
    codec = check_encoding(encoding)
    copies = []
    for chunk in data.split(SLIP_CUT):
        text = chunk.decode(codec, errors="replace").replace("\r\n", "\n")
        for part in _SLIP_RULE.split(text):
            part = part.strip("\n")
            if part.strip():
                copies.append(part)
    return tuple(copies)


def _moment(value):
    try:
        return datetime.datetime.strptime(value, "%Y%m%d%H%M%S")
    except ValueError:
        return None


def _safe_mask(value):
    """The card mask as kept: a bare full number is re-masked, anything else unmasked dropped."""
    value = value.replace(" ", "")
    try:
        return check_mask(value)
    except UposError:
        if value.isdigit() and 13 <= len(value) <= 19:
            return value[:6] + "*" * (len(value) - 10) + value[-4:]
        return ""


def parse_result(e_data, p_data=None, *, encoding="koi8-r", request_id=None, status_query=False):
    """A ``TerminalResult`` from the bytes of ``e`` (None when missing) and ``p``.

    ``request_id``: the ``/q=`` id sent; an ``e`` echoing another id is about
    another operation, so unknown (an ``e`` with no echo is taken as ours: the
    bridge deletes ``e`` before each run). ``status_query``: the answer to op
    52, where only codes about the operation asked for are final.
    """
    codec = check_encoding(encoding)
    sent = check_request_id(request_id) if request_id else ""
    slip = parse_slip(p_data, codec)
    if e_data is None:
        return unknown("The terminal left no result file", sent, slip)
    try:
        text = e_data.decode(codec)
    except UnicodeDecodeError:
        return unknown(f"The result file is not {codec} text", sent, slip)
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    if not any(lines):
        return unknown("The result file is empty", sent, slip)
    head, _sep, terminal_text = lines[0].partition(",")
    try:
        code = int(head.strip())
    except ValueError:
        return unknown(f"Unreadable result line {lines[0][:60]!r}", sent, slip)
    terminal_text = terminal_text.strip()

    def line(number):
        return lines[number] if number < len(lines) else ""

    echoed = line(_LINE_REQUEST).lower()
    if sent and echoed and echoed != sent:
        return unknown(f"The result file is about request {echoed}, not {sent}", sent, slip)
    if status_query and code not in _STATUS_FINAL and not _is_host(code):
        return unknown(f"Status query failed ({code}, {terminal_text})", sent, slip)
    outcome, _message = classify(code)
    rrn, card_hash = line(_LINE_RRN), line(_LINE_HASH)
    return TerminalResult(
        outcome=outcome,
        code=code,
        text=terminal_text,
        card_mask=_safe_mask(line(_LINE_MASK)),
        expiry=line(_LINE_EXPIRY),
        auth_code=line(_LINE_AUTH),
        operation_number=line(_LINE_NUMBER),
        card_type=line(_LINE_CARD_TYPE),
        terminal_id=line(_LINE_TERMINAL),
        moment=_moment(line(_LINE_MOMENT)),
        rrn=rrn if _RRN.fullmatch(rrn) else "",
        card_hash=card_hash.lower() if _HASH.fullmatch(card_hash) else "",
        request_id=sent or echoed,
        slip=slip,
    )
