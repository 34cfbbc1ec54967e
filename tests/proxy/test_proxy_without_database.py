"""The hardware proxy runs on an office PC with no database at all.

Starts ``odoo-bin --load=base,web,scs_hw_proxy`` against a PostgreSQL address
that does not exist and talks to it over HTTP as the POS would.
"""

import urllib.error
import urllib.request

import pytest

from .harness import ORIGIN, TOKEN, Proxy


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    proxy = Proxy(tmp_path_factory.mktemp("proxy")).start()
    yield proxy
    proxy.stop()


def test_hello_without_database(proxy):
    req = urllib.request.Request(proxy.base + "/hw_proxy/hello", headers={"Origin": ORIGIN})
    with urllib.request.urlopen(req, timeout=5) as res:
        assert res.read() == b"ping"
        assert res.headers["Access-Control-Allow-Origin"] == ORIGIN


def test_status_needs_the_token(proxy):
    status, body = proxy.call("status_json", token=None)
    assert status == 401
    assert body["error"]["data"]["name"] == "AccessDenied"
    status, body = proxy.call("status_json")
    assert status == 200
    # no device is configured on this proxy: each one reports itself absent
    assert body["result"]["printer"]["status"] == "disconnected"


def test_handshake(proxy):
    assert proxy.call("handshake") == (200, {"jsonrpc": "2.0", "id": 3, "result": True})


def test_unconfigured_devices_are_refused_cleanly(proxy):
    status, body = proxy.call("/scs/fiscal/x_report", {"cashier": "Ivanova"})
    assert status == 200
    assert body["error"]["data"]["name"] == "not_configured"
    status, body = proxy.call("/scs/terminal/sale", {"request_id": "XYZ", "amount": 100})
    assert status == 400
    assert body["error"]["data"]["name"] == "BadRequest"
    assert "debug" not in body["error"]["data"]


def test_malformed_bodies_get_a_clean_error(proxy):
    req = urllib.request.Request(
        proxy.base + "/scs/terminal/sale",
        data=b"{not json",
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    )
    try:
        urllib.request.urlopen(req, timeout=5)
    except urllib.error.HTTPError as err:
        assert err.code == 400
        assert b"ParseError" in err.read()
    else:
        pytest.fail("a body that is not JSON was accepted")
