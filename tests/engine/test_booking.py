from decimal import Decimal

import pytest

from scs_pos.engine.booking import MAX_PASSENGERS, BookingError, compose, normalize_reference

CATALOGUE = {"TKT-INTL": "ticket", "0B5": "seat", "INS": "insurance"}


def _booking(items=None, passengers=None, reference="SCS001"):
    return {
        "reference": reference,
        "passengers": passengers
        or [{"id": "P1", "surname": "IVANOV", "name": "IVAN", "ptc": "ADT"}],
        "items": items
        if items is not None
        else [
            {
                "passenger_id": "P1",
                "service_code": "TKT-INTL",
                "description": "Ticket",
                "document": "5552400000011",
                "status": "HK",
                "amount": Decimal("18500.00"),
                "currency": "RUB",
            },
            {
                "passenger_id": "P1",
                "service_code": "0B5",
                "description": "Seat 12A",
                "status": "HK",
                "amount": "1200",
                "currency": "rub",
            },
        ],
    }


def test_compose_prices_every_line_from_the_booking():
    lines = compose(" scs001 ", _booking(), CATALOGUE)
    assert [(line.product, line.price, line.passenger.display_name) for line in lines] == [
        ("ticket", Decimal("18500.00"), "IVANOV IVAN"),
        ("seat", Decimal("1200"), "IVANOV IVAN"),
    ]
    assert lines[0].document == "5552400000011"
    assert {line.reference for line in lines} == {"SCS001"}


@pytest.mark.parametrize("ref", ["", "AB", "ABCDEFG", "AB-123", None])
def test_bad_reference(ref):
    with pytest.raises(BookingError) as err:
        normalize_reference(ref)
    assert err.value.code == "reference"


def _error(booking, catalogue=CATALOGUE, currency="RUB"):
    with pytest.raises(BookingError) as err:
        compose("SCS001", booking, catalogue, currency)
    return err.value


def _item(**over):
    item = {
        "passenger_id": "P1",
        "service_code": "0B5",
        "description": "Seat",
        "status": "HK",
        "amount": "100",
        "currency": "RUB",
    }
    item.update(over)
    return _booking(items=[item])


def test_foreign_currency_refuses_the_whole_booking():
    err = _error(_item(currency="EUR"))
    assert err.code == "currency" and "EUR" in str(err)


@pytest.mark.parametrize(
    "amount, code",
    [
        ("-100", "negative"),
        ("abc", "amount"),
        ("1.005", "amount"),
        ("NaN", "amount"),
        (None, "amount"),
    ],
)
def test_bad_prices(amount, code):
    assert _error(_item(amount=amount)).code == code


def test_zero_price_is_allowed():
    assert compose("SCS001", _item(amount="0.00"), CATALOGUE)[0].price == Decimal("0.00")


@pytest.mark.parametrize("status", ["HX", "UN", "UC", "HL", ""])
def test_unconfirmed_items_are_not_sold(status):
    assert _error(_item(status=status)).code == "status"


def test_unknown_service_and_passenger():
    assert _error(_item(service_code="XXX")).code == "unknown_service"
    assert _error(_item(passenger_id="P9")).code == "unknown_passenger"


def test_passenger_limit():
    pax = [
        {"id": f"P{i}", "surname": "X", "name": str(i), "ptc": "ADT"}
        for i in range(MAX_PASSENGERS + 1)
    ]
    assert _error(_booking(passengers=pax)).code == "too_many_passengers"
    assert len(compose("SCS001", _booking(passengers=pax[:MAX_PASSENGERS]), CATALOGUE)) == 2


def test_empty_or_mismatched_booking():
    assert _error(_booking(items=[])).code == "no_items"
    assert _error(_booking(reference="OTHER1")).code == "mismatch"


def test_a_terminal_selling_part_of_the_catalogue_leaves_the_rest_to_the_desk():
    extras = {"0B5": "seat", "INS": "insurance"}
    with pytest.raises(BookingError) as err:
        compose("SCS001", _booking(), extras)
    assert err.value.code == "unknown_service"
    lines = compose("SCS001", _booking(), extras, only_catalogue=True)
    assert [(line.product, line.price) for line in lines] == [("seat", Decimal("1200"))]
    # an unsellable item it would not sell does not refuse the booking either
    booking = _booking()
    booking["items"][0]["status"] = "XX"
    assert len(compose("SCS001", booking, extras, only_catalogue=True)) == 1
    with pytest.raises(BookingError) as err:
        compose("SCS001", _booking(), {"XBAG": "bag"}, only_catalogue=True)
    assert err.value.code == "nothing_here"
