"""Boarding passes as their barcode holds them (IATA Resolution 792, BCBP).

A mobile agent scans the passenger's boarding pass, with the device's camera or a
scanner that types, instead of keying the booking reference: the barcode's
mandatory items carry the operating carrier's booking reference (PNR) of each leg.
Only the mandatory items are read; the conditional ones (issuer, bag tags, ...)
are skipped by their declared size.
"""

import re
from dataclasses import dataclass

from .errors import CodedError

# the mandatory items of one leg, in their fixed widths, after the 23 header chars
_LEG = (
    ("reference", 7),
    ("origin", 3),
    ("destination", 3),
    ("carrier", 3),
    ("flight", 5),
    ("julian_day", 3),
    ("compartment", 1),
    ("seat", 4),
    ("sequence", 5),
    ("status", 1),
    ("conditional_size", 2),
)
_HEADER = 23
_LEG_SIZE = sum(width for _name, width in _LEG)
_START = re.compile(r"^M[1-4]")


class BoardingPassError(CodedError):
    MESSAGES = {
        "short": "the boarding pass barcode has {length} characters, at least {needed} expected",
        "legs": "the boarding pass barcode declares {legs} legs and holds fewer",
        "field": "the boarding pass barcode's {field} is {value!r}",
    }


@dataclass(frozen=True)
class Leg:
    reference: str
    origin: str
    destination: str
    carrier: str
    flight: str
    julian_day: int
    compartment: str
    seat: str
    sequence: str


@dataclass(frozen=True)
class BoardingPass:
    passenger: str
    legs: tuple

    @property
    def reference(self):
        return self.legs[0].reference


def is_boarding_pass(text):
    """Does ``text`` look like a BCBP barcode (not a typed booking reference)?"""
    text = text or ""
    return bool(_START.match(text)) and len(text) >= _HEADER + _LEG_SIZE


def parse(text):
    """The boarding pass in ``text``; BoardingPassError when it cannot be read."""
    text = (text or "").rstrip("\r\n")
    needed = _HEADER + _LEG_SIZE
    if len(text) < needed:
        raise BoardingPassError("short", length=len(text), needed=needed)
    if not _START.match(text):
        raise BoardingPassError("field", field="format code", value=text[:2])
    count = int(text[1])
    passenger = " ".join(text[2:22].replace("/", " ").split())
    legs, pos = [], _HEADER
    for _index in range(count):
        if len(text) < pos + _LEG_SIZE:
            raise BoardingPassError("legs", legs=count)
        values = {}
        for name, width in _LEG:
            values[name] = text[pos : pos + width]
            pos += width
        try:
            conditional = int(values.pop("conditional_size"), 16)
        except ValueError as err:
            raise BoardingPassError(
                "field", field="conditional size", value=text[pos - 2 : pos]
            ) from err
        pos += conditional
        reference = values["reference"].strip().upper()
        if not re.fullmatch(r"[A-Z0-9]{5,7}", reference):
            raise BoardingPassError("field", field="booking reference", value=reference)
        day = values["julian_day"].strip()
        if not (day.isdigit() and 1 <= int(day) <= 366):
            raise BoardingPassError("field", field="date of flight", value=day)
        legs.append(
            Leg(
                reference=reference,
                origin=values["origin"].strip(),
                destination=values["destination"].strip(),
                carrier=values["carrier"].strip(),
                flight=values["flight"].strip().lstrip("0") or "0",
                julian_day=int(day),
                compartment=values["compartment"].strip(),
                seat=values["seat"].strip().lstrip("0"),
                sequence=values["sequence"].strip().lstrip("0"),
            )
        )
    return BoardingPass(passenger=passenger, legs=tuple(legs))


def reference_of(scanned):
    """The booking reference a cashier typed, or the one a boarding pass holds."""
    if is_boarding_pass(scanned):
        return parse(scanned).reference
    return (scanned or "").strip()
