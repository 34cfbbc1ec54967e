"""What the proxy accepts from a POS: every parameter checked before any device moves.

Each function takes the JSON-RPC ``params`` object and returns the checked
values, or raises :class:`BadRequest` with a message naming the parameter.
Fiscal documents arrive in the stored JSON form of ``scs_fiscal.engine.ffd``
(str tags, ``{"$d": "1.5"}`` quantities, ``{"$date": ...}`` dates); their sums
are checked again here, so a register never sees a receipt that does not add up.
"""

import base64
import binascii
import re
from decimal import Decimal, InvalidOperation

from . import shtrih

REQUEST_ID = re.compile(r"^[0-9a-f]{8}$")
EXTERNAL_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
RRN = re.compile(r"^\d{12}$")
INN = re.compile(r"^(\d{10}|\d{12})$")
MAX_AMOUNT = 10**11  # kopecks: a billion roubles, far above any cash-desk operation
MAX_ITEMS = 100
MAX_IMAGE = 200 * 1024  # base64 characters of one receipt image
PAYMENT_TAGS = (1031, 1081, 1215, 1216, 1217)


class BadRequest(ValueError):
    pass


def _get(params, name, kind, required=True):
    value = params.get(name)
    if value is None:
        if required:
            raise BadRequest(f"{name} is required")
        return None
    if kind is int and isinstance(value, bool):
        raise BadRequest(f"{name} must be an integer")
    if not isinstance(value, kind):
        raise BadRequest(f"{name} must be {getattr(kind, '__name__', kind)}")
    return value


def _amount(params, name="amount"):
    value = _get(params, name, int)
    if not 0 < value <= MAX_AMOUNT:
        raise BadRequest(f"{name} must be a positive number of kopecks")
    return value


def request_id(params):
    value = _get(params, "request_id", str)
    if not REQUEST_ID.match(value):
        raise BadRequest("request_id must be 8 lower-case hex digits")
    return value


def external_id(params):
    value = _get(params, "external_id", str)
    if not EXTERNAL_ID.match(value):
        raise BadRequest("external_id must be 1 to 64 letters, digits or _ . : -")
    return value


def card_operation(params, refund=False):
    order_ref = _get(params, "order_ref", str)
    if not 0 < len(order_ref) <= 64:
        raise BadRequest("order_ref must be 1 to 64 characters")
    args = {"request_id": request_id(params), "order_ref": order_ref, "amount": _amount(params)}
    if refund:
        rrn = _get(params, "original_rrn", str)
        if not RRN.match(rrn):
            raise BadRequest("original_rrn must be the 12 digits of the sale's RRN")
        args["original_rrn"] = rrn
    return args


def printer_action(params):
    data = _get(params, "data", dict)
    action = data.get("action")
    if action == "cashbox":
        return {"action": "cashbox"}
    if action != "print_receipt":
        raise BadRequest("data.action must be print_receipt or cashbox")
    receipt = data.get("receipt")
    if not isinstance(receipt, str) or not receipt:
        raise BadRequest("data.receipt must be a base64 JPEG image")
    if len(receipt) > MAX_IMAGE:
        raise BadRequest("data.receipt is too large")
    try:
        base64.b64decode(receipt, validate=True)
    except (binascii.Error, ValueError) as error:
        raise BadRequest("data.receipt is not base64") from error
    return {"action": "print_receipt", "receipt": receipt}


def cashier(params):
    name = _get(params, "cashier", str)
    if not 0 < len(name.strip()) <= 64:
        raise BadRequest("cashier must be the cashier's name (64 characters at most)")
    inn = _get(params, "cashier_inn", str, required=False) or ""
    if inn and not INN.match(inn):
        raise BadRequest("cashier_inn must be 10 or 12 digits")
    return {"cashier": name.strip(), "cashier_inn": inn}


def cash(params):
    return {"external_id": external_id(params), "amount": _amount(params)}


def decode(value):
    """A stored FFD document (JSON form) back to int tags, Decimals and dates."""
    try:
        return shtrih.decode_document(value)
    except (InvalidOperation, ValueError, TypeError) as error:
        raise BadRequest(f"the document holds a bad value: {error}") from error


def _kopecks(document, tag, where="document"):
    value = document.get(tag, 0)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_AMOUNT:
        raise BadRequest(f"tag {tag} of the {where} must be kopecks")
    return value


def receipt(params):
    """A fiscal receipt request: the document checked to add up, and its card payments.

    The document is returned in its JSON form, as the journal keeps it.
    """
    raw = _get(params, "document", dict)
    document = decode(raw)
    if document.get("type") not in (3, 31):
        raise BadRequest("document type must be 3 (receipt) or 31 (correction)")
    operation = document.get(1054)
    if operation not in (1, 2, 3, 4):
        raise BadRequest("tag 1054 must be 1 to 4")
    items = document.get(1059)
    if not isinstance(items, list) or not 0 < len(items) <= MAX_ITEMS:
        raise BadRequest(f"tag 1059 must list 1 to {MAX_ITEMS} items")
    total = 0
    for number, item in enumerate(items, 1):
        where = f"item {number}"
        if not isinstance(item, dict) or not isinstance(item.get(1030), str):
            raise BadRequest(f"{where} needs a name (tag 1030)")
        price = _kopecks(item, 1079, where)
        quantity = item.get(1023)
        if not isinstance(quantity, Decimal) or quantity <= 0:
            raise BadRequest(f"tag 1023 of {where} must be a positive quantity")
        amount = _kopecks(item, 1043, where)
        expected = int((price * quantity).to_integral_value(rounding="ROUND_HALF_UP"))
        if amount != expected:
            raise BadRequest(f"tag 1043 of {where} is {amount}, price x quantity is {expected}")
        total += amount
    if _kopecks(document, 1020) != total:
        raise BadRequest(f"tag 1020 is {document.get(1020)}, the items add up to {total}")
    paid = sum(_kopecks(document, tag) for tag in PAYMENT_TAGS)
    if paid != total:
        raise BadRequest(f"the payments add up to {paid}, the total is {total}")
    txns = params.get("txns") or []
    if not isinstance(txns, list) or len(txns) > 20:
        raise BadRequest("txns must list the card payments' request ids")
    for value in txns:
        if not isinstance(value, str) or not REQUEST_ID.match(value):
            raise BadRequest("txns must list 8-hex-digit request ids")
    return {
        "external_id": external_id(params),
        "document": raw,
        "total": total,
        "operation": operation,
        "txns": list(dict.fromkeys(txns)),
    }
