"""Start the hardware proxy as the office PC runs it (no database) and call it as POS does."""

import json
import os
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
LOAD = "base,web,scs_hw_proxy"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def odoo_bin():
    path = Path(sys.executable).parent / "odoo-bin"
    if not path.exists():
        pytest.fail(f"{path} is missing: run ./scs test, which installs Odoo in the venv")
    return path


class Proxy:
    """One proxy process; ``start`` again after it died reuses its folder and journal."""

    def __init__(self, folder, options=None):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.conf = self.folder / "proxy.conf"
        lines = {
            "addons_path": str(ROOT),
            "data_dir": str(self.folder / "data"),
            "db_host": str(self.folder / "no-postgresql-here"),
            "http_interface": "127.0.0.1",
            "http_port": str(self.port),
            "list_db": "False",
            "workers": "0",
            "max_cron_threads": "0",
            "scs_hw_proxy_token": TOKEN,
            "scs_hw_proxy_origins": ORIGIN,
            **(options or {}),
        }
        self.conf.write_text(
            "[options]\n" + "".join(f"{key} = {value}\n" for key, value in lines.items())
        )
        self.proc = None
        self.starts = 0

    def start(self, crash_at=""):
        env = dict(os.environ)
        env.pop("SCS_HW_PROXY_CRASH_AT", None)
        if crash_at:
            env["SCS_HW_PROXY_CRASH_AT"] = crash_at
        self.starts += 1
        self.log = self.folder / f"proxy-{self.starts}.log"
        with open(self.log, "w") as log:
            self.proc = subprocess.Popen(
                [sys.executable, str(odoo_bin()), "-c", str(self.conf), f"--load={LOAD}"],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
            )
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(self.base + "/hw_proxy/hello", timeout=2).read()
                return self
            except (urllib.error.URLError, ConnectionError):
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    pytest.fail("the proxy did not start:\n" + self.log.read_text()[-3000:])
                time.sleep(0.2)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def wait_dead(self, timeout=30):
        return self.proc.wait(timeout=timeout)

    def stop(self):
        if self.alive():
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def call(self, path, params=None, token=TOKEN, timeout=60):
        """POST a JSON-RPC call; ``(HTTP status, body)``, or ``(None, None)`` if the proxy died."""
        body = json.dumps({"id": 3, "jsonrpc": "2.0", "method": "call", "params": params or {}})
        headers = {"Content-Type": "application/json", "Origin": ORIGIN}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        url = self.base + (path if path.startswith("/") else f"/hw_proxy/{path}")
        req = urllib.request.Request(url, data=body.encode(), headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as res:
                return res.status, json.loads(res.read())
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read())
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return None, None
