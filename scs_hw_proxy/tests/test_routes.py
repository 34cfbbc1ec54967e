# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
from unittest.mock import patch

from odoo.tests import HttpCase, tagged
from odoo.tools import config

TOKEN = "t" * 40
ORIGIN = "https://pos.example.test"


@tagged("post_install", "-at_install")
class TestHwProxyRoutes(HttpCase):
    def setUp(self):
        super().setUp()
        patcher = patch.dict(
            config.options, {"scs_hw_proxy_token": TOKEN, "scs_hw_proxy_origins": ORIGIN}
        )
        patcher.start()
        self.addCleanup(patcher.stop)

    def _rpc(self, name, headers=None):
        body = {"id": 7, "jsonrpc": "2.0", "method": "call", "params": {}}
        return self.url_open(
            f"/hw_proxy/{name}",
            data=json.dumps(body),
            headers={"Content-Type": "application/json", "Origin": ORIGIN, **(headers or {})},
        )

    def test_hello_answers_the_paired_origin_only(self):
        res = self.url_open("/hw_proxy/hello", headers={"Origin": ORIGIN})
        self.assertEqual(res.status_code, 200)
        self.assertEqual(res.text, "ping")
        self.assertEqual(res.headers["Access-Control-Allow-Origin"], ORIGIN)
        res = self.url_open("/hw_proxy/hello", headers={"Origin": "https://evil.test"})
        self.assertNotIn("Access-Control-Allow-Origin", res.headers)

    def test_calls_without_the_token_are_refused(self):
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
            res = self._rpc("status_json", headers)
            self.assertEqual(res.status_code, 401)
            error = res.json()["error"]
            # POS hangs on an error without a data object; a traceback must never leak
            self.assertEqual(error["data"]["name"], "AccessDenied")
            self.assertNotIn("debug", error["data"])

    def test_paired_pos_gets_device_status(self):
        auth = {"Authorization": f"Bearer {TOKEN}"}
        self.assertIs(self._rpc("handshake", auth).json()["result"], True)
        res = self._rpc("status_json", auth).json()
        self.assertEqual(res["id"], 7)
        self.assertEqual(set(res["result"]), {"printer", "scanner", "scale"})

    def test_unset_token_refuses_everything(self):
        with patch.dict(config.options, {"scs_hw_proxy_token": ""}):
            res = self._rpc("handshake", {"Authorization": "Bearer "})
        self.assertEqual(res.status_code, 401)

    def test_preflight_needs_no_token(self):
        res = self.opener.options(
            self.base_url() + "/hw_proxy/status_json",
            headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"},
            timeout=10,
        )
        self.assertEqual(res.status_code, 204)
        self.assertEqual(res.headers["Access-Control-Allow-Origin"], ORIGIN)
        self.assertIn("Authorization", res.headers["Access-Control-Allow-Headers"])
