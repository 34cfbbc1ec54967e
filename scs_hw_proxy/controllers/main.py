# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import logging

from odoo import http
from odoo.http import request
from odoo.tools import config

from ..adapters import devices
from ..adapters.coordinator import ProxyError
from ..adapters.printer import PrinterError
from ..engine import requests as checks
from ..engine.auth import ProxySecurity

_logger = logging.getLogger(__name__)

CORS_HEADERS = "Origin, X-Requested-With, Content-Type, Accept, Authorization"
MAX_BODY = 256 * 1024  # a 512 px JPEG receipt of a long order fits; anything bigger is refused
ROUTE = {
    "type": "http",
    "auth": "none",
    "methods": ["POST", "OPTIONS"],
    "csrf": False,
    "save_session": False,
}


def _security():
    return ProxySecurity.from_options(
        config.get("scs_hw_proxy_token"), config.get("scs_hw_proxy_origins")
    )


def _service():
    return devices.get(config.options)


class HwProxy(http.Controller):
    """The ``/hw_proxy/*`` routes Odoo POS calls, answered as POS expects, and ours.

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

    def _dispatch(self, handler):
        """Answer one JSON-RPC call of a paired POS with ``handler(params)``."""
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
        if not isinstance(body, dict):
            return self._rpc_error(security, None, "ParseError", "Body is not an object", 400)
        rpc_id = body.get("id")
        params = body.get("params") or {}
        try:
            if not isinstance(params, dict):
                raise checks.BadRequest("params must be an object")
            result = handler(params)
        except checks.BadRequest as error:
            return self._rpc_error(security, rpc_id, "BadRequest", str(error), 400)
        except ProxyError as error:
            # a device's or the journal's refusal: HTTP 200, so POS reads the message
            return self._rpc_error(security, rpc_id, error.code, error.message, 200)
        except Exception:
            _logger.exception("hw_proxy: %s failed", httprequest.path)
            return self._rpc_error(
                security, rpc_id, "InternalError", "The proxy failed; see its log.", 500
            )
        return self._json(security, {"jsonrpc": "2.0", "id": rpc_id, "result": result})

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

    @http.route("/hw_proxy/handshake", **ROUTE)
    def handshake(self):
        return self._dispatch(lambda params: True)

    @http.route("/hw_proxy/status_json", **ROUTE)
    def status_json(self):
        def status(params):
            # never waits on a device: POS stops polling after one answer slower than 2.5 s
            state = {dev: {"status": "disconnected"} for dev in ("printer", "scanner", "scale")}
            state.update(_service().device_state)
            return state

        return self._dispatch(status)

    @http.route("/hw_proxy/default_printer_action", **ROUTE)
    def default_printer_action(self):
        def action(params):
            data = checks.printer_action(params)
            printer = _service().printer
            if printer is None:
                raise ProxyError("not_configured", "No receipt printer is configured.")
            try:
                if data["action"] == "cashbox":
                    printer.open_cashbox()
                else:
                    # answered only once printed: POS then never reprints a receipt that came out
                    printer.print_image(data["receipt"])
            except PrinterError as error:
                raise ProxyError(error.code, error.message) from error
            return True

        return self._dispatch(action)

    # card terminal

    @http.route("/scs/terminal/<string:operation>", **ROUTE)
    def terminal(self, operation):
        def call(params):
            service = _service()
            if operation == "sale":
                args = checks.card_operation(params)
                return service.card_sale(args["request_id"], args["order_ref"], args["amount"])
            if operation == "refund":
                args = checks.card_operation(params, refund=True)
                return service.card_refund(
                    args["request_id"], args["order_ref"], args["amount"], args["original_rrn"]
                )
            if operation == "cancel":
                return service.card_cancel(checks.request_id(params))
            if operation == "status":
                return service.card_status(checks.request_id(params))
            if operation == "day_close":
                return service.day_close()
            raise checks.BadRequest(f"unknown terminal operation {operation}")

        return self._dispatch(call)

    # fiscal register

    @http.route("/scs/fiscal/<string:operation>", **ROUTE)
    def fiscal(self, operation):
        def call(params):
            service = _service()
            if operation == "receipt":
                args = checks.receipt(params)
                return service.fiscal_receipt(
                    args["external_id"],
                    args["document"],
                    args["total"],
                    args["operation"],
                    args["txns"],
                )
            if operation == "status":
                return service.receipt_status(checks.external_id(params))
            if operation in ("open_shift", "close_shift", "x_report"):
                args = checks.cashier(params)
                return service.shift(operation, args["cashier"], args["cashier_inn"])
            if operation in ("cash_in", "cash_out"):
                args = checks.cash(params)
                return service.cash(operation, args["external_id"], args["amount"])
            raise checks.BadRequest(f"unknown fiscal operation {operation}")

        return self._dispatch(call)
