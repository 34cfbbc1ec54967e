"""SOAP client of the booking system (zeep), returning plain data for the engine."""

from pathlib import Path

import requests
from zeep import Client, Settings
from zeep.exceptions import Fault, TransportError, XMLSyntaxError
from zeep.transports import Transport

WSDL = Path(__file__).resolve().parent.parent / "data" / "wsdl" / "booking.wsdl"
BINDING = "{urn:scs:booking:1}BookingBinding"


class BookingServiceError(Exception):
    """The booking system could not answer: ``code`` is not_found, timeout,
    unavailable or fault; ``detail`` is what it said."""

    def __init__(self, code, detail=""):
        self.code = code
        self.detail = detail
        super().__init__(f"{code}: {detail}" if detail else code)


def _client(endpoint, username, password, timeout):
    session = requests.Session()
    if username:
        session.auth = (username, password or "")
    transport = Transport(session=session, timeout=timeout, operation_timeout=timeout)
    client = Client(str(WSDL), transport=transport, settings=Settings(strict=True))
    return client.create_service(BINDING, endpoint)


def fetch_booking(endpoint, reference, username=None, password=None, timeout=10.0):
    """The booking as ``{reference, passengers: [...], items: [...]}`` of plain values."""
    if not endpoint:
        raise BookingServiceError("unavailable", "no booking service endpoint is configured")
    try:
        service = _client(endpoint, username, password, timeout)
        answer = service.GetBooking(reference=reference)
    except Fault as fault:
        message = fault.message or ""
        if message.startswith("NotFound"):
            raise BookingServiceError("not_found", message) from fault
        raise BookingServiceError("fault", message) from fault
    except requests.Timeout as err:
        raise BookingServiceError("timeout", str(err)) from err
    except (requests.ConnectionError, TransportError) as err:
        raise BookingServiceError("unavailable", str(err)[:200]) from err
    except XMLSyntaxError as err:
        raise BookingServiceError("fault", f"unreadable answer: {err}") from err
    return {
        "reference": answer.reference,
        "passengers": [
            {"id": p.id, "surname": p.surname, "name": p.name, "ptc": p.ptc}
            for p in answer.passenger or []
        ],
        "items": [
            {
                "passenger_id": i.passengerId,
                "service_code": i.serviceCode,
                "description": i.description,
                "document": i.document or "",
                "status": i.status,
                "amount": i.amount,
                "currency": i.currency,
            }
            for i in answer.item or []
        ],
    }
