# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import LocalRegisterCommon

FISCAL = {
    "fn_number": "9999078902012345",
    "document_number": 7,
    "fiscal_sign": "3522012345",
    "moment": "2026-03-02T10:15:00",  # the register's clock, Irkutsk time
    "shift_number": 3,
}


@tagged("post_install", "-at_install")
class TestRelay(LocalRegisterCommon):
    """The POS prints a local register's documents through the proxy and reports back."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cashier2 = cls._scs_user("tst.cashier2", "scs_pos.group_scs_cashier")
        cls.pos_config.with_user(cls.cashier).open_ui()

    def sell(self, request_id="0a1b2c3d"):
        """Seat selection 1,220: 1,000 by the proxy's terminal, 220 in cash."""
        order = self.sync(
            self.order_payload(
                [(self.seat, 1220.0, 1)],
                payments=[
                    self.payment_vals(self.pm_terminal, 1000.0, scs_terminal_request_id=request_id),
                    self.payment_vals(self.pm_cash, 220.0),
                ],
            )
        )
        return order, order.scs_fiscal_document_ids

    def answer(self, document, status, **extra):
        """The proxy's answer about ``document``, as the POS relays it."""
        state = {"done": "done", "retry": "pending", "ask": "printing", "failed": "failed"}
        return {
            "external_id": document.external_id,
            "state": state[status],
            "status": status,
            "fiscal": FISCAL if status == "done" else {},
            "error_code": None,
            "error_text": "",
            "txns": [],
            **extra,
        }

    def relay(self, document, answer, user=None):
        Document = self.env["scs.fiscal.document"].with_user(user or self.cashier)
        return Document.scs_relay_result(document.id, answer)

    def test_pos_gets_what_to_relay(self):
        order, document = self.sell()
        data = self.env["pos.order"].with_user(self.cashier).scs_fiscalize(order.ids)
        (receipt,) = data[str(order.id)]
        self.assertEqual(receipt["state"], "to_send")
        relay = receipt["relay"]
        self.assertEqual(relay["document_id"], document.id)
        self.assertEqual(relay["route"], "/scs/fiscal/receipt")
        self.assertEqual(
            relay["params"],
            {"external_id": document.external_id, "document": document.payload,
             "txns": ["0a1b2c3d"]},
        )  # fmt: skip
        self.assertEqual(relay["cashier"], self.cashier.name)
        # the server never tries a register it cannot reach, neither now nor in the cron
        self.env["scs.fiscal.document"]._cron_process_queue()
        self.assertEqual((document.state, document.attempts), ("to_send", 0))
        self.assertFalse(document.last_error)

    def test_done_lands_on_the_document_and_the_receipt(self):
        order, document = self.sell()
        receipt = self.relay(document, self.answer(document, "done"))
        self.assertEqual(document.state, "done")
        self.assertEqual(order.scs_fiscal_state, "done")
        self.assertEqual(
            (document.fn_number, document.fd_number, document.fiscal_sign, document.shift_number),
            ("9999078902012345", 7, "3522012345", 3),
        )
        # 10:15 on the register's Irkutsk clock is 02:15 UTC
        self.assertEqual(document.fiscal_moment, datetime.datetime(2026, 3, 2, 2, 15))
        self.assertEqual((document.shift_id.number, document.shift_id.state), (3, "open"))
        self.assertFalse(document.shift_id.managed_by_service)
        self.assertEqual(document.agreement_state, "ok")
        self.assertEqual((receipt["fp"], receipt["fd"], receipt["moment"]),
                         ("3522012345", 7, "02.03.2026 10:15"))  # fmt: skip
        self.assertIn("&fp=3522012345&", receipt["qr"])
        # the POS reports it again, or reports an older answer late: nothing changes
        attempts = document.attempts
        self.assertEqual(self.relay(document, self.answer(document, "done")), receipt)
        self.assertEqual(self.relay(document, self.answer(document, "failed")), receipt)
        self.assertEqual((document.state, document.attempts), ("done", attempts))

    def test_a_moment_with_an_offset_is_read_on_the_register_clock(self):
        _order, document = self.sell()
        answer = self.answer(document, "done")
        answer["fiscal"] = dict(FISCAL, moment="2026-03-02T10:15:00+03:00")
        self.relay(document, answer)
        self.assertEqual(document.fiscal_moment, datetime.datetime(2026, 3, 2, 7, 15))

    def test_retry_ask_and_done_pass_the_queue(self):
        _order, document = self.sell()
        self.relay(
            document,
            self.answer(
                document, "retry", error_code=0x6B, error_text="no receipt paper (6Bh)",
                warnings=["paper_out"],
            ),
        )  # fmt: skip
        self.assertEqual((document.state, document.attempts), ("to_send", 1))
        self.assertIn("no receipt paper", document.last_error)
        self.assertTrue(document.next_try)
        self.relay(document, self.answer(document, "ask", error_text="no answer"))
        self.assertEqual(document.state, "unknown")
        # a refusal now does not prove that the lost answer registered nothing
        self.relay(document, self.answer(document, "retry", error_code=0x6B))
        self.assertEqual(document.state, "unknown")
        self.relay(document, self.answer(document, "done"))
        self.assertEqual((document.state, document.attempts), ("done", 4))
        self.assertFalse(document.last_error)

    def test_failed_receipt_needs_a_person(self):
        order, document = self.sell()
        self.relay(
            document,
            self.answer(
                document, "failed", error_code=0x33, error_text="bad parameters (33h)",
                txns=[{"request_id": "0a1b2c3d", "state": "cancelled"}],
            ),
        )  # fmt: skip
        self.assertEqual(document.state, "failed")
        self.assertEqual(order.scs_fiscal_state, "failed")
        self.assertIn("bad parameters", document.last_error)
        self.assertIn("0a1b2c3d", document.last_error)

    def test_refusals_of_the_proxy(self):
        expected = {
            "no_money": "failed",
            "conflict": "failed",
            "not_configured": "to_send",
            "AccessDenied": "to_send",
            "connection_lost": "unknown",
            "InternalError": "unknown",
        }
        for number, (name, state) in enumerate(expected.items(), 256):
            with self.subTest(name=name):
                _order, document = self.sell(request_id=f"{number:08x}")
                self.relay(document, {"error": {"name": name, "message": f"{name} happened"}})
                self.assertEqual(document.state, state)
                self.assertIn(f"{name} happened", document.last_error)

    def test_another_cashiers_document_is_refused(self):
        _order, document = self.sell()
        with self.assertRaises(AccessError):
            self.relay(document, self.answer(document, "done"), user=self.cashier2)
        self.assertEqual(document.state, "to_send")
        self.assertFalse(
            self.env["scs.fiscal.document"]
            .with_user(self.cashier2)
            .scs_relay_pending(self.pos_config.id)
        )
        # a manager relays the desk's documents for anyone
        self.relay(document, self.answer(document, "done"), user=self.manager)
        self.assertEqual(document.state, "done")

    def test_unreadable_answers_are_refused(self):
        _order, document = self.sell()
        other = dict(self.answer(document, "done"), external_id="scs-other-sale-1")
        no_sign = self.answer(document, "done")
        no_sign["fiscal"] = dict(FISCAL, fiscal_sign="")
        for answer in (other, no_sign, dict(self.answer(document, "done"), status="printed"), []):
            with self.assertRaises(UserError), self.env.cr.savepoint():
                self.relay(document, answer)
        self.assertEqual((document.state, document.attempts), ("to_send", 0))

    def test_refund_receipt_names_the_refund_request(self):
        order, document = self.sell()
        self.relay(document, self.answer(document, "done"))
        card = order.payment_ids.filtered(lambda p: p.payment_method_id == self.pm_terminal)
        refund = self.sync(
            self.refund_payload(
                [(order.lines, 1)],
                payments=[
                    self.payment_vals(
                        self.pm_terminal, -1000.0, scs_terminal_request_id="1b2c3d4e",
                        scs_refunded_payment_id=card.id,
                    ),
                    self.payment_vals(self.pm_cash, -220.0),
                ],
            )
        )  # fmt: skip
        refund_doc = refund.scs_fiscal_document_ids
        self.assertEqual(refund_doc.kind, "refund")
        self.assertEqual(refund_doc._scs_relay_item()["params"]["txns"], ["1b2c3d4e"])

    def test_a_terminal_request_is_one_payment(self):
        self.sell(request_id="0a1b2c3d")
        payload = self.order_payload(
            [(self.seat, 1220.0, 1)],
            payments=[
                self.payment_vals(self.pm_terminal, 1220.0, scs_terminal_request_id="0a1b2c3d")
            ],
        )
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.sync(payload)
        # another method may carry the same id: its terminal counts its own requests
        order = self.sync(
            self.order_payload(
                [(self.seat, 1220.0, 1)],
                payments=[
                    self.payment_vals(self.pm_card, 1220.0, scs_terminal_request_id="0a1b2c3d")
                ],
            )
        )
        self.assertEqual(order.state, "paid")
        with self.assertRaisesRegex(ValidationError, "8 lower-case hex"), self.env.cr.savepoint():
            self.sell(request_id="0A1B2C3D")

    def test_terminal_payment_is_known_by_its_rrn(self):
        # some cards are approved without an authorisation code: the terminal's RRN suffices
        order = self.sync(
            self.order_payload(
                [(self.seat, 1220.0, 1)],
                payments=[
                    self.payment_vals(
                        self.pm_terminal, 1220.0, scs_terminal_request_id="00c0ffee",
                        scs_auth_code=False,
                    )
                ],
            )
        )  # fmt: skip
        self.assertEqual(order.state, "paid")
        with self.assertRaisesRegex(UserError, "RRN and the authorisation code"):
            self.sync(
                self.order_payload(
                    [(self.seat, 1220.0, 1)],
                    payments=[self.payment_vals(self.pm_card, 1220.0, scs_auth_code=False)],
                )
            )

    def test_backlog_and_cash_moves(self):
        _order, document = self.sell()
        session = self.pos_config.current_session_id
        session.try_cash_in_out("in", 5000.0, "Change fund", {"translatedType": "in"})
        Document = self.env["scs.fiscal.document"].with_user(self.cashier)
        items = Document.scs_relay_pending(self.pos_config.id)
        self.assertEqual([item["kind"] for item in items], ["sale", "cash_in"])
        cash = items[1]
        self.assertEqual(cash["route"], "/scs/fiscal/cash_in")
        self.assertEqual(cash["params"]["amount"], 500000)
        cash_doc = Document.browse(cash["document_id"])
        answer = dict(self.answer(cash_doc, "done"), fiscal={})
        self.assertEqual(Document.scs_relay_result(cash_doc.id, answer)["state"], "done")
        # a document the register just refused waits for its back-off
        self.relay(document, self.answer(document, "retry", error_code=0x6B))
        self.assertFalse(Document.scs_relay_pending(self.pos_config.id))

    def test_a_new_shift_closes_the_one_before(self):
        _order, first = self.sell(request_id="0000000a")
        self.relay(first, self.answer(first, "done"))
        _order, second = self.sell(request_id="0000000b")
        answer = self.answer(second, "done")
        answer["fiscal"] = dict(FISCAL, document_number=9, shift_number=4)
        self.relay(second, answer)
        self.assertEqual(first.shift_id.state, "closed")
        self.assertEqual(self.register.current_shift_id, second.shift_id)

    def test_the_session_closing_z_report_closes_the_shift(self):
        _order, document = self.sell()
        self.relay(document, self.answer(document, "done"))
        shift = document.shift_id
        self.assertEqual(shift.state, "open")
        Register = self.env["scs.fiscal.register"]
        z_report = {
            "status": "done",
            "fiscal": {"fn_number": FISCAL["fn_number"], "document_number": 8, "checks": 1,
                       "shift_number": 3},
            "error_code": None,
            "error_text": "",
        }  # fmt: skip
        # another cashier does not close this session's shift
        with self.assertRaises(AccessError):
            Register.with_user(self.cashier2).scs_relay_z_report(self.pos_config.id, z_report)
        refused = dict(z_report, status="retry", error_text="no paper")
        answer = Register.with_user(self.cashier).scs_relay_z_report(self.pos_config.id, refused)
        self.assertEqual(answer, {"closed": False, "error": "no paper"})
        self.assertEqual(shift.state, "open")
        answer = Register.with_user(self.cashier).scs_relay_z_report(self.pos_config.id, z_report)
        self.assertEqual(answer, {"closed": True, "shifts": [3]})
        self.assertEqual((shift.state, shift.closed_by), ("closed", self.cashier))
        self.assertEqual(shift.z_report["document_number"], 8)
        # told twice: nothing more to close
        again = Register.with_user(self.cashier).scs_relay_z_report(self.pos_config.id, z_report)
        self.assertEqual(again, {"closed": False, "shifts": []})

    def test_terminal_of_the_proxy_needs_the_local_register(self):
        with self.assertRaisesRegex(ValidationError, "local fiscal register"):
            self.pos_config.scs_fiscal_register_id = False
        desk = self.env["pos.config"].create(
            {
                "name": "TST desk 2",
                "company_id": self.company.id,
                "scs_office_id": self.office.id,
                "journal_id": self.pos_journal.id,
                "invoice_journal_id": self.company_data["default_journal_sale"].id,
                "payment_method_ids": [Command.set(self.pm_card.ids)],
            }
        )
        with self.assertRaisesRegex(ValidationError, "local fiscal register"):
            desk.payment_method_ids = [Command.link(self.pm_terminal.id)]
