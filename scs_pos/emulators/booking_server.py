"""A local SOAP server that answers the SCS booking WSDL, for tests and the demo.

Bookings come from ``bookings.json``. Special references exercise the failure
paths: ``SLOW01`` answers after ``slow_seconds``, ``FAULT1`` answers a SOAP
server fault; any other unknown reference answers a ``NotFound`` fault.

    python -m scs_pos.emulators.booking_server --port 8790   (from the repo root)
"""

import argparse
import json
import logging
import threading
import time
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from xml.etree import ElementTree as ET

HERE = Path(__file__).resolve().parent
WSDL = HERE.parent / "data" / "wsdl" / "booking.wsdl"
NS = "urn:scs:booking:1"
SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
MAX_BODY = 64 * 1024


def _envelope(body_xml):
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<soap:Envelope xmlns:soap="{SOAP_NS}"><soap:Body>{body_xml}</soap:Body></soap:Envelope>'
    ).encode()


def _fault(code, message):
    return _envelope(
        f"<soap:Fault><faultcode>soap:{code}</faultcode>"
        f"<faultstring>{_esc(message)}</faultstring></soap:Fault>"
    )


def _esc(text):
    return (
        str(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
    )


def _booking_xml(reference, booking):
    parts = [f'<b:GetBookingResponse xmlns:b="{NS}"><b:reference>{_esc(reference)}</b:reference>']
    for pax in booking["passengers"]:
        parts.append(
            "<b:passenger>"
            + "".join(f"<b:{k}>{_esc(pax[k])}</b:{k}>" for k in ("id", "surname", "name", "ptc"))
            + "</b:passenger>"
        )
    for item in booking["items"]:
        fields = (
            "passengerId",
            "serviceCode",
            "description",
            "document",
            "status",
            "amount",
            "currency",
        )
        parts.append(
            "<b:item>" + "".join(f"<b:{k}>{_esc(item[k])}</b:{k}>" for k in fields) + "</b:item>"
        )
    parts.append("</b:GetBookingResponse>")
    return _envelope("".join(parts))


class BookingApp:
    """The WSGI application; ``requests`` counts the SOAP calls it answered."""

    def __init__(self, bookings=None, slow_seconds=5.0, username=None, password=None):
        self.bookings = (
            bookings if bookings is not None else json.loads((HERE / "bookings.json").read_text())
        )
        self.slow_seconds = slow_seconds
        self.credentials = (username, password) if username else None
        self.requests = 0

    def __call__(self, environ, start_response):
        if environ["REQUEST_METHOD"] == "GET":
            start_response("200 OK", [("Content-Type", "text/xml")])
            return [WSDL.read_bytes()]
        if self.credentials and not self._authorized(environ):
            start_response("401 Unauthorized", [("Content-Type", "text/plain")])
            return [b"authentication required"]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length > MAX_BODY:
            start_response("413 Payload Too Large", [("Content-Type", "text/plain")])
            return [b"too large"]
        self.requests += 1
        status, body = self._answer(environ["wsgi.input"].read(length))
        start_response(status, [("Content-Type", "text/xml; charset=utf-8")])
        return [body]

    def _authorized(self, environ):
        import base64  # noqa: PLC0415

        header = environ.get("HTTP_AUTHORIZATION", "")
        if not header.startswith("Basic "):
            return False
        user, _sep, password = base64.b64decode(header[6:]).decode().partition(":")
        return (user, password) == self.credentials

    def _answer(self, payload):
        try:
            root = ET.fromstring(payload)
            reference = root.find(f".//{{{NS}}}reference").text or ""
        except (ET.ParseError, AttributeError):
            return "500 Internal Server Error", _fault("Client", "malformed request")
        reference = reference.strip().upper()
        if reference == "SLOW01":
            time.sleep(self.slow_seconds)
            return "200 OK", _booking_xml(reference, self.bookings["SCS001"])
        if reference == "FAULT1":
            return "500 Internal Server Error", _fault("Server", "booking host unavailable")
        booking = self.bookings.get(reference)
        if booking is None:
            return "500 Internal Server Error", _fault("Client", f"NotFound: {reference}")
        return "200 OK", _booking_xml(reference, booking)


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class _ThreadingServer(WSGIServer):
    daemon_threads = True

    def process_request(self, request, client_address):
        # one thread per request, so a slow answer does not block the others
        thread = threading.Thread(target=self._handle, args=(request, client_address), daemon=True)
        thread.start()

    def _handle(self, request, client_address):
        try:
            self.finish_request(request, client_address)
        finally:
            self.shutdown_request(request)


def serve_in_thread(app=None, host="127.0.0.1", port=0):
    """Start the emulator; returns (server, url). Stop with ``server.shutdown()``."""
    app = app or BookingApp()
    server = make_server(
        host, port, app, server_class=_ThreadingServer, handler_class=_QuietHandler
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://{host}:{server.server_port}/booking"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--slow-seconds", type=float, default=15.0)
    args = parser.parse_args()
    server = make_server(
        args.host,
        args.port,
        BookingApp(slow_seconds=args.slow_seconds),
        server_class=_ThreadingServer,
        handler_class=_QuietHandler,
    )
    logging.basicConfig(level=logging.INFO)
    logging.getLogger(__name__).info(
        "booking emulator on http://%s:%s/booking", args.host, args.port
    )
    server.serve_forever()


if __name__ == "__main__":
    main()
