"""Boarding pass barcodes (IATA BCBP): the booking reference of a scanned pass."""

import pytest

from scs_pos.engine import bcbp

# one leg, no conditional items: the mandatory 60 characters
ONE_LEG = "M1IVANOV/IVAN MR      ESCS001 SVOLEDSU 1234 335Y012A0001 100"
# two legs, the first with 0x18 = 24 characters of conditional items
CONDITIONAL = ">6180WW6335BSU 2A55524000000110"[:24]
TWO_LEGS = (
    "M2PETROVA/ANNA        EFAM123 SVOIKTSU 1480 335Y021C0012 118"
    + CONDITIONAL
    + "FAM123 IKTVVOSU 5601 336Y003F0007 100"
)


def test_one_leg():
    boarding_pass = bcbp.parse(ONE_LEG)
    assert boarding_pass.passenger == "IVANOV IVAN MR"
    assert boarding_pass.reference == "SCS001"
    (leg,) = boarding_pass.legs
    assert (leg.origin, leg.destination, leg.carrier, leg.flight) == ("SVO", "LED", "SU", "1234")
    assert (leg.julian_day, leg.compartment, leg.seat, leg.sequence) == (335, "Y", "12A", "1")


def test_two_legs_skip_the_conditional_items():
    assert len(CONDITIONAL) == 0x18
    boarding_pass = bcbp.parse(TWO_LEGS)
    assert [leg.reference for leg in boarding_pass.legs] == ["FAM123", "FAM123"]
    assert [(leg.origin, leg.destination) for leg in boarding_pass.legs] == [
        ("SVO", "IKT"),
        ("IKT", "VVO"),
    ]
    assert boarding_pass.legs[1].julian_day == 336


def test_reference_of_typed_or_scanned():
    assert bcbp.reference_of(ONE_LEG) == "SCS001"
    assert bcbp.reference_of(ONE_LEG + "\r\n") == "SCS001"
    assert bcbp.reference_of("  fam123 ") == "fam123"
    assert not bcbp.is_boarding_pass("SCS001")
    assert not bcbp.is_boarding_pass("4607001234567")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (ONE_LEG[:40], "short"),
        ("X" + ONE_LEG[1:], "field"),
        ("M2" + ONE_LEG[2:], "legs"),
        (ONE_LEG[:23] + "SC$001 " + ONE_LEG[30:], "field"),
        (ONE_LEG[:44] + "400" + ONE_LEG[47:], "field"),
        (ONE_LEG[:58] + "ZZ", "field"),
    ],
)
def test_unreadable_passes_are_refused(text, code):
    with pytest.raises(bcbp.BoardingPassError) as err:
        bcbp.parse(text)
    assert err.value.code == code
