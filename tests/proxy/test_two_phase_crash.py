"""Kill the proxy at every step of a card + cash sale; after restart nothing is lost or doubled.

The proxy runs as on the office PC (odoo-bin, no database) with the fake UPOS
terminal and the Shtrih-M register emulator, each in its own process that
outlives the proxy, as real devices do. At each crash point the proxy kills
itself with SIGKILL; it is started again, and the POS does what it does after
a lost answer: asks about its card payment, takes a new one if that one did
not stand, and sends the receipt again under the same external id. Then:

- no money without a receipt, no receipt without money: the card money that
  stands on the terminal equals the card part of the one receipt registered;
- no duplicate: the register holds exactly one sale receipt for the order;
- the journal agrees: the standing payment is committed, the others cancelled
  or declined, and every step left an event.
"""

import datetime
import time
from decimal import Decimal

import pytest

from scs_fiscal.engine import ffd
from scs_hw_proxy.adapters.coordinator import CRASH_POINTS
from scs_hw_proxy.adapters.journal import Journal
from scs_hw_proxy.emulators import sb_pilot
from scs_hw_proxy.emulators.printer import PrinterEmulator
from scs_hw_proxy.emulators.shtrih_register import RegisterProcess

from .harness import ROOT, Proxy, free_port

CARD, CASH = 600_000, 550_000
SB_PILOT = ROOT / "scs_hw_proxy" / "emulators" / "sb_pilot.py"
REGISTER = ROOT / "scs_hw_proxy" / "emulators" / "shtrih_register.py"


def sale_document():
    items = tuple(
        ffd.Item(name, price, Decimal(1), vat)
        for name, price, vat in (
            ("Ticket SVO-IKT 555-2401234567", 1_000_000, "none"),
            ("Extra baggage 23 kg", 150_000, "vat22"),
        )
    )
    receipt = ffd.Receipt(
        operation=ffd.SALE,
        tax_system="osn",
        day=datetime.date(2026, 12, 1),
        items=items,
        payments=ffd.Payments(cash=CASH, electronic=CARD),
        cashier="Ivanova A.",
        reference="IRK-0001",
    )
    return ffd.to_json(ffd.build(receipt))


def make_desk(tmp_path, grace=60, printer=None):
    upos = tmp_path / "upos"
    sb_pilot.prepare(upos)
    register = RegisterProcess(tmp_path, free_port())
    extra = {"scs_hw_proxy_printer": printer.url} if printer else {}
    proxy = Proxy(
        tmp_path / "proxy",
        {
            "scs_hw_proxy_journal": str(tmp_path / "journal.sqlite3"),
            "scs_hw_proxy_register": str(register.link),
            "scs_hw_proxy_terminal": str(SB_PILOT),
            "scs_hw_proxy_terminal_dir": str(upos),
            "scs_hw_proxy_terminal_timeout": "10",
            "scs_hw_proxy_grace": str(grace),
            "scs_hw_proxy_poll": "1",
            **extra,
        },
    )
    return proxy, register, upos, tmp_path / "journal.sqlite3"


@pytest.fixture
def desk(tmp_path):
    proxy, register, upos, journal = made = make_desk(tmp_path)
    yield made
    proxy.stop()
    register.stop()


def _result(answer):
    status, body = answer
    if status is None:
        return None
    assert "result" in body, body
    return body["result"]


def terminal(proxy, operation, **params):
    return _result(proxy.call(f"/scs/terminal/{operation}", params))


def send_receipt(proxy, external_id, document, txns):
    params = {"external_id": external_id, "document": document, "txns": txns}
    return _result(proxy.call("/scs/fiscal/receipt", params))


def pos_sale(proxy, request_ids):
    """One order as the POS runs it; None as soon as the proxy stops answering."""
    document = sale_document()
    while True:
        request_id = request_ids.pop(0)
        card = terminal(proxy, "sale", request_id=request_id, order_ref="IRK-0001", amount=CARD)
        if card is None:
            return None, request_id
        if card["state"] == "authorised":
            break
    receipt = send_receipt(proxy, "sale-IRK-0001", document, [request_id])
    return receipt, request_id


def pos_after_restart(proxy, request_id, request_ids):
    """What the POS does once the proxy answers again after a lost answer."""
    card = terminal(proxy, "status", request_id=request_id)
    if card["state"] not in ("authorised", "committed"):
        # that payment did not stand: the cashier takes the card again
        return pos_sale(proxy, request_ids)[0]
    return send_receipt(proxy, "sale-IRK-0001", sale_document(), [request_id])


def standing_money(upos):
    state = sb_pilot.load_state(upos)
    return sum(
        txn["amount"] - txn["refunded"]
        for txn in state["transactions"].values()
        if txn["op"] == "sale" and not txn["cancelled"]
    )


def open_shift(proxy):
    shift = _result(proxy.call("/scs/fiscal/open_shift", {"cashier": "Ivanova A."}))
    assert shift["status"] == "done", shift


def check_invariants(register, upos, journal_path):
    sales = [d for d in register.state()["documents"] if d["type"] == 3]
    assert len(sales) == 1, sales
    assert sales[0]["sum"] == CARD + CASH
    assert standing_money(upos) == CARD
    journal = Journal(journal_path)
    txns = journal.txns()
    assert [t["state"] for t in txns if t["state"] == "committed"] == ["committed"]
    assert {t["state"] for t in txns} <= {"committed", "cancelled", "declined"}
    assert journal.receipt("sale-IRK-0001")["state"] == "done"
    assert journal.events()
    journal.close()


def test_a_sale_without_crash(tmp_path):
    with PrinterEmulator(out=tmp_path / "printer.bin") as printer:
        proxy, register, upos, journal = make_desk(tmp_path, printer=printer)
        try:
            proxy.start()
            open_shift(proxy)
            devices = _result(proxy.call("status_json"))
            for name in ("printer", "scs_register", "scs_terminal"):
                assert devices[name]["status"] == "connected", devices
            receipt, _request_id = pos_sale(proxy, ["0a000001"])
            assert receipt["status"] == "done", receipt
            assert receipt["fiscal"]["fiscal_sign"]
            # the terminal's slip follows the receipt, in Cyrillic
            assert printer.wait_until(lambda p: "ОПЛАТА" in p.text())
            # the POS sends it again (it never heard the answer): the same receipt, once
            again = send_receipt(proxy, "sale-IRK-0001", sale_document(), ["0a000001"])
            assert again["fiscal"] == receipt["fiscal"]
            # the customer's and the cashier's copy
            assert printer.wait_until(lambda p: p.text().count("ОПЛАТА") == 2)
            check_invariants(register, upos, journal)
        finally:
            proxy.stop()
            register.stop()


def test_no_receipt_for_money_not_taken(desk):
    proxy, register, upos, _journal = desk
    proxy.start()
    open_shift(proxy)
    sb_pilot.inject(upos, "declined")
    card = terminal(proxy, "sale", request_id="0b000001", order_ref="IRK-0001", amount=CARD)
    assert card["state"] == "declined"
    status, body = proxy.call(
        "/scs/fiscal/receipt",
        {"external_id": "sale-IRK-0001", "document": sale_document(), "txns": ["0b000001"]},
    )
    assert (status, body["error"]["data"]["name"]) == (200, "no_money")
    assert not [d for d in register.state()["documents"] if d["type"] == 3]


@pytest.mark.parametrize("point", [p for p in CRASH_POINTS if not p.startswith("cancel:")])
def test_killed_during_a_sale(desk, point):
    proxy, register, upos, journal = desk
    proxy.start()
    open_shift(proxy)
    proxy.stop()
    proxy.start(crash_at=point)
    request_ids = ["0c000001", "0c000002", "0c000003"]
    receipt, request_id = pos_sale(proxy, request_ids)
    assert receipt is None, f"the proxy did not die at {point}"
    proxy.wait_dead()
    proxy.start()
    receipt = pos_after_restart(proxy, request_id, request_ids)
    assert receipt["status"] == "done", receipt
    # a payment the POS never heard of is given back by the restart's recovery
    deadline = time.monotonic() + 30
    while standing_money(upos) != CARD and time.monotonic() < deadline:
        time.sleep(0.5)
    check_invariants(register, upos, journal)


@pytest.mark.parametrize("point", [p for p in CRASH_POINTS if p.startswith("cancel:")])
def test_killed_while_giving_money_back(desk, point):
    """The cashier removed the card payment: its money goes back once, even across a crash."""
    proxy, register, upos, journal = desk
    proxy.start(crash_at=point)
    card = terminal(proxy, "sale", request_id="0d000001", order_ref="IRK-0001", amount=CARD)
    assert card["state"] == "authorised"
    answer = proxy.call("/scs/terminal/cancel", {"request_id": "0d000001"})
    assert answer == (None, None), f"the proxy did not die at {point}"
    proxy.wait_dead()
    proxy.start()
    card = terminal(proxy, "cancel", request_id="0d000001")
    assert card["state"] == "cancelled", card
    assert standing_money(upos) == 0
    state = sb_pilot.load_state(upos)
    ops = [(t["op"], t["cancelled"]) for t in state["transactions"].values()]
    # one sale, cancelled once: a lost cancel answer is asked about, never sent twice
    assert sorted(ops) == [("cancel", False), ("sale", True)]


def test_money_whose_receipt_never_comes_goes_back(tmp_path):
    proxy, register, upos, _journal = make_desk(tmp_path, grace=1)
    try:
        proxy.start()
        card = terminal(proxy, "sale", request_id="0e000001", order_ref="IRK-0001", amount=CARD)
        assert card["state"] == "authorised"
        # the POS vanished: the proxy's periodic recovery gives the money back
        deadline = time.monotonic() + 30
        while standing_money(upos) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert standing_money(upos) == 0
        status = terminal(proxy, "status", request_id="0e000001")
        assert status["state"] == "cancelled"
    finally:
        proxy.stop()
        register.stop()


def test_paper_out_keeps_the_money_until_the_receipt_prints(desk):
    proxy, register, upos, journal = desk
    proxy.start()
    open_shift(proxy)
    register.fault("paper_out", 1)
    receipt, request_id = pos_sale(proxy, ["0f000001"])
    assert receipt["status"] == "retry", receipt
    assert standing_money(upos) == CARD
    register.fault("paper_out", 0)
    receipt = send_receipt(proxy, "sale-IRK-0001", sale_document(), [request_id])
    assert receipt["status"] == "done", receipt
    check_invariants(register, upos, journal)


def test_shift_is_opened_and_renewed_by_the_register_clock(desk):
    proxy, register, upos, journal = desk
    proxy.start()
    # no shift open: the proxy opens one under the receipt's cashier
    receipt, _request_id = pos_sale(proxy, ["1a000001"])
    assert receipt["status"] == "done", receipt
    register.clock(shift_opened_hours_ago=25)
    document = sale_document()
    card = terminal(proxy, "sale", request_id="1a000002", order_ref="IRK-0002", amount=CARD)
    assert card["state"] == "authorised"
    receipt = send_receipt(proxy, "sale-IRK-0002", document, ["1a000002"])
    assert receipt["status"] == "done", receipt
    kinds = [d["type"] for d in register.state()["documents"]]
    # open, sale, Z (closes the 25-hour shift), open, sale
    assert kinds == [2, 3, 5, 2, 3]


def test_receipt_images_and_the_drawer_as_odoo_pos_sends_them(tmp_path):
    import base64
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (512, 300), 255).save(buffer, "JPEG")
    image = base64.b64encode(buffer.getvalue()).decode()
    with PrinterEmulator() as printer:
        proxy, register, _upos, _journal = make_desk(tmp_path, printer=printer)
        try:
            proxy.start()
            action = {"data": {"action": "print_receipt", "receipt": image}}
            assert _result(proxy.call("default_printer_action", action)) is True
            assert printer.wait_until(lambda p: p.images == 1)
            assert _result(proxy.call("default_printer_action", {"data": {"action": "cashbox"}}))
            assert printer.wait_until(lambda p: p.kicks == [0])  # one pulse on the drawer's pin
            printer.set_paper("out")
            status, body = proxy.call("default_printer_action", action)
            # POS reads error.data.name and offers to print from the browser instead
            assert (status, body["error"]["data"]["name"]) == (200, "paper_out")
            assert printer.images == 1
            status, body = proxy.call(
                "default_printer_action", {"data": {"action": "print_receipt", "receipt": "%%"}}
            )
            assert (status, body["error"]["data"]["name"]) == (400, "BadRequest")
        finally:
            proxy.stop()
            register.stop()


def test_a_refund_goes_back_to_the_same_card_with_its_receipt(desk):
    proxy, register, upos, _journal = desk
    proxy.start()
    receipt, request_id = pos_sale(proxy, ["2a000001"])
    assert receipt["status"] == "done", receipt
    rrn = receipt["txns"][0]["rrn"]
    assert len(rrn) == 12
    part = 150_000
    refund = terminal(
        proxy,
        "refund",
        request_id="2a000002",
        order_ref="IRK-0001-R",
        amount=part,
        original_rrn=rrn,
    )
    assert refund["state"] == "authorised", refund
    document = ffd.to_json(
        ffd.build(
            ffd.Receipt(
                operation=ffd.SALE_REFUND,
                tax_system="osn",
                day=datetime.date(2026, 12, 1),
                items=(ffd.Item("Extra baggage 23 kg", part, Decimal(1), "vat22"),),
                payments=ffd.Payments(electronic=part),
                cashier="Ivanova A.",
            )
        )
    )
    answer = send_receipt(proxy, "refund-IRK-0001-R", document, ["2a000002"])
    assert answer["status"] == "done", answer
    refunds = [d for d in register.state()["documents"] if d["type"] == 3 and d["operation"] == 2]
    assert [d["sum"] for d in refunds] == [part]
    assert standing_money(upos) == CARD - part
    state = sb_pilot.load_state(upos)
    assert [t["original"] for t in state["transactions"].values() if t["op"] == "refund"] == [rrn]
    # more than is left on the sale is refused by the terminal: nothing is journaled as paid
    over = terminal(
        proxy,
        "refund",
        request_id="2a000003",
        order_ref="IRK-0001-R2",
        amount=CARD,
        original_rrn=rrn,
    )
    assert over["state"] == "declined", over


def test_the_pos_sees_each_device_fault(desk):
    proxy, register, _upos, _journal = desk
    proxy.start()

    def register_state(expected):
        deadline = time.monotonic() + 15
        while True:
            state = _result(proxy.call("status_json"))["scs_register"]
            if expected in state["message"] or time.monotonic() > deadline:
                return state
            time.sleep(0.3)

    register.fault("paper_out", 1)
    assert register_state("no paper")["status"] == "error"
    register.fault("paper_out", 0)
    register.fault("fn_nearly_full", 1)
    state = register_state("fiscal storage")
    assert state["status"] == "error" and state["fn_warnings"], state
    register.fault("fn_nearly_full", 0)
    assert register_state("ready")["status"] == "connected"


def test_a_request_id_is_one_payment(desk):
    proxy, _register, upos, _journal = desk
    proxy.start()
    first = terminal(proxy, "sale", request_id="3a000001", order_ref="IRK-0001", amount=CARD)
    again = terminal(proxy, "sale", request_id="3a000001", order_ref="IRK-0001", amount=CARD)
    # a repeated request answers what the terminal did: the card is charged once
    assert again["rrn"] == first["rrn"]
    assert len(sb_pilot.load_state(upos)["transactions"]) == 1
    for order_ref, amount, name in (("IRK-0002", CARD, "id_taken"), ("IRK-0001", 5, "conflict")):
        status, body = proxy.call(
            "/scs/terminal/sale",
            {"request_id": "3a000001", "order_ref": order_ref, "amount": amount},
        )
        assert (status, body["error"]["data"]["name"]) == (200, name)
    assert len(sb_pilot.load_state(upos)["transactions"]) == 1
