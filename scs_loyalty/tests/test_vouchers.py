# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ScsLoyaltyCommon


@tagged("post_install", "-at_install")
class TestVouchers(ScsLoyaltyCommon):
    def setUp(self):
        super().setUp()
        self.session = self.open_session()

    def issue(self, amount=3000.0, partner=None, user=None):
        wizard = (
            self.env["scs.loyalty.voucher.issue"]
            .with_user(user or self.manager)
            .create(
                {
                    "program_id": self.vouchers.id,
                    "partner_id": (partner or self.customer).id,
                    "amount": amount,
                    "reason": "SU 1234 cancelled on 12.03",
                }
            )
        )
        action = wizard.action_issue()
        return self.env["loyalty.card"].browse(action["res_id"]), wizard

    def test_issue_books_the_liability_once(self):
        card, wizard = self.issue()
        self.assertEqual(
            (card.scs_kind, card.scs_balance, card.partner_id), ("voucher", 3000.0, self.customer)
        )
        self.assertEqual(card.scs_reason, "SU 1234 cancelled on 12.03")
        entry = card.scs_entry_ids
        self.assertEqual(entry.expires, fields.Date.context_today(wizard) + timedelta(days=365))
        self.assertEqual(self.balance_of(self.acc_vouchers), -3000.0)
        self.assertEqual(self.balance_of(self.acc_other_expense), 3000.0)
        # a double-submitted form issues nothing more
        with self.assertRaises(UserError), self.env.cr.savepoint():
            wizard.action_issue()
        self.assertEqual(self.env["loyalty.card"].search_count([("scs_kind", "=", "voucher")]), 1)

    def test_cashier_cannot_issue(self):
        with self.assertRaises(AccessError):
            self.issue(user=self.cashier)

    def test_bad_amounts_are_refused(self):
        for amount in (0.0, -10.0):
            with self.assertRaisesRegex(UserError, "amount in kopecks"), self.env.cr.savepoint():
                self.issue(amount=amount)

    def test_voucher_pays_for_its_passenger_only(self):
        card, _wizard = self.issue()
        payload = self.order_payload(
            [(self.seat, 1220.0, 1)],
            payments=[self.loyalty_payment(self.pm_voucher, 1220.0, scs_loyalty_code=card.code)],
        )
        payload["partner_id"] = self.other_customer.id
        with (
            mute_logger("odoo.addons.point_of_sale.models.pos_order"),
            self.assertRaisesRegex(UserError, "must be for that customer"),
            self.env.cr.savepoint(),
        ):
            self.sync(payload)
        payload["partner_id"] = self.customer.id
        order = self.sync(payload)
        self.assertEqual(order.payment_ids.scs_loyalty_card_id, card)
        self.assertEqual(card.scs_balance, 1780.0)

    @mute_logger("odoo.addons.point_of_sale.models.pos_order")
    def test_voucher_money_never_goes_back_as_cash(self):
        card, _wizard = self.issue()
        payload = self.order_payload(
            [(self.seat, 1220.0, 1)],
            payments=[self.loyalty_payment(self.pm_voucher, 1220.0, card)],
        )
        payload["partner_id"] = self.customer.id
        order = self.sync(payload)
        refund = self.refund_payload(
            [(order.lines, 1)], payments=[self.payment_vals(self.pm_cash, -1220.0)]
        )
        refund["partner_id"] = self.customer.id
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self.sync(refund, user=self.manager)
        self.assertEqual(card.scs_balance, 1780.0)
