"""A local ATOL Online v5 style service, for tests, the benchmark and the demo.

It keeps documents in memory: a registered document is ``wait`` for
``done_after`` report requests, then ``done`` with fiscal data. It refuses
what the real service refuses (missing or expired token, wrong group, unknown
operation, invalid JSON or sums, an external id seen before) and plays the
failures a client must survive, queued with :meth:`AtolApp.inject`:

- ``"timeout"``: register the document, then answer after ``slow_seconds``
  (the client gives up: the document exists, the client does not know);
- ``"500"``: answer HTTP 500 without registering;
- ``"500_after"``: register, then answer HTTP 500;
- ``"fail"``: register the document as failed by the register (driver error).

    python scs_fiscal/emulators/atol_server.py --port 8791   (from the repo root)
"""

import argparse
import itertools
import json
import logging
import threading
import time
import uuid as uuidlib
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

PREFIX = "/possystem/v5/"
OPERATIONS = {
    "sell",
    "sell_refund",
    "sell_correction",
    "sell_refund_correction",
    "buy",
    "buy_refund",
    "buy_correction",
    "buy_refund_correction",
}
MAX_BODY = 512 * 1024
FN_NUMBER = "9999078900012345"
MOSCOW = timedelta(hours=3)


class AtolApp:
    def __init__(
        self,
        login="scs",
        password="secret",
        group_code="scs_group",
        token_seconds=86400,
        done_after=1,
        slow_seconds=3.0,
    ):
        self.login = login
        self.password = password
        self.group_code = group_code
        self.token_seconds = token_seconds
        self.done_after = done_after
        self.slow_seconds = slow_seconds
        self.tokens = {}
        self.documents = {}  # uuid -> document
        self.by_external_id = {}
        self.faults = []
        self.requests = []  # (method, path) of every request, for the tests
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()

    def inject(self, *faults):
        """Play these faults on the next register requests, one each."""
        with self._lock:
            self.faults.extend(faults)

    def expire_tokens(self):
        with self._lock:
            self.tokens = {token: 0 for token in self.tokens}

    def copies(self):
        """How many documents each external id produced: never more than one."""
        with self._lock:
            return Counter(doc["external_id"] for doc in self.documents.values())

    # WSGI

    def __call__(self, environ, start_response):
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "")
        self.requests.append((method, path))
        status, answer, delay = self._route(environ, method, path)
        if delay:
            time.sleep(delay)
        body = json.dumps(answer, ensure_ascii=False, default=float).encode()
        start_response(
            status,
            [
                ("Content-Type", "application/json; charset=utf-8"),
                ("Content-Length", str(len(body))),
            ],
        )
        return [body]

    def _route(self, environ, method, path):
        if not path.startswith(PREFIX):
            return _error("404 Not Found", 40, "unknown path")
        parts = path[len(PREFIX) :].strip("/").split("/")
        if method == "POST" and parts == ["getToken"]:
            return self._get_token(environ)
        if len(parts) == 3 and parts[1] == "report" and method == "GET":
            return self._report(environ, parts[0], parts[2])
        if len(parts) == 2 and method == "POST":
            return self._register(environ, parts[0], parts[1])
        return _error("400 Bad Request", 40, "bad request")

    def _json(self, environ):
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length <= 0 or length > MAX_BODY:
            return None
        try:
            return json.loads(environ["wsgi.input"].read(length), parse_float=Decimal)
        except (ValueError, UnicodeDecodeError):
            return None

    def _get_token(self, environ):
        data = self._json(environ) or {}
        if data.get("login") != self.login or data.get("pass") != self.password:
            return _error("401 Unauthorized", 12, "wrong login or password")
        token = uuidlib.uuid4().hex
        with self._lock:
            self.tokens[token] = time.time() + self.token_seconds
        return "200 OK", {"token": token, "timestamp": _now(), "error": None}, 0

    def _check_token(self, environ, group):
        token = environ.get("HTTP_TOKEN", "")
        with self._lock:
            expires = self.tokens.get(token)
        if expires is None:
            return _error("401 Unauthorized", 10, "token missing or unknown")
        if expires < time.time():
            return _error("401 Unauthorized", 11, "token expired")
        if group != self.group_code:
            return _error("401 Unauthorized", 20, "group code and token do not match")
        return None

    def _register(self, environ, group, operation):
        refused = self._check_token(environ, group)
        if refused:
            return refused
        if operation not in OPERATIONS:
            return _error("400 Bad Request", 31, f"operation {operation} not supported")
        data = self._json(environ)
        problem = _validate(data, operation)
        if problem:
            return _error("400 Bad Request", 32, problem, status="fail")
        with self._lock:
            fault = self.faults.pop(0) if self.faults else None
            if fault == "500":
                return _error("500 Internal Server Error", 50, "server error")
            known = self.by_external_id.get(data["external_id"])
            if known:
                return _error(
                    "400 Bad Request", 33, "external_id exists", status="wait", uuid=known
                )
            doc_uuid = str(uuidlib.uuid4())
            content = data.get("receipt") or data.get("correction")
            self.documents[doc_uuid] = {
                "external_id": data["external_id"],
                "operation": operation,
                "total": content["total"],
                "polls": 0,
                "failed": fault == "fail",
                "payload": None,
            }
            self.by_external_id[data["external_id"]] = doc_uuid
        answer = {"uuid": doc_uuid, "status": "wait", "timestamp": _now(), "error": None}
        if fault == "timeout":
            return "200 OK", answer, self.slow_seconds
        if fault == "500_after":
            return _error("500 Internal Server Error", 50, "server error")
        return "200 OK", answer, 0

    def _report(self, environ, group, doc_uuid):
        refused = self._check_token(environ, group)
        if refused:
            return refused
        with self._lock:
            doc = self.documents.get(doc_uuid)
            if doc is None:
                return _error("400 Bad Request", 30, "unknown uuid", status="fail")
            doc["polls"] += 1
            if doc["failed"]:
                answer = {
                    "uuid": doc_uuid,
                    "status": "fail",
                    "external_id": doc["external_id"],
                    "error": {"code": 1, "text": "register error", "type": "driver"},
                }
                return "200 OK", answer, 0
            if doc["polls"] <= self.done_after - 1:
                answer = {"uuid": doc_uuid, "status": "wait", "error": None}
                return "200 OK", answer, 0
            if doc["payload"] is None:
                number = next(self._numbers)
                doc["payload"] = {
                    "fiscal_receipt_number": number,
                    "shift_number": 1,
                    "receipt_datetime": _now(),
                    "total": doc["total"],
                    "fn_number": FN_NUMBER,
                    "ecr_registration_number": "0000000001012345",
                    "fiscal_document_number": 1000 + number,
                    "fiscal_document_attribute": str(abs(hash(doc_uuid)) % 4294967295 or 1),
                    "fns_site": "www.nalog.gov.ru",
                    "ofd_receipt_url": f"https://ofd.example/receipt/{doc_uuid}",
                }
            answer = {
                "uuid": doc_uuid,
                "status": "done",
                "external_id": doc["external_id"],
                "error": None,
                "payload": doc["payload"],
                "timestamp": _now(),
            }
            return "200 OK", answer, 0


def _validate(data, operation):
    """The checks of the service's JSON schema and sums; a reason or None."""
    if not isinstance(data, dict):
        return "body is not a JSON object"
    external_id = data.get("external_id")
    if not isinstance(external_id, str) or not 0 < len(external_id) <= 128:
        return "external_id missing or too long"
    key = "correction" if operation.endswith("_correction") else "receipt"
    content = data.get(key)
    if not isinstance(content, dict):
        return f"{key} missing"
    items = content.get("items") or []
    payments = content.get("payments") or []
    if not items or len(items) > 100 or len(payments) > 10:
        return "items: 1 to 100, payments: at most 10"
    try:
        total = Decimal(str(content["total"]))
        items_sum = sum(Decimal(str(item["sum"])) for item in items)
        paid = sum(Decimal(str(payment["sum"])) for payment in payments)
        for item in items:
            expected = (Decimal(str(item["price"])) * Decimal(str(item["quantity"]))).quantize(
                Decimal("0.01")
            )
            if abs(expected - Decimal(str(item["sum"]))) > Decimal("0.01"):
                return f"item {item.get('name')}: sum is not price x quantity"
    except (KeyError, TypeError, ArithmeticError):
        return "items or payments malformed"
    if items_sum != total or paid != total:
        return f"total {total}, items {items_sum}, payments {paid}"
    return None


def _error(http_status, code, text, status=None, uuid=None):
    answer = {
        "uuid": uuid,
        "status": status,
        "timestamp": _now(),
        "error": {"error_id": str(uuidlib.uuid4()), "code": code, "text": text, "type": "system"},
    }
    return http_status, answer, 0


def _now():
    # the service's registers keep Moscow time, whatever the office's zone
    return (datetime.now(UTC) + MOSCOW).strftime("%d.%m.%Y %H:%M:%S")


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class _ThreadingServer(WSGIServer):
    daemon_threads = True

    def process_request(self, request, client_address):
        threading.Thread(target=self._handle, args=(request, client_address), daemon=True).start()

    def _handle(self, request, client_address):
        try:
            self.finish_request(request, client_address)
        finally:
            self.shutdown_request(request)


def serve_in_thread(app=None, host="127.0.0.1", port=0):
    """Start the emulator; returns (server, base url). Stop with ``server.shutdown()``."""
    app = app or AtolApp()
    server = make_server(
        host, port, app, server_class=_ThreadingServer, handler_class=_QuietHandler
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://{host}:{server.server_port}{PREFIX}"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8791)
    args = parser.parse_args()
    server = make_server(
        args.host, args.port, AtolApp(), server_class=_ThreadingServer, handler_class=_QuietHandler
    )
    logging.basicConfig(level=logging.INFO)
    logging.getLogger(__name__).info(
        "ATOL Online emulator on http://%s:%s%s", args.host, args.port, PREFIX
    )
    server.serve_forever()


if __name__ == "__main__":
    main()
