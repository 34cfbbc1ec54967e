"""The SOAP client against the local booking emulator (real HTTP, real zeep)."""

import time
from decimal import Decimal

import pytest

from scs_pos.adapters.booking_client import BookingServiceError, fetch_booking
from scs_pos.emulators.booking_server import BookingApp, serve_in_thread


@pytest.fixture(scope="module")
def emulator():
    app = BookingApp(slow_seconds=3, username="pos", password="secret")
    server, url = serve_in_thread(app)
    yield app, url
    server.shutdown()


def _fetch(url, ref, **kw):
    kw.setdefault("username", "pos")
    kw.setdefault("password", "secret")
    kw.setdefault("timeout", 5)
    return fetch_booking(url, ref, **kw)


def test_booking_comes_back_as_plain_data(emulator):
    _app, url = emulator
    booking = _fetch(url, "FAM123")
    assert booking["reference"] == "FAM123"
    assert [p["ptc"] for p in booking["passengers"]] == ["ADT", "CHD", "INF"]
    assert booking["items"][0]["amount"] == Decimal("32000.00")
    assert booking["items"][2]["passenger_id"] == "P3"


def test_unknown_reference(emulator):
    with pytest.raises(BookingServiceError) as err:
        _fetch(emulator[1], "NOPE99")
    assert err.value.code == "not_found"


def test_server_fault(emulator):
    with pytest.raises(BookingServiceError) as err:
        _fetch(emulator[1], "FAULT1")
    assert err.value.code == "fault"


def test_slow_answer_times_out(emulator):
    t0 = time.monotonic()
    with pytest.raises(BookingServiceError) as err:
        _fetch(emulator[1], "SLOW01", timeout=0.5)
    assert err.value.code == "timeout"
    assert time.monotonic() - t0 < 3


def test_wrong_credentials(emulator):
    with pytest.raises(BookingServiceError) as err:
        _fetch(emulator[1], "SCS001", password="wrong")
    assert err.value.code == "unavailable"


def test_service_down():
    server, url = serve_in_thread(BookingApp())
    server.shutdown()
    server.server_close()
    with pytest.raises(BookingServiceError) as err:
        fetch_booking(url, "SCS001", timeout=2)
    assert err.value.code == "unavailable"


def test_no_endpoint():
    with pytest.raises(BookingServiceError) as err:
        fetch_booking("", "SCS001")
    assert err.value.code == "unavailable"
