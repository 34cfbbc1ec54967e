"""The Shtrih-M fiscal register protocol (FFD 1.2 firmware) as bytes in and bytes out.

Link layer (STX frames with an XOR check byte, ENQ/ACK/NAK), encoders of the
commands the proxy sends, decoders of their answers, the error table with
what each error means for a receipt, and the FFD 1.2 receipt turned into the
ordered command frames that print it. No I/O: ``adapters/shtrih_driver.py``
moves the bytes over a serial line, ``emulators/shtrih_register.py`` answers
them. Facts come from the project's Shtrih-M notes (shtrih-m-protocol.md, cited
as §n); what they mark unconfirmed is marked so here too.

Integers are little-endian; sums are kopecks (int), quantities Decimal and, on
the wire, millionths. Bad input raises :class:`ShtrihError` before any byte is
built, so a receipt the register would refuse never opens a check.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

STX, ENQ, ACK, NAK = 0x02, 0x05, 0x06, 0x15

SHORT_STATUS = 0x10
FULL_STATUS = 0x11
PRINT_STRING = 0x17
X_REPORT = 0x40
Z_REPORT = 0x41
CASH_IN = 0x50
CASH_OUT = 0x51
CANCEL_CHECK = 0x88
OPEN_CHECK = 0x8D
CONTINUE_PRINT = 0xB0
OPEN_SHIFT = 0xE0
FN_STATUS = 0xFF01
FIND_FD = 0xFF0A
CHECK_TLV = 0xFF0C
SHIFT_PARAMS = 0xFF40
CLOSE_CHECK = 0xFF45
OPERATION = 0xFF46
OPERATION_TLV = 0xFF4D

#: commands that change nothing: the only ones a driver may send again after a lost answer
READ_ONLY = frozenset({SHORT_STATUS, FULL_STATUS, FN_STATUS, FIND_FD, SHIFT_PARAMS})

#: seconds to wait for an answer after the ACK (JavaPOS commands.xml; FF45h from OPOS)
ANSWER_TIMEOUTS = {X_REPORT: 30, Z_REPORT: 65, OPEN_SHIFT: 35, CLOSE_CHECK: 30}
DEFAULT_ANSWER_TIMEOUT = 10

NOT_GIVEN = 0xFFFFFFFFFF  # a 5-byte field of all ones: "the register computes it"
MAX_SUM = NOT_GIVEN - 1
MAX_MILLIONTHS = 2**48 - 1  # quantity field: 6 bytes
# LEN <= 255 leaves 249 bytes of TLV after FFxxh and the password (the notes say 250)
MAX_TLV = 255 - 2 - 4
MAX_NAME = 128  # FF46h item name, bytes
CORRECTION_FLAG = 0x80  # 8Dh type of a correction check

#: 1054 -> 8Dh check type (0 sale, 1 purchase, 2 sale refund, 3 purchase refund)
CHECK_TYPES = {1: 0, 2: 2, 3: 1, 4: 3}
#: FF45h payment slot (1-based) of each FFD payment tag; slots 3-13 are unused here
PAYMENT_SLOTS = {1031: 1, 1081: 2, 1215: 14, 1216: 15, 1217: 16}
TAX_SYSTEMS = frozenset({1, 2, 4, 16, 32})  # 1055 bits the register takes

#: FFD 1199 -> FF46h tax-rate byte (§5)
TAX_BYTES = {
    1: 0x01,  # 20 %
    2: 0x02,  # 10 %
    3: 0x10,  # 20/120
    4: 0x20,  # 10/110
    5: 0x04,  # 0 %
    6: 0x08,  # no VAT
    7: 0x81,  # 5 %
    8: 0x82,  # 7 %
    9: 0x84,  # 5/105
    10: 0x88,  # 7/107; Shtrih's VatTable.txt says 90h: unconfirmed
    11: 0xCB,  # 22 %: firmware support unconfirmed (ШТРИХ-НАНО takes 90h)
    12: 0xCC,  # 22/122: likewise (ШТРИХ-НАНО takes A0h)
}

#: 10h mode (low nibble of the mode byte)
MODE_SHIFT_OPEN = 2
MODE_SHIFT_EXPIRED = 3
MODE_SHIFT_CLOSED = 4
MODE_CHECK_OPEN = 8
#: 10h submodes
SUBMODE_PAPER = 0
SUBMODE_NO_PAPER = 1
SUBMODE_NO_PAPER_PRINTING = 2
SUBMODE_WAIT_CONTINUE = 3
SUBMODE_PRINTING = 5
#: 10h flag bits [P20]
FLAG_RECEIPT_ROLL = 1 << 1
FLAG_PAPER_SENSOR = 1 << 7
FLAG_COVER_OPEN = 1 << 10

#: FF01h warning bits. The notes name no bits: these follow the FN exchange protocol
#: as commonly implemented (unconfirmed).
FN_WARNINGS = {
    0x01: "fn_replace_urgently",  # crypto coprocessor ends within 3 days
    0x02: "fn_expires_soon",  # within 30 days
    0x04: "fn_nearly_full",  # archive 90 % full
    0x08: "ofd_timeout",  # documents wait too long for the OFD
    0x80: "fn_critical",
}

#: FFD document types FF0Ah reports
DOC_SHIFT_OPEN = 2
DOC_RECEIPT = 3
DOC_SHIFT_CLOSE = 5
DOC_CORRECTION = 31

BAD_PARAMETERS = 0x33

#: register and FN error codes -> English text (FN-M codes >= 32h arrive as A0h+ [F12])
ERRORS = {
    0x01: "FN: unknown command, bad format or unknown parameters",
    0x02: "FN: wrong fiscal storage state",
    0x03: "FN: fiscal storage failure",
    0x04: "FN: crypto coprocessor failure",
    0x05: "FN: fiscal storage lifetime is over",
    0x06: "FN: fiscal storage archive is full",
    0x07: "FN: wrong date or time",
    0x08: "FN: no such data",
    0x09: "FN: bad parameter values",
    0x10: "FN: TLV data too large",
    0x11: "FN: no transport connection",
    0x12: "FN: crypto coprocessor resource exhausted",
    0x14: "FN: storage resource exhausted",
    0x15: "FN: message waiting time exhausted",
    0x16: "FN: the shift lasts more than 24 hours",
    0x17: "FN: wrong time between two operations",
    0x20: "FN: the OFD message cannot be accepted",
    0x33: "bad parameters in the command",
    0x37: "command not supported by this register",
    0x3C: "the shift is open: operation impossible",
    0x3D: "the shift is not open: operation impossible",
    0x45: "payments are less than the check total",
    0x46: "not enough cash in the drawer",
    0x49: "operation impossible in an open check of this type",
    0x4A: "a check is open: operation impossible",
    0x4D: "non-cash payments exceed the check total",
    0x4E: "the shift is over 24 hours",
    0x4F: "wrong password",
    0x50: "still printing the previous command",
    0x55: "the check is closed: operation impossible",
    0x58: "waiting for the continue-printing command",
    0x6B: "no receipt paper",
    0x6C: "no journal paper",
    0x72: "command not supported in this submode",
    0x73: "command not supported in this mode",
    0x8E: "zero check total",
}

# What an error means for the command that got it (see classify)
TRANSIENT = "transient"  # 50h: the command was not run; send it again shortly
CONTINUE = "continue"  # 58h: send B0h (continue printing), then the command again
DEVICE = "device"  # paper, cover: not registered; retry once a person fixes the device
SHIFT_CLOSED = "shift_closed"  # open a shift, then retry
SHIFT_EXPIRED = "shift_expired"  # close (Z) and open a shift, then retry
CHECK_OPEN = "check_open"  # cancel the stale check (88h), then retry
PERSON = "person"  # refused for good: bad data, password, cash, FN state

_CLASSES = {
    0x50: TRANSIENT,
    0x58: CONTINUE,
    0x6B: DEVICE,
    0x6C: DEVICE,
    0x72: DEVICE,  # a paper submode refuses most commands
    0x3D: SHIFT_CLOSED,
    0x4E: SHIFT_EXPIRED,
    0x16: SHIFT_EXPIRED,
    0x4A: CHECK_OPEN,
}


class ShtrihError(ValueError):
    """Input the register would refuse (``code`` is the register error it would answer)."""

    def __init__(self, code, text):
        self.code = code
        self.text = text
        super().__init__(f"{code:02X}h: {text}")


def error_text(code):
    return ERRORS.get(code, f"register error {code:02X}h")


def classify(code):
    """One of TRANSIENT, CONTINUE, DEVICE, SHIFT_CLOSED, SHIFT_EXPIRED, CHECK_OPEN, PERSON."""
    return _CLASSES.get(code, PERSON)


def answer_timeout(command):
    return ANSWER_TIMEOUTS.get(command, DEFAULT_ANSWER_TIMEOUT)


# --- link layer -------------------------------------------------------------


def lrc(data):
    """XOR of the bytes: LEN, command and data of a frame."""
    value = 0
    for byte in data:
        value ^= byte
    return value


def command_bytes(command):
    if 0 <= command <= 0xFF:
        return bytes((command,))
    if command >> 8 == 0xFF and command <= 0xFFFF:
        return bytes((0xFF, command & 0xFF))  # FFxxh: FFh first
    raise ShtrihError(BAD_PARAMETERS, f"no such command {command:X}h")


def frame(command, data=b""):
    """STX, LEN, command, data, LRC."""
    body = command_bytes(command) + bytes(data)
    if len(body) > 255:
        raise ShtrihError(BAD_PARAMETERS, f"command {command:X}h: {len(body)} bytes, at most 255")
    head = bytes((len(body),)) + body
    return bytes((STX,)) + head + bytes((lrc(head),))


def split_command(body):
    """``(command, rest)`` of a frame body (command bytes first)."""
    if not body:
        raise ShtrihError(BAD_PARAMETERS, "empty frame")
    if body[0] == 0xFF:
        if len(body) < 2:
            raise ShtrihError(BAD_PARAMETERS, "FFh without its second command byte")
        return 0xFF00 | body[1], bytes(body[2:])
    return body[0], bytes(body[1:])


def parse_frame(raw):
    """The body (command + data) of a whole frame, its STX, LEN and LRC checked."""
    raw = bytes(raw)
    if len(raw) < 4 or raw[0] != STX:
        raise ShtrihError(BAD_PARAMETERS, "not a frame: no STX")
    length = raw[1]
    if len(raw) != length + 3:
        raise ShtrihError(BAD_PARAMETERS, f"frame of {len(raw)} bytes, LEN says {length + 3}")
    if lrc(raw[1:-1]) != raw[-1]:
        raise ShtrihError(BAD_PARAMETERS, "bad LRC")
    return raw[2:-1]


def frame_command(raw):
    return split_command(parse_frame(raw))[0]


@dataclass(frozen=True)
class Answer:
    command: int
    error: int
    data: bytes

    @property
    def ok(self):
        return self.error == 0


def parse_answer(body):
    """An answer body: command echo, error byte, data (only echo + error on error)."""
    command, rest = split_command(body)
    if not rest:
        raise ShtrihError(BAD_PARAMETERS, f"answer to {command:X}h without an error byte")
    return Answer(command, rest[0], rest[1:])


# --- field encoders ---------------------------------------------------------


def _int(value, size, what):
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 256**size:
        raise ShtrihError(BAD_PARAMETERS, f"{what}: {value!r} is not an integer of {size} bytes")
    return value.to_bytes(size, "little")


def _sum(value, what="sum"):
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_SUM:
        raise ShtrihError(BAD_PARAMETERS, f"{what}: {value!r} is not a sum of kopecks")
    return value.to_bytes(5, "little")


def _password(password):
    return _int(password, 4, "password")


def _text(value, encoding, limit, what, pad=False):
    try:
        data = str(value or "").encode(encoding)
    except UnicodeEncodeError as exc:
        bad = exc.object[exc.start : exc.end]
        raise ShtrihError(BAD_PARAMETERS, f"{what}: {bad!r} has no {encoding} code") from None
    if len(data) > limit:
        raise ShtrihError(BAD_PARAMETERS, f"{what}: {len(data)} bytes, at most {limit}")
    return data.ljust(limit, b"\0") if pad else data


def millionths(quantity, what="quantity"):
    """A quantity as an exact int of millionths; more than 6 decimals is refused."""
    if isinstance(quantity, float | bool):
        raise ShtrihError(BAD_PARAMETERS, f"{what}: {quantity!r} must be a Decimal, not a float")
    try:
        value = Decimal(quantity)
    except (InvalidOperation, TypeError, ValueError):
        raise ShtrihError(BAD_PARAMETERS, f"{what}: {quantity!r} is not a number") from None
    if not value.is_finite() or value <= 0:
        raise ShtrihError(BAD_PARAMETERS, f"{what}: {quantity} must be above 0")
    # from the digits, not Decimal arithmetic, which rounds to the context's precision
    _sign, digits, exponent = value.as_tuple()
    number = int("".join(map(str, digits)))
    shift = exponent + 6
    if shift < 0:
        number, rest = divmod(number, 10**-shift)
        if rest:
            raise ShtrihError(BAD_PARAMETERS, f"{what}: {quantity} has more than 6 decimals")
    else:
        number *= 10**shift
    if number > MAX_MILLIONTHS:
        raise ShtrihError(BAD_PARAMETERS, f"{what}: {quantity} is too large")
    return number


def _moment(data):
    """YY MM DD hh mm -> naive datetime (register time); None for zeros."""
    if not any(data):
        return None
    year, month, day, hour, minute = data
    try:
        return datetime.datetime(2000 + year, month, day, hour, minute)
    except ValueError:
        return None


# --- commands ---------------------------------------------------------------


def short_status(password):
    return frame(SHORT_STATUS, _password(password))


def full_status(password):
    return frame(FULL_STATUS, _password(password))


def open_shift(password):
    return frame(OPEN_SHIFT, _password(password))


def x_report(admin_password):
    return frame(X_REPORT, _password(admin_password))


def z_report(admin_password):
    return frame(Z_REPORT, _password(admin_password))


def cash_in(password, amount):
    return frame(CASH_IN, _password(password) + _sum(amount, "cash in"))


def cash_out(password, amount):
    return frame(CASH_OUT, _password(password) + _sum(amount, "cash out"))


def open_check(password, check_type):
    return frame(OPEN_CHECK, _password(password) + _int(check_type, 1, "check type"))


def cancel_check(password):
    return frame(CANCEL_CHECK, _password(password))


def continue_print(password):
    return frame(CONTINUE_PRINT, _password(password))


def print_string(password, text, flags=0x02, width=40):
    """17h: one line of ``width`` bytes in CP1251; flags bit 1 = receipt roll."""
    line = _text(text, "cp1251", width, "print string", pad=True)
    return frame(PRINT_STRING, _password(password) + _int(flags, 1, "flags") + line)


def fn_status(password):
    return frame(FN_STATUS, _password(password))


def find_fd(password, number):
    return frame(FIND_FD, _password(password) + _int(number, 4, "FD number"))


def shift_params(password):
    return frame(SHIFT_PARAMS, _password(password))


def check_tlv(password, tlv_data):
    """FF0Ch: TLV added to the open document."""
    return frame(CHECK_TLV, _password(password) + _tlv_block(tlv_data))


def operation_tlv(password, tlv_data):
    """FF4Dh: TLV added to the last operation (item) of the check."""
    return frame(OPERATION_TLV, _password(password) + _tlv_block(tlv_data))


def _tlv_block(tlv_data):
    if not tlv_data or len(tlv_data) > MAX_TLV:
        raise ShtrihError(0x10, f"TLV of {len(tlv_data)} bytes, 1 to {MAX_TLV} per command")
    return bytes(tlv_data)


def operation_v2(
    password,
    operation,
    quantity,
    price,
    amount,
    tax_rate,
    *,
    tax_sum=NOT_GIVEN,
    department=1,
    method=4,
    subject=4,
    name="",
):
    """FF46h operation V2: one item. ``quantity`` is a Decimal, the rest ints (kopecks)."""
    if operation not in CHECK_TYPES:
        raise ShtrihError(BAD_PARAMETERS, f"operation {operation!r} is not 1054 = 1..4")
    qty = millionths(quantity)
    data = (
        _password(password)
        + _int(operation, 1, "operation")
        + qty.to_bytes(6, "little")
        + _sum(price, "price")
        + _sum(amount, "item sum")
        + (NOT_GIVEN.to_bytes(5, "little") if tax_sum == NOT_GIVEN else _sum(tax_sum, "tax"))
        + _int(tax_rate, 1, "tax rate")
        + _int(department, 1, "department")
        + _int(method, 1, "1214")
        + _int(subject, 1, "1212")
        + _text(name, "cp1251", MAX_NAME, "item name")
    )
    return frame(OPERATION, data)


def close_check_v2(password, sums, *, tax_system, rounding=0, taxes=(0,) * 6, text=""):
    """FF45h close check V2; ``sums`` maps payment slots 1..16 to kopecks."""
    if set(sums) - set(range(1, 17)):
        raise ShtrihError(BAD_PARAMETERS, f"payment slots {sorted(sums)} are not 1..16")
    if len(taxes) != 6:
        raise ShtrihError(BAD_PARAMETERS, "six tax sums")
    if tax_system not in TAX_SYSTEMS:
        raise ShtrihError(BAD_PARAMETERS, f"tax system 1055 = {tax_system!r} is not one bit")
    data = _password(password)
    data += b"".join(_sum(sums.get(slot, 0), f"payment {slot}") for slot in range(1, 17))
    data += _int(rounding, 1, "rounding")
    data += b"".join(_sum(tax, "tax sum") for tax in taxes)
    data += _int(tax_system, 1, "tax system")
    data += _text(text, "cp1251", 64, "closing text")
    return frame(CLOSE_CHECK, data)


# --- answers ----------------------------------------------------------------


def _need(data, size, what):
    if len(data) < size:
        raise ShtrihError(BAD_PARAMETERS, f"{what} answer of {len(data)} bytes, {size} expected")


def decode_operator(data):
    """E0h, 40h, 41h, 88h, 8Dh, B0h, 17h: the operator number."""
    _need(data, 1, "operator")
    return {"operator": data[0]}


def decode_cash(data):
    """50h/51h: operator, through document number."""
    _need(data, 3, "cash in/out")
    return {"operator": data[0], "through_number": int.from_bytes(data[1:3], "little")}


def decode_short_status(data):
    """10h: operator, flags(2), mode, submode, items low, battery, power, errors(2), items high."""
    _need(data, 11, "10h")
    flags = int.from_bytes(data[1:3], "little")
    submode = data[4]
    return {
        "operator": data[0],
        "flags": flags,
        "mode": data[3] & 0x0F,
        "mode_status": data[3] >> 4,
        "submode": submode,
        "paper": bool(flags & FLAG_RECEIPT_ROLL)
        and submode not in (SUBMODE_NO_PAPER, SUBMODE_NO_PAPER_PRINTING),
        "cover_open": bool(flags & FLAG_COVER_OPEN),
        "items": data[5] | data[10] << 8,
        "battery": data[6],
        "power": data[7],
        "errors": int.from_bytes(data[8:10], "little"),
    }


def decode_full_status(data):
    """11h, the fields the proxy reads. The notes list the fields, not their sizes: offsets
    follow P20's table as this project reads it (firmware version, build, date, hall number
    before the document number; FP version, build, date before the clock): unconfirmed."""
    _need(data, 40, "11h")
    try:
        clock = datetime.datetime(2000 + data[25], data[24], data[23], *data[26:29])
    except ValueError:
        clock = None
    return {
        "operator": data[0],
        "firmware": data[1:3].decode("ascii", "replace"),
        "doc_number": int.from_bytes(data[9:11], "little"),
        "flags": int.from_bytes(data[11:13], "little"),
        "mode": data[13] & 0x0F,
        "submode": data[14],
        "clock": clock,
        "serial": int.from_bytes(data[30:34], "little"),
        "last_shift": int.from_bytes(data[34:36], "little"),
    }


def decode_fn_status(data):
    """FF01h: phase, current document, data, shift open, warnings, date-time, FN, last FD."""
    _need(data, 30, "FF01h")
    warnings = data[4]
    return {
        "phase": data[0],
        "document": data[1],
        "document_data": data[2],
        "shift_open": bool(data[3]),
        "warning_flags": warnings,
        "warnings": [name for bit, name in FN_WARNINGS.items() if warnings & bit],
        "moment": _moment(data[5:10]),
        "fn_number": data[10:26].decode("ascii", "replace").strip("\0 "),
        "last_fd": int.from_bytes(data[26:30], "little"),
    }


def decode_find_fd(data):
    """FF0Ah: type, OFD receipt flag; for a check: date-time, FD, fiscal sign, operation, sum."""
    _need(data, 2, "FF0Ah")
    found = {"type": data[0], "ofd_receipt": bool(data[1])}
    if len(data) >= 15:
        found.update(
            moment=_moment(data[2:7]),
            document_number=int.from_bytes(data[7:11], "little"),
            fiscal_sign=int.from_bytes(data[11:15], "little"),
        )
    if data[0] in (DOC_RECEIPT, DOC_CORRECTION) and len(data) >= 21:
        found.update(operation=data[15], sum=int.from_bytes(data[16:21], "little"))
    return found


def decode_shift_params(data):
    """FF40h: shift open, shift number, check number."""
    _need(data, 5, "FF40h")
    return {
        "shift_open": bool(data[0]),
        "shift_number": int.from_bytes(data[1:3], "little"),
        "check_number": int.from_bytes(data[3:5], "little"),
    }


def decode_close_check(data):
    """FF45h: change, FD number, fiscal sign and, on some models, the date-time."""
    _need(data, 13, "FF45h")
    return {
        "change": int.from_bytes(data[0:5], "little"),
        "document_number": int.from_bytes(data[5:9], "little"),
        "fiscal_sign": int.from_bytes(data[9:13], "little"),
        "moment": _moment(data[13:18]) if len(data) >= 18 else None,
    }


# --- TLV --------------------------------------------------------------------

STRING_TAGS = {
    1005: 256,
    1008: 64,
    1009: 256,
    1021: 64,
    1026: 64,
    1044: 24,
    1073: 19,
    1074: 19,
    1075: 19,
    1085: 64,
    1086: 256,
    1171: 19,
    1179: 32,
    1187: 256,
    1191: 64,
    1192: 16,
    1225: 256,
    1227: 256,
}
INN_TAGS = frozenset({1016, 1018, 1203, 1226, 1228})
BYTE_TAGS = frozenset({1054, 1055, 1057, 1173, 1199, 1212, 1214, 1222, 2108})
STLV_TAGS = frozenset({1084, 1174, 1223, 1224})
TIME_TAGS = frozenset({1012, 1178})
VLN_TAGS = frozenset({1020, 1031, 1043, 1079, 1081, 1102, 1103, 1104, 1105, 1106, 1107, 1200})
VLN_TAGS |= frozenset({1215, 1216, 1217})

# CP866 has no typographic quotes or dashes, common in supplier names
_CP866_SUBSTITUTES = str.maketrans({"«": '"', "»": '"', "„": '"', "“": '"', "”": '"', "–": "-"})
_CP866_SUBSTITUTES.update(str.maketrans({"—": "-", "’": "'", "\u00a0": " "}))


def tlv(tag, value):
    """Tag LE16, length LE16, value."""
    value = bytes(value)
    return _int(tag, 2, "tag") + _int(len(value), 2, f"tag {tag} length") + value


def encode_tag(tag, value):
    """The TLV bytes of one FFD tag, typed as FFD 1.2 says; a list gives one TLV per element."""
    if isinstance(value, list | tuple):
        return b"".join(encode_tag(tag, element) for element in value)
    if tag in STRING_TAGS:
        text = str(value).translate(_CP866_SUBSTITUTES)
        return tlv(tag, _text(text, "cp866", STRING_TAGS[tag], f"tag {tag}"))
    if tag in INN_TAGS:
        inn = str(value).strip()
        if not inn.isdigit() or len(inn) not in (10, 12):
            raise ShtrihError(BAD_PARAMETERS, f"tag {tag}: {value!r} is not an INN")
        return tlv(tag, inn.ljust(12).encode("ascii"))  # a 10-digit INN padded with spaces
    if tag in BYTE_TAGS:
        return tlv(tag, _int(value, 1, f"tag {tag}"))
    if tag in VLN_TAGS:
        amount = _int(value, 6, f"tag {tag}")
        return tlv(tag, amount[: max(1, (int(value).bit_length() + 7) // 8)])
    if tag in TIME_TAGS:
        return tlv(tag, _int(_unixtime(value, tag), 4, f"tag {tag}"))
    if tag in STLV_TAGS:
        if not isinstance(value, dict):
            raise ShtrihError(BAD_PARAMETERS, f"tag {tag}: an STLV takes a dict of tags")
        return tlv(tag, b"".join(encode_tag(int(sub), item) for sub, item in value.items()))
    raise ShtrihError(BAD_PARAMETERS, f"tag {tag}: not a tag this driver sends")


def _unixtime(value, tag):
    # A date travels as its midnight UTC: the FFD gives UnixTime, not which zone (unconfirmed)
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value[:10])
    if isinstance(value, dict) and "$date" in value:
        value = datetime.date.fromisoformat(value["$date"])
    if isinstance(value, datetime.datetime):
        value = value if value.tzinfo else value.replace(tzinfo=datetime.UTC)
        return int(value.timestamp())
    if isinstance(value, datetime.date):
        return int(datetime.datetime(*value.timetuple()[:3], tzinfo=datetime.UTC).timestamp())
    raise ShtrihError(BAD_PARAMETERS, f"tag {tag}: {value!r} is not a date")


def decode_tlv(data):
    """``[(tag, value bytes), ...]`` of a TLV block (no recursion into STLVs)."""
    items, pos = [], 0
    while pos < len(data):
        if pos + 4 > len(data):
            raise ShtrihError(BAD_PARAMETERS, "truncated TLV header")
        tag = int.from_bytes(data[pos : pos + 2], "little")
        length = int.from_bytes(data[pos + 2 : pos + 4], "little")
        value = bytes(data[pos + 4 : pos + 4 + length])
        if len(value) != length:
            raise ShtrihError(BAD_PARAMETERS, f"tag {tag}: truncated value")
        items.append((tag, value))
        pos += 4 + length
    return items


# --- documents --------------------------------------------------------------

#: check-level tags sent with FF0Ch, in this order. 1057 is not sent: FFD 1.2 carries the
#: agent on each item (1222), and whether a register wants 1057 too is unconfirmed.
CHECK_TAGS = (1008, 1021, 1203, 1192, 1227, 1228)
#: item tags sent with FF4Dh after the item's FF46h
ITEM_TAGS = (2108, 1191, 1222, 1223, 1224, 1226)


def decode_document(value):
    """A document as int-keyed dicts; the JSON form of ffd.to_json (str tags, {"$d": ...}
    quantities, {"$date": ...} dates) is accepted too."""
    if isinstance(value, dict):
        if set(value) == {"$d"}:
            return Decimal(value["$d"])
        if set(value) == {"$date"}:
            return datetime.date.fromisoformat(value["$date"])
        return {
            (int(k) if isinstance(k, str) and k.isdigit() else k): decode_document(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [decode_document(v) for v in value]
    return value


def _amount(value, what):
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_SUM:
        raise ShtrihError(BAD_PARAMETERS, f"{what}: {value!r} is not a sum of kopecks")
    return value


def _item_frames(item, index, operation, password, department):
    what = f"item {index} ({item.get(1030, '')})"
    for tag in (1030, 1079, 1023, 1043, 1199, 1212, 1214):
        if item.get(tag) in (None, ""):
            raise ShtrihError(BAD_PARAMETERS, f"{what}: tag {tag} is missing")
    price = _amount(item[1079], f"{what} price 1079")
    amount = _amount(item[1043], f"{what} sum 1043")
    qty = millionths(item[1023], f"{what} quantity 1023")
    # the register allows +-1 kopeck between 1043 and price x quantity (§4)
    if abs(amount * 10**6 - price * qty) > 10**6:
        raise ShtrihError(BAD_PARAMETERS, f"{what}: 1043 = {amount} is not price x quantity")
    if item[1199] not in TAX_BYTES:
        raise ShtrihError(BAD_PARAMETERS, f"{what}: 1199 = {item[1199]!r} has no tax byte")
    tax_sum = item.get(1200)
    operation_frame = operation_v2(
        password,
        operation,
        item[1023],
        price,
        amount,
        TAX_BYTES[item[1199]],
        # the VAT the builder computed; without it the register computes its own
        tax_sum=NOT_GIVEN if tax_sum is None else _amount(tax_sum, f"{what} 1200"),
        department=department,
        method=item[1214],
        subject=item[1212],
        name=item[1030],
    )
    # one TLV per command, as JavaPOS sends them; 2108 defaults to 0 (pieces) [F12]
    tags = [
        operation_tlv(password, encode_tag(tag, item.get(tag, 0) if tag == 2108 else item[tag]))
        for tag in ITEM_TAGS
        if tag == 2108 or item.get(tag) not in (None, "", {})
    ]
    return tags, operation_frame


def receipt_frames(document, password, *, department=1, tags_first=False):
    """The command frames that print one FFD 1.2 receipt (3) or correction receipt (31), in order:
    8Dh open, FF0Ch check tags, per item FF46h then FF4Dh item tags, FF45h close.

    ``tags_first`` puts each item's FF4Dh before its FF46h, as cash-core and
    Shtrih-Mobile models want [JP getCapOperationTagsFirst].
    """
    document = decode_document(document)
    kind = document.get("type")
    operation = document.get(1054)
    if kind not in (DOC_RECEIPT, DOC_CORRECTION):
        raise ShtrihError(BAD_PARAMETERS, f"document type {kind!r} is not 3 or 31")
    if operation not in CHECK_TYPES:
        raise ShtrihError(BAD_PARAMETERS, f"1054 = {operation!r} is not 1..4")
    items = document.get(1059) or []
    if not items:
        raise ShtrihError(0x8E, "a receipt has at least one item (1059)")
    check_type = CHECK_TYPES[operation]
    if kind == DOC_CORRECTION:
        # JavaPOS opens an FFD 1.2 correction with 80h + check type: unconfirmed
        check_type |= CORRECTION_FLAG
    frames = [open_check(password, check_type)]
    tags = []
    if kind == DOC_CORRECTION:
        if document.get(1173) not in (0, 1) or not isinstance(document.get(1174), dict):
            raise ShtrihError(BAD_PARAMETERS, "a correction needs 1173 and 1174 {1178, 1179}")
        # 1178/1179 inside 1174 as FFD says; [NG] sends them flat: unconfirmed
        tags += [(1173, document[1173]), (1174, document[1174])]
    tags += [(tag, document[tag]) for tag in CHECK_TAGS if document.get(tag)]
    frames += [check_tlv(password, encode_tag(tag, value)) for tag, value in tags]
    total = 0
    for index, item in enumerate(items, 1):
        item_tags, operation_frame = _item_frames(item, index, operation, password, department)
        frames += [*item_tags, operation_frame] if tags_first else [operation_frame, *item_tags]
        total += item[1043]
    if document.get(1020) not in (None, total):
        raise ShtrihError(BAD_PARAMETERS, f"1020 = {document[1020]} is not the items' {total}")
    sums = {
        slot: _amount(document.get(tag, 0), f"payment {tag}") for tag, slot in PAYMENT_SLOTS.items()
    }
    non_cash = sum(sums.values()) - sums[1]
    if non_cash > total:
        raise ShtrihError(0x4D, f"non-cash payments {non_cash} exceed the total {total}")
    if sums[1] + non_cash < total:
        raise ShtrihError(0x45, f"payments {sums[1] + non_cash} are less than the total {total}")
    # tax mode 0: the register computes VAT itself and ignores the six sums (§4)
    frames.append(close_check_v2(password, sums, tax_system=document.get(1055)))
    return frames


def cash_frames(document, password):
    """50h/51h for a cash in/out document ``{"type": "cash_in"|"cash_out", "sum": kopecks}``."""
    kind = document.get("type")
    if kind == "cash_in":
        return [cash_in(password, document.get("sum"))]
    if kind == "cash_out":
        return [cash_out(password, document.get("sum"))]
    raise ShtrihError(BAD_PARAMETERS, f"document type {kind!r} is not cash_in or cash_out")
