"""The cloud fiscal driver and the queue's state machine against the local ATOL emulator."""

import datetime
import random
from decimal import Decimal

import pytest

from scs_fiscal.adapters.atol_client import AtolClient
from scs_fiscal.emulators.atol_server import AtolApp, serve_in_thread
from scs_fiscal.engine import atol, ffd, queue
from scs_fiscal.engine.ffd import Item, Payments, Receipt

COMPANY = atol.Company("3811098765", "kassa@scs-airlines.example", "Irkutsk, Airport, desk 1")
NOW = datetime.datetime(2026, 3, 10, 14, 5, 9)
DOCUMENT = ffd.build(
    Receipt(
        operation=ffd.SALE,
        tax_system="osn",
        day=NOW.date(),
        items=(Item("Seat selection 12A", 122000, Decimal(1), "vat22"),),
        payments=Payments(electronic=122000),
    )
)


@pytest.fixture
def service():
    app = AtolApp(slow_seconds=1.5)
    server, url = serve_in_thread(app)
    client = AtolClient(url, app.group_code, app.login, app.password, timeout=0.5)
    yield app, client
    server.shutdown()


def run(entry, client, steps=20):
    """Advance until the entry is done or failed, ignoring back-off (the test's clock)."""
    for _ in range(steps):
        if entry.state not in queue.OPEN_STATES:
            break
        entry = queue.advance(entry, client, DOCUMENT, COMPANY, NOW)
    return entry


def test_sale_is_fiscalised(service):
    app, client = service
    entry = queue.advance(queue.Entry("scs-1"), client, DOCUMENT, COMPANY, NOW)
    assert (entry.state, entry.attempts) == (queue.SENT, 1)
    assert entry.uuid
    entry = queue.advance(entry, client, DOCUMENT, COMPANY, NOW)
    assert entry.state == queue.DONE_STATE
    assert entry.fiscal["fn_number"] == "9999078900012345"
    assert entry.fiscal["total"] == Decimal("1220.0")
    assert app.copies() == {"scs-1": 1}


@pytest.mark.parametrize("fault", ["timeout", "500", "500_after"])
def test_lost_answers_never_make_a_second_receipt(service, fault):
    app, client = service
    app.inject(fault)
    entry = queue.advance(queue.Entry("scs-2"), client, DOCUMENT, COMPANY, NOW)
    assert entry.state == queue.UNKNOWN
    assert entry.next_try == NOW + queue.backoff(1)
    entry = run(entry, client)
    assert entry.state == queue.DONE_STATE
    assert app.copies() == {"scs-2": 1}


def test_expired_token_is_renewed(service):
    app, client = service
    client.token()
    app.expire_tokens()
    entry = run(queue.Entry("scs-3"), client)
    assert entry.state == queue.DONE_STATE
    assert [path for _method, path in app.requests].count("/possystem/v5/getToken") == 2


def test_invalid_document_fails_for_a_person(service):
    _app, client = service
    broken = {**DOCUMENT, 1020: 122001}
    entry = queue.advance(queue.Entry("scs-4"), client, broken, COMPANY, NOW)
    assert entry.state == queue.FAILED_STATE
    assert "[32]" in entry.error


def test_register_error_fails_for_a_person(service):
    app, client = service
    app.inject("fail")
    entry = run(queue.Entry("scs-5"), client)
    assert entry.state == queue.FAILED_STATE
    assert "register error" in entry.error


def test_wrong_password_fails_after_retries(service):
    app, _client = service
    client = AtolClient(_client.base_url, app.group_code, app.login, "wrong", timeout=0.5)
    entry = run(queue.Entry("scs-6"), client)
    assert entry.state == queue.FAILED_STATE
    assert entry.attempts == queue.MAX_ATTEMPTS
    assert app.copies() == {}


def test_service_down_keeps_the_document_for_later():
    client = AtolClient("http://127.0.0.1:9/possystem/v5/", "g", "l", "p", timeout=0.2)
    entry = queue.advance(queue.Entry("scs-7"), client, DOCUMENT, COMPANY, NOW)
    assert entry.state == queue.UNKNOWN
    assert queue.due(entry, NOW) is False
    assert queue.due(entry, NOW + queue.backoff(1)) is True


def test_backoff_doubles_up_to_half_an_hour():
    assert [queue.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [10, 20, 40, 80]
    assert queue.backoff(20) == datetime.timedelta(minutes=30)


def test_any_failure_sequence_gives_at_most_one_receipt(service):
    app, client = service
    rng = random.Random(54)
    for n in range(12):
        faults = rng.choices(["timeout", "500", "500_after", None], k=rng.randint(1, 4))
        app.inject(*[fault or "none" for fault in faults])
        entry = run(queue.Entry(f"scs-r{n}"), client)
        assert entry.state == queue.DONE_STATE, (faults, entry)
    assert set(app.copies().values()) == {1}
    assert len(app.copies()) == 12
