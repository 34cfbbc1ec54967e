# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.scs_loyalty.engine import codes

from .common import ScsLoyaltyCommon


@tagged("post_install", "-at_install")
class TestCertificates(ScsLoyaltyCommon):
    def setUp(self):
        super().setUp()
        self.session = self.open_session()

    def redeem(self, card):
        """A seat (1220) paid with ``card``."""
        return self.sync(
            self.order_payload(
                [(self.seat, 1220.0, 1)],
                payments=[self.loyalty_payment(self.pm_certificate, 1220.0, card)],
            )
        )

    def test_sale_issues_an_unguessable_certificate_once(self):
        payload = self.order_payload([(self.certificate_product, 5000.0, 2)])
        order = self.sync(payload)
        cards = order.lines.scs_certificate_ids
        self.assertEqual(len(cards), 2)
        for card in cards:
            self.assertTrue(codes.is_valid(card.code), card.code)
            self.assertEqual(len(card.code), 20)
            self.assertEqual(card.scs_balance, 5000.0)
            self.assertEqual(card.scs_state, "active")
            issue = card.scs_entry_ids
            self.assertEqual(issue.kind, "issue")
            # the advance's VAT at 22/122, per certificate
            self.assertEqual(issue.vat_amount, 901.64)
            self.assertEqual(issue.expires, issue.day + timedelta(days=365))
        self.assertNotEqual(cards[0].code, cards[1].code)
        # the POS retries a sync it got no answer to: nothing is issued twice
        self.env["pos.order"].with_user(self.cashier).sync_from_ui([payload])
        order._scs_loyalty_process()
        self.assertEqual(len(order.lines.scs_certificate_ids), 2)
        self.assertEqual(len(order.scs_loyalty_entry_ids), 2)
        receipt = self.env["pos.order"].with_user(self.cashier).scs_loyalty_receipt(order.ids)
        printed = receipt[str(order.id)]["certificates"]
        self.assertEqual(
            sorted(c["code"] for c in printed), sorted(cards.mapped("scs_code_display"))
        )

    def test_redemption_is_a_tender_with_partial_use(self):
        _order, card = self.sell_certificate()
        payload = self.order_payload(
            [(self.seat, 1220.0, 1)],
            payments=[self.loyalty_payment(self.pm_certificate, 1220.0, card)],
        )
        order = self.sync(payload)
        self.assertEqual(order.state, "paid")
        self.assertEqual(card.scs_balance, 3780.0)
        redemption = order.scs_loyalty_entry_ids
        self.assertEqual((redemption.kind, redemption.amount), ("redemption", -1220.0))
        self.assertEqual(redemption.take_ids.vat_amount, 220.0)
        # a re-sync changes nothing
        order._scs_loyalty_process()
        self.assertEqual(card.scs_balance, 3780.0)

    @mute_logger("odoo.addons.point_of_sale.models.pos_order")
    def test_overspending_refuses_the_whole_sync(self):
        _order, card = self.sell_certificate(amount=1000.0)
        payload = self.order_payload(
            [(self.seat, 1220.0, 1)],
            payments=[self.loyalty_payment(self.pm_certificate, 1220.0, card)],
        )
        with self.assertRaisesRegex(UserError, "left to spend"), self.env.cr.savepoint():
            self.sync(payload)
        self.assertFalse(self.env["pos.order"].search([("uuid", "=", payload["uuid"])]))
        self.assertEqual(card.scs_balance, 1000.0)

    @mute_logger("odoo.addons.point_of_sale.models.pos_order")
    def test_payment_must_name_its_certificate(self):
        payload = self.order_payload(
            [(self.seat, 1220.0, 1)],
            payments=[self.loyalty_payment(self.pm_certificate, 1220.0)],
        )
        with self.assertRaisesRegex(UserError, "names no certificate"):
            self.sync(payload)

    def test_refund_of_a_redemption_gives_the_balance_back(self):
        _order, card = self.sell_certificate()
        order = self.sync(
            self.order_payload(
                [(self.seat, 1220.0, 2)],
                payments=[
                    self.loyalty_payment(self.pm_certificate, 2000.0, card),
                    self.payment_vals(self.pm_card, 440.0),
                ],
            )
        )
        self.assertEqual(card.scs_balance, 3000.0)
        seat_line = order.lines
        refund = self.sync(
            self.refund_payload(
                [(seat_line, 1)],
                payments=[self.loyalty_payment(self.pm_certificate, -1220.0)],
            ),
            user=self.manager,
        )
        self.assertEqual(refund.state, "paid")
        self.assertEqual(card.scs_balance, 4220.0)
        recredit = refund.scs_loyalty_entry_ids
        self.assertEqual(recredit.kind, "recredit")
        self.assertEqual(recredit.source_entry_id.payment_id.pos_order_id, order)
        self.assertEqual(refund.payment_ids.scs_loyalty_card_id, card)

    def test_unused_certificate_can_be_refunded_a_used_one_cannot(self):
        order, card = self.sell_certificate()
        self.redeem(card)
        payload = self.refund_payload(
            [(order.lines, 1)], payments=[self.payment_vals(self.pm_cash, -5000.0)]
        )
        with (
            mute_logger("odoo.addons.point_of_sale.models.pos_order"),
            self.assertRaisesRegex(UserError, "cannot be refunded"),
        ):
            self.sync(payload, user=self.manager)
        order2, card2 = self.sell_certificate()
        refund = self.sync(
            self.refund_payload(
                [(order2.lines, 1)], payments=[self.payment_vals(self.pm_cash, -5000.0)]
            ),
            user=self.manager,
        )
        self.assertEqual(card2.scs_state, "void")
        self.assertEqual(card2.scs_balance, 0.0)
        self.assertEqual(refund.scs_loyalty_entry_ids.kind, "void")

    def test_liability_and_vat_offset_at_session_close(self):
        _order, card = self.sell_certificate()
        self.redeem(card)
        self.session.with_user(self.manager).action_pos_session_closing_control()
        self.assertEqual(self.session.state, "closed")
        # 62.02 carries the certificate net of its advance VAT, less what it paid for
        # net of the VAT deducted back: exactly the remaining 3780 net of its VAT
        self.assertEqual(self.balance_of(self.acc_advances), -(3780.0 - 681.64))
        entries = card.scs_entry_ids.filtered(lambda e: e.kind == "redemption")
        self.assertTrue(entries.move_id)
        vat_line = entries.move_id.line_ids.filtered(lambda line: line.account_id == self.acc_vat)
        self.assertEqual(vat_line.debit, 220.0)

    def test_expiry_job_writes_the_rest_off_to_other_income(self):
        _order, card = self.sell_certificate()
        self.redeem(card)
        self.session.with_user(self.manager).action_pos_session_closing_control()
        lot = card.scs_entry_ids.filtered(lambda e: e.kind == "issue")
        self.env.cr.execute(
            "UPDATE scs_loyalty_entry SET expires = %s WHERE id = %s",
            [fields.Date.today() - timedelta(days=2), lot.id],
        )
        lot.invalidate_recordset()
        Entry = self.env["scs.loyalty.entry"]
        Entry._cron_scs_expire()
        self.assertEqual(card.scs_state, "expired")
        self.assertEqual(card.scs_balance, 0.0)
        expiry = card.scs_entry_ids.filtered(lambda e: e.kind == "expiry")
        self.assertEqual(expiry.amount, -3780.0)
        self.assertEqual(self.balance_of(self.acc_advances), 0.0)
        self.assertEqual(self.balance_of(self.acc_other_income), -(3780.0 - 681.64))
        Entry._cron_scs_expire()
        self.assertEqual(len(card.scs_entry_ids.filtered(lambda e: e.kind == "expiry")), 1)

    def test_cashier_cannot_touch_balances(self):
        _order, card = self.sell_certificate()
        as_cashier = card.with_user(self.cashier)
        with self.assertRaisesRegex(UserError, "only through its ledger"):
            as_cashier.write({"points": 100000})
        with self.assertRaises(UserError):
            self.env["loyalty.card"].with_user(self.cashier).create(
                {"program_id": self.certificates.id}
            )
        with self.assertRaises(UserError):
            card.scs_entry_ids.with_user(self.cashier).write({"amount": 1})
        with self.assertRaises(UserError):
            card.scs_entry_ids.with_user(self.cashier).unlink()
        found = (
            self.env["loyalty.card"]
            .with_user(self.cashier)
            .scs_pos_lookup(self.pos_config.id, self.pm_certificate.id, code=card.code.lower())
        )
        self.assertEqual((found["card_id"], found["balance"]), (card.id, 5000.0))
        with self.assertRaisesRegex(UserError, "wrong check character|not a certificate"):
            self.env["loyalty.card"].with_user(self.cashier).scs_pos_lookup(
                self.pos_config.id,
                self.pm_certificate.id,
                code=card.code[:-1] + ("0" if card.code[-1] != "0" else "1"),
            )

    def test_back_office_sale_issues_once_paid(self):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "invoice_line_ids": [
                    fields.Command.create(
                        {
                            "product_id": self.certificate_product.id,
                            "quantity": 3,
                            "price_unit": 1000.0,
                            "tax_ids": [fields.Command.set(self.vat22.ids)],
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        self.assertEqual(invoice.scs_certificate_count, 0)
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"journal_id": self.company_data["default_journal_bank"].id})._create_payments()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        cards = self.env["loyalty.card"].search([("scs_invoice_line_id.move_id", "=", invoice.id)])
        self.assertEqual(len(cards), 3)
        self.assertEqual(set(cards.mapped("scs_balance")), {1000.0})
        self.assertEqual(set(cards.mapped("partner_id")), {self.customer})
        # the advance VAT (540.98) spread to the kopeck over the certificates
        self.assertEqual(sorted(cards.scs_entry_ids.mapped("vat_amount")), [180.32, 180.33, 180.33])
        invoice._scs_issue_certificates()
        invoice.invalidate_recordset(["scs_certificate_count"])
        self.assertEqual(invoice.scs_certificate_count, 3)
