# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import shutil
import sys
import tempfile
from pathlib import Path
from unittest.mock import patch

from odoo.tests import HttpCase, tagged
from odoo.tools import config

from odoo.addons.scs_hw_proxy.adapters import devices
from odoo.addons.scs_hw_proxy.emulators import sb_pilot
from odoo.addons.scs_hw_proxy.emulators.printer import PrinterEmulator
from odoo.addons.scs_hw_proxy.emulators.shtrih_register import ShtrihRegisterEmulator

from .common import FiscalCommon, LocalRegisterCommon

PROXY_TOKEN = "tour-pairing-token-0123456789abcdef-xyz"


@tagged("post_install", "-at_install")
class TestFiscalFrontend(FiscalCommon, HttpCase):
    def test_receipt_prints_the_fiscal_data(self):
        order = self.run_pos_tour("scs_fiscal_receipt")
        self.assertEqual(len(order), 1)
        self.assertEqual(order.amount_total, 1220.0)
        document = order.scs_fiscal_document_ids
        self.assertEqual((document.kind, document.state), ("sale", "done"), document.last_error)
        self.assertTrue(document.fiscal_sign)
        self.assertIn(f"&fp={document.fiscal_sign}&", document.qr_code)


@tagged("post_install", "-at_install")
class TestProxyFrontend(LocalRegisterCommon, HttpCase):
    """A cashier sells and refunds with the office PC's proxy, which the test server
    itself serves (scs_hw_proxy's routes need no database): the fake UPOS terminal and
    the Shtrih-M register emulator behind it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pos_config.write(
            {
                "is_posbox": True,
                "iface_print_via_proxy": True,
                "iface_cashdrawer": False,
                "auto_validate_terminal_payment": False,
                "scs_proxy_token": PROXY_TOKEN,
            }
        )
        # the drawer is not counted: the cashier may close with a reason
        cls.office.scs_cash_difference_threshold = 1_000_000

    def setUp(self):
        super().setUp()
        folder = Path(tempfile.mkdtemp(prefix="scs-proxy-tour-"))
        self.addCleanup(shutil.rmtree, folder, ignore_errors=True)
        self.upos = folder / "upos"
        sb_pilot.prepare(self.upos)
        # the fake sb_pilot in its UPOS folder, run by this interpreter (stdlib only)
        executable = self.upos / "sb_pilot.py"
        source = Path(sb_pilot.__file__).read_text(encoding="utf-8").split("\n", 1)[1]
        executable.write_text(f"#!{sys.executable}\n{source}", encoding="utf-8")
        executable.chmod(0o755)
        # the register keeps Irkutsk time, as the register of the test desk says
        self.register_device = ShtrihRegisterEmulator(pace=False, utc_offset_hours=8).start()
        self.addCleanup(self.register_device.stop)
        # the desk's receipt printer: the POS prints its receipt image through the proxy
        self.printer = PrinterEmulator().start()
        self.addCleanup(self.printer.stop)
        base = self.base_url()
        options = {
            "scs_hw_proxy_token": PROXY_TOKEN,
            "scs_hw_proxy_origins": base,
            "scs_hw_proxy_journal": str(folder / "journal.sqlite3"),
            "scs_hw_proxy_register": self.register_device.slave_path,
            "scs_hw_proxy_terminal": str(executable),
            "scs_hw_proxy_terminal_timeout": "30",
            "scs_hw_proxy_printer": self.printer.url,
        }
        self.enterContext(patch.dict(config.options, options))
        # the device poll is a thread without end: it must not outlive the test
        self.enterContext(patch.object(devices, "_poll", lambda *args: None))
        devices._service = None
        self.addCleanup(self._drop_proxy)
        self.pos_config.proxy_ip = base

    def _drop_proxy(self):
        service, devices._service = devices._service, None
        if service is not None:
            if service.register is not None:
                service.register.close()
            service.journal.close()

    def test_card_and_receipt_through_the_proxy(self):
        orders = self.run_pos_tour("scs_fiscal_proxy_sale_and_refund")
        sale = orders.filtered(lambda o: o.amount_total > 0)
        refund = orders - sale
        self.assertEqual((sale.amount_total, refund.amount_total), (2110.0, -890.0))
        card = sale.payment_ids.filtered(lambda p: p.payment_method_id == self.pm_terminal)
        refund_card = refund.payment_ids.filtered(lambda p: p.payment_method_id == self.pm_terminal)
        # the terminal took the sale and gave the refund back by the sale's RRN
        transactions = sb_pilot.load_state(self.upos)["transactions"]
        self.assertEqual(
            sorted((t["op"], t["amount"], t["original"]) for t in transactions.values()),
            [("refund", 89000, card.scs_rrn), ("sale", 150000, "")],
        )
        taken = transactions[card.scs_rrn]
        self.assertEqual(
            (card.amount, card.scs_auth_code, card.scs_card_mask, card.scs_terminal_id),
            (1500.0, taken["auth_code"], "220220******1234", "00982134"),
        )
        self.assertEqual(card.scs_terminal_request_id, taken["request_id"])
        given = transactions[refund_card.scs_rrn]
        self.assertEqual((given["op"], given["original"]), ("refund", card.scs_rrn))
        self.assertEqual(refund_card.scs_refunded_payment_id, card)
        self.assertEqual(refund_card.scs_terminal_request_id, given["request_id"])
        # the register printed one sale and one refund receipt, and the server has their data
        register = self.register_device.snapshot()
        receipts = {d["operation"]: d for d in register["documents"] if d["type"] == 3}
        self.assertEqual(
            sorted((d["operation"], d["sum"]) for d in receipts.values()),
            [(1, 211000), (2, 89000)],
        )
        self.assertEqual(len([d for d in register["documents"] if d["type"] == 3]), 2)
        for order, operation in ((sale, 1), (refund, 2)):
            document = order.scs_fiscal_document_ids
            printed = receipts[operation]
            self.assertEqual(document.state, "done", document.last_error)
            self.assertEqual(
                (document.fn_number, document.fd_number, document.fiscal_sign),
                (register["fn_number"], printed["fd"], str(printed["fiscal_sign"])),
            )
            self.assertEqual(document.agreement_state, "ok", document.mismatches)
            self.assertIn(f"&fp={printed['fiscal_sign']}&", document.qr_code)
        self.assertEqual(register["cash"], 61000)
        # the card slips follow the receipts on the desk's printer: the sale's and the refund's
        self.assertIn("ОПЛАТА", self.printer.text())
        self.assertIn("ВОЗВРАТ", self.printer.text())
        # the X report the cashier asked for mid-shift, in the proxy's audit trail
        events = devices._service.journal.events()
        self.assertIn(
            ("shift", "x_report", "done"), [(e["subject"], e["key"], e["state"]) for e in events]
        )
        # the session's closing printed the Z report, closed the shift and the terminal's day
        kinds = [d["type"] for d in self.register_device.snapshot()["documents"]]
        self.assertEqual(kinds[-1], 5, kinds)
        shift = sale.scs_fiscal_document_ids.shift_id
        self.assertEqual(shift.state, "closed")
        self.assertEqual(shift.z_report["document_number"], len(kinds))
        self.assertEqual(len(sb_pilot.load_state(self.upos)["closed_days"]), 1)
        self.assertEqual(sale.session_id.state, "closed")
        # the money stands for good: each payment is committed with its receipt
        journal = devices._service.journal
        for payment in card | refund_card:
            self.assertEqual(journal.txn(payment.scs_terminal_request_id)["state"], "committed")

    def test_refusals_are_told_and_nothing_is_lost(self):
        sb_pilot.inject(self.upos, "declined")
        self.register_device.inject("paper_out")
        order = self.run_pos_tour("scs_fiscal_proxy_refusals")
        card = order.payment_ids.filtered(lambda p: p.payment_method_id == self.pm_terminal)
        terminal = sb_pilot.load_state(self.upos)
        # the declined try took nothing; the retry was a new request that took the card
        self.assertEqual(len(terminal["requests"]), 2)
        self.assertNotEqual(list(terminal["requests"]), [card.scs_terminal_request_id] * 2)
        self.assertEqual(
            [(t["op"], t["amount"], t["request_id"]) for t in terminal["transactions"].values()],
            [("sale", 122000, card.scs_terminal_request_id)],
        )
        document = order.scs_fiscal_document_ids
        # the proxy could not open the register's shift without paper; nor could the POS
        self.assertEqual((document.state, document.attempts), ("to_send", 1))
        self.assertIn("no shift is open", document.last_error)
        register = self.register_device.snapshot()
        self.assertFalse([d for d in register["documents"] if d["type"] == 3])
        # the proxy holds the money for the receipt, which the next relay prints
        journal = devices._service.journal
        self.assertEqual(journal.txn(card.scs_terminal_request_id)["state"], "authorised")
        self.assertEqual(journal.receipt(document.external_id)["state"], "pending")
