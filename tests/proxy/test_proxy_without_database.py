"""The hardware proxy runs on an office PC with no database at all.

Starts ``odoo-bin --load=base,web,scs_hw_proxy`` against a PostgreSQL address
that does not exist and talks to it over HTTP as the POS would.
"""

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "p" * 40
ORIGIN = "http://pos.example.test"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _odoo_bin():
    odoo_bin = Path(sys.executable).parent / "odoo-bin"
    if not odoo_bin.exists():
        pytest.fail(f"{odoo_bin} is missing: run ./scs test, which installs Odoo in the venv")
    return odoo_bin


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("proxy")
    port = _free_port()
    conf = tmp / "proxy.conf"
    conf.write_text(
        "[options]\n"
        f"addons_path = {ROOT}\n"
        f"data_dir = {tmp / 'data'}\n"
        f"db_host = {tmp / 'no-postgresql-here'}\n"
        "http_interface = 127.0.0.1\n"
        f"http_port = {port}\n"
        "list_db = False\n"
        f"scs_hw_proxy_token = {TOKEN}\n"
        f"scs_hw_proxy_origins = {ORIGIN}\n"
    )
    log = open(tmp / "proxy.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, str(_odoo_bin()), "-c", str(conf), "--load=base,web,scs_hw_proxy"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/hw_proxy/hello", timeout=2).read()
            break
        except (urllib.error.URLError, ConnectionError):
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                log.close()
                pytest.fail("the proxy did not start:\n" + (tmp / "proxy.log").read_text()[-3000:])
            time.sleep(0.3)
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()
    shutil.rmtree(tmp, ignore_errors=True)


def _call(base, name, token=None):
    body = json.dumps({"id": 3, "jsonrpc": "2.0", "method": "call", "params": {}}).encode()
    headers = {"Content-Type": "application/json", "Origin": ORIGIN}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(base + f"/hw_proxy/{name}", data=body, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=5) as res:
            return res.status, json.loads(res.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def test_hello_without_database(proxy):
    req = urllib.request.Request(proxy + "/hw_proxy/hello", headers={"Origin": ORIGIN})
    with urllib.request.urlopen(req, timeout=5) as res:
        assert res.read() == b"ping"
        assert res.headers["Access-Control-Allow-Origin"] == ORIGIN


def test_status_needs_the_token(proxy):
    status, body = _call(proxy, "status_json")
    assert status == 401
    assert body["error"]["data"]["name"] == "AccessDenied"
    status, body = _call(proxy, "status_json", TOKEN)
    assert status == 200
    assert body["result"]["printer"]["status"] == "disconnected"


def test_handshake(proxy):
    assert _call(proxy, "handshake", TOKEN) == (
        200,
        {"jsonrpc": "2.0", "id": 3, "result": True},
    )
