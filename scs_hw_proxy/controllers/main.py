# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import logging

from odoo import http
from odoo.http import request
from odoo.tools import config

from ..engine.auth import ProxySecurity

_logger = logging.getLogger(__name__)

CORS_HEADERS = "Origin, X-Requested-With, Content-Type, Accept, Authorization"
MAX_BODY = 64 * 1024


def _security():
    return ProxySecurity.from_options(
        config.get("scs_hw_proxy_token"), config.get("scs_hw_proxy_origins")
    )


class HwProxy(http.Controller):
    """The ``/hw_proxy/*`` routes Odoo POS calls, answered as POS expects.

    JSON calls are answered by hand, not with Odoo's ``type='json'``, so that an
    error never carries a traceback and always has the ``error.data`` object
    POS needs to stop waiting.
    """

    def _cors(self, security, headers):
        origin = security.cors_origin(request.httprequest.headers.get("Origin"))
        if origin:
            headers += [
                ("Access-Control-Allow-Origin", origin),
                ("Vary", "Origin"),
                ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
                ("Access-Control-Allow-Headers", CORS_HEADERS),
                ("Access-Control-Max-Age", "86400"),
            ]
        return headers

    def _json(self, security, payload, status=200):
        headers = self._cors(security, [("Content-Type", "application/json")])
        return request.make_response(json.dumps(payload), headers=headers, status=status)

    def _rpc_error(self, security, rpc_id, name, message, status):
        return self._json(
            security,
            {
                "jsonrpc": "2.0",
                "id": rpc_id,
                "error": {
                    "code": status,
                    "message": message,
                    "data": {"name": name, "message": message},
                },
            },
            status=status,
        )

    @http.route(
        "/hw_proxy/hello",
        type="http",
        auth="none",
        methods=["GET", "OPTIONS"],
        csrf=False,
        save_session=False,
    )
    def hello(self):
        security = _security()
        return request.make_response(
            "ping", headers=self._cors(security, [("Content-Type", "text/plain")])
        )

    @http.route(
        ["/hw_proxy/handshake", "/hw_proxy/status_json"],
        type="http",
        auth="none",
        methods=["POST", "OPTIONS"],
        csrf=False,
        save_session=False,
    )
    def rpc(self):
        security = _security()
        httprequest = request.httprequest
        if httprequest.method == "OPTIONS":
            # a preflight never carries the token: answer it for the paired origin only
            return request.make_response("", headers=self._cors(security, []), status=204)
        if not security.authorized(httprequest.headers.get("Authorization")):
            _logger.warning(
                "hw_proxy: refused %s from %s", httprequest.path, httprequest.remote_addr
            )
            return self._rpc_error(security, None, "AccessDenied", "Pairing token required", 401)
        if (httprequest.content_length or 0) > MAX_BODY:
            return self._rpc_error(security, None, "RequestTooLarge", "Request too large", 413)
        try:
            body = json.loads(httprequest.get_data(as_text=True) or "{}")
        except ValueError:
            return self._rpc_error(security, None, "ParseError", "Body is not JSON", 400)
        rpc_id = body.get("id") if isinstance(body, dict) else None
        if httprequest.path.endswith("/handshake"):
            result = True
        else:
            # no device drivers are loaded yet: each device reports itself absent
            result = {dev: {"status": "disconnected"} for dev in ("printer", "scanner", "scale")}
        return self._json(security, {"jsonrpc": "2.0", "id": rpc_id, "result": result})
