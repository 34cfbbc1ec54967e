"""ATOL Online API v5: an FFD document as a request body, and what each answer means.

Pure mapping, no HTTP: the cloud driver (adapter) sends what ``request`` builds
and hands every answer to ``outcome``, which tells the fiscal queue what to do.
Money goes out as Decimal roubles with two places (the JSON encoder of the
adapter writes them as numbers).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from . import ffd

PAYMENT_METHODS = {
    1: "full_prepayment",
    2: "prepayment",
    3: "advance",
    4: "full_payment",
    5: "partial_payment",
    6: "credit",
    7: "credit_payment",
}
VAT_TYPES = {rate.tag: key for key, rate in ffd.VAT_RATES.items()}
AGENT_TYPES = {
    1: "bank_paying_agent",
    2: "bank_paying_subagent",
    4: "paying_agent",
    8: "paying_subagent",
    16: "attorney",
    32: "commission_agent",
    64: "another",
}
SNO = {bit: name for name, bit in ffd.TAX_SYSTEMS.items()}
#: payments[].type for each FFD payment sum
PAYMENT_TYPES = ((1031, 0), (1081, 1), (1215, 2), (1216, 3), (1217, 4))

# what the fiscal queue does with an answer
DONE = "done"  # the document is fiscalised: store the fiscal data
WAIT = "wait"  # accepted, not done yet: poll the report later, never resend
ASK = (
    "ask"  # fate unknown (time-out, 5xx, duplicate id): look the document up, never resend blindly
)
RETRY = (
    "retry"  # certainly not registered (token, service down before accepting): send again, same id
)
TOKEN = "token"  # get a new token, then send again with the same id
FAILED = "failed"  # refused for good (invalid data, register error): a person must act


@dataclass(frozen=True)
class Company:
    inn: str
    email: str
    payment_address: str  # 1187: the office address or the site
    sno: str = "osn"


@dataclass(frozen=True)
class Outcome:
    action: str
    uuid: str = ""
    fiscal: dict = field(default_factory=dict)
    error_code: int | None = None
    error_text: str = ""


def _rub(kopecks):
    return (Decimal(kopecks) / 100).quantize(Decimal("0.01"))


def _stamp(moment):
    return moment.strftime("%d.%m.%Y %H:%M:%S")


def operation(document):
    """The path part of the request: sell, sell_refund, sell_correction ..."""
    name = ffd.OPERATIONS[document[1054]]
    return f"{name}_correction" if document["type"] == ffd.CORRECTION else name


def _item(tags):
    item = {
        "name": tags[1030],
        "price": _rub(tags[1079]),
        "quantity": tags[1023],
        "measure": tags[2108],
        "sum": _rub(tags[1043]),
        "payment_method": PAYMENT_METHODS[tags[1214]],
        "payment_object": tags[1212],
        "vat": {"type": VAT_TYPES[tags[1199]], "sum": _rub(tags[1200])},
    }
    if 1191 in tags:
        item["user_data"] = tags[1191]
    if 1222 in tags:
        supplier = tags[1224]
        item["agent_info"] = {"type": AGENT_TYPES[tags[1222]]}
        item["supplier_info"] = {"inn": tags[1226], "name": supplier[1225]}
        if supplier.get(1171):
            item["supplier_info"]["phones"] = list(supplier[1171])
    return item


def request(document, external_id, company, moment):
    """``(operation, body)`` of an FFD ``document`` (from ``ffd.build``)."""
    if not external_id or len(external_id) > 128:
        raise ValueError("external_id: 1 to 128 characters, unique per group")
    content = {
        "company": {
            "email": company.email,
            "sno": SNO[document[1055]],
            "inn": company.inn,
            "payment_address": company.payment_address,
        },
        "items": [_item(tags) for tags in document[1059]],
        "payments": [
            {"type": kind, "sum": _rub(document[tag])}
            for tag, kind in PAYMENT_TYPES
            if document.get(tag)
        ],
        "vats": [{"type": vat, "sum": _rub(amount)} for vat, amount in document["vats"].items()],
        "total": _rub(document[1020]),
    }
    contact = document.get(1008, "")
    client = {}
    if contact:
        client["email" if "@" in contact else "phone"] = contact
    if document.get(1227):
        client["name"] = document[1227]
    if document.get(1228):
        client["inn"] = document[1228]
    if client:
        content["client"] = client
    if document.get(1021):
        content["cashier"] = document[1021]
    if document.get(1203):
        content["cashier_inn"] = document[1203]
    if document.get(1192):
        content["additional_check_props"] = document[1192]
    body = {"external_id": external_id, "timestamp": _stamp(moment)}
    if document["type"] == ffd.CORRECTION:
        base = document[1174]
        content["correction_info"] = {
            "type": "instruction" if document[1173] else "self",
            "base_date": base[1178].strftime("%d.%m.%Y"),
        }
        if base.get(1179):
            content["correction_info"]["base_number"] = base[1179]
        body["correction"] = content
    else:
        body["receipt"] = content
    return operation(document), body


def _error(answer):
    error = (answer or {}).get("error") or {}
    code = error.get("code")
    return (int(code) if code is not None else None), str(error.get("text") or "")


def outcome(http_status, answer):
    """What the queue does with an answer to a register call or a report request.

    ``http_status`` is None when no answer came (time-out, connection lost).
    """
    if http_status is None or http_status >= 500:
        return Outcome(
            ASK, error_text="no answer" if http_status is None else f"HTTP {http_status}"
        )
    if not isinstance(answer, dict):
        # an answer we cannot read says nothing about the document's fate
        return Outcome(ASK, error_text=f"HTTP {http_status}: unreadable answer")
    code, text = _error(answer)
    uuid = str(answer.get("uuid") or "")
    status = answer.get("status")
    if code in (10, 11):
        return Outcome(TOKEN, uuid, error_code=code, error_text=text)
    if code == 33:
        # the external id is known to the service: the document exists, find it
        return Outcome(ASK, uuid, error_code=code, error_text=text)
    if code == 34:
        return Outcome(WAIT, uuid, error_code=code, error_text=text)
    if status == "done":
        payload = answer.get("payload") or {}
        fiscal = {
            "fn_number": str(payload.get("fn_number") or ""),
            "document_number": int(payload.get("fiscal_document_number") or 0),
            "fiscal_sign": str(payload.get("fiscal_document_attribute") or ""),
            "receipt_number": int(payload.get("fiscal_receipt_number") or 0),
            "shift_number": int(payload.get("shift_number") or 0),
            "moment": _parse_stamp(payload.get("receipt_datetime")),
            "total": Decimal(str(payload.get("total") or 0)),
            "ofd_url": str(payload.get("ofd_receipt_url") or ""),
        }
        if not (fiscal["fn_number"] and fiscal["document_number"] and fiscal["fiscal_sign"]):
            return Outcome(ASK, uuid, error_text="done without fiscal data")
        return Outcome(DONE, uuid, fiscal)
    if status == "wait" and code is None:
        return Outcome(WAIT, uuid)
    if code in (20, 21, 30, 31, 40, 41, 50) or (code in (0, 1) and status != "fail"):
        # the document was not registered: the same request may be sent again
        return Outcome(RETRY, uuid, error_code=code, error_text=text)
    return Outcome(FAILED, uuid, error_code=code, error_text=text or "refused")


def _parse_stamp(value):
    if not value:
        return None
    for pattern in ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M"):
        try:
            return datetime.datetime.strptime(value, pattern)
        except ValueError:
            continue
    return None
