"""A booking from the booking system, turned into order lines: all of it or nothing.

Input is plain data as the adapter decoded it; output is one line per sellable
item, each priced by the booking system and tied to its passenger. Anything
that would make a partial or wrong order (unknown passenger or service, foreign
currency, negative price, an item not confirmed) refuses the whole booking.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .errors import CodedError

MAX_PASSENGERS = 9
SELLABLE_STATUSES = frozenset({"HK", "KK", "RR", "TK"})
_REFERENCE_RE = re.compile(r"^[A-Z0-9]{5,6}$")


class BookingError(CodedError):
    """A booking that must not be added; ``code``/``params`` word it for the cashier."""

    MESSAGES = {
        "reference": "booking reference {reference!r} must be 5 or 6 letters or digits",
        "not_found": "booking {reference} was not found",
        "mismatch": "the booking system answered for {answered} instead of {reference}",
        "no_passenger": "booking {reference} has no passenger",
        "too_many_passengers": "booking {reference} has {count} passengers, at most {limit}",
        "no_items": "booking {reference} has nothing to pay",
        "nothing_here": "booking {reference} has no service this terminal sells",
        "unknown_passenger": "an item of booking {reference} belongs to no passenger ({passenger})",
        "unknown_service": "service code {service} ({description}) is not in the catalogue",
        "status": "{description} of {passenger} has status {status}: it cannot be sold",
        "currency": "{description} is priced in {currency}, the cash desk sells in {expected}",
        "amount": "{description} has an invalid price {amount}",
        "negative": "{description} has a negative price {amount}",
    }


@dataclass(frozen=True)
class Passenger:
    id: str
    surname: str
    name: str
    ptc: str

    @property
    def display_name(self):
        return f"{self.surname} {self.name}".strip()


@dataclass(frozen=True)
class BookingLine:
    reference: str
    passenger: Passenger
    service_code: str
    product: object
    description: str
    document: str
    price: Decimal


def normalize_reference(reference):
    """Upper-case, trimmed reference, or BookingError."""
    ref = (reference or "").strip().upper()
    if not _REFERENCE_RE.match(ref):
        raise BookingError("reference", reference=reference or "")
    return ref


def _price(item, expected_currency):
    description = item["description"]
    currency = (item.get("currency") or "").strip().upper()
    if currency != expected_currency:
        raise BookingError(
            "currency",
            description=description,
            currency=currency or "?",
            expected=expected_currency,
        )
    try:
        amount = Decimal(str(item["amount"]))
    except (InvalidOperation, TypeError, ValueError) as err:
        raise BookingError("amount", description=description, amount=item.get("amount")) from err
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        raise BookingError("amount", description=description, amount=amount)
    if amount < 0:
        raise BookingError("negative", description=description, amount=amount)
    return amount


def compose(reference, booking, catalogue, currency="RUB", only_catalogue=False):
    """Order lines for ``booking`` (a dict with ``reference``, ``passengers``, ``items``).

    ``catalogue`` maps a service code to the product that sells it (any object).
    ``only_catalogue``: a terminal that sells part of the catalogue (a mobile
    agent's extra services) leaves the other items to the desk instead of
    refusing the booking; with none of its services left, it refuses it.
    """
    ref = normalize_reference(reference)
    answered = (booking.get("reference") or "").strip().upper()
    if answered != ref:
        raise BookingError("mismatch", answered=answered or "?", reference=ref)
    passengers = {
        p["id"]: Passenger(
            p["id"], p.get("surname") or "", p.get("name") or "", p.get("ptc") or "ADT"
        )
        for p in booking.get("passengers") or []
    }
    if not passengers:
        raise BookingError("no_passenger", reference=ref)
    if len(passengers) > MAX_PASSENGERS:
        raise BookingError(
            "too_many_passengers", reference=ref, count=len(passengers), limit=MAX_PASSENGERS
        )
    items = booking.get("items") or []
    if not items:
        raise BookingError("no_items", reference=ref)
    lines = []
    if only_catalogue:
        items = [i for i in items if (i.get("service_code") or "").strip() in catalogue]
        if not items:
            raise BookingError("nothing_here", reference=ref)
    for item in items:
        passenger = passengers.get(item.get("passenger_id"))
        if passenger is None:
            raise BookingError(
                "unknown_passenger", reference=ref, passenger=item.get("passenger_id")
            )
        description = item.get("description") or item.get("service_code") or "?"
        status = (item.get("status") or "").strip().upper()
        if status not in SELLABLE_STATUSES:
            raise BookingError(
                "status",
                description=description,
                passenger=passenger.display_name,
                status=status or "?",
            )
        code = (item.get("service_code") or "").strip()
        product = catalogue.get(code)
        if product is None:
            raise BookingError("unknown_service", service=code or "?", description=description)
        lines.append(
            BookingLine(
                reference=ref,
                passenger=passenger,
                service_code=code,
                product=product,
                description=description,
                document=(item.get("document") or "").strip(),
                price=_price({**item, "description": description}, currency),
            )
        )
    return lines
