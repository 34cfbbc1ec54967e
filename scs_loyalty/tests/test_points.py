# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ScsLoyaltyCommon


@tagged("post_install", "-at_install")
class TestPoints(ScsLoyaltyCommon):
    def setUp(self):
        super().setUp()
        self.session = self.open_session()

    def buy(self, lines, partner=None, payments=None):
        payload = self.order_payload(lines, payments=payments)
        payload["partner_id"] = (partner or self.customer).id
        return self.sync(payload), payload

    def account(self, partner=None):
        return self.env["loyalty.card"]._scs_points_account(
            partner or self.customer, self.points, create=False
        )

    def pay_with_points(self, amount, total_lines=None):
        lines = total_lines or [(self.seat, 1220.0, 1)]
        total = sum(price * qty for _p, price, qty in lines)
        payments = [self.payment_vals(self.pm_points, amount)]
        if total > amount:
            payments.append(self.payment_vals(self.pm_cash, round(total - amount, 2)))
        return self.buy(lines, payments=payments)

    def test_accrual_per_line_with_exclusions_once(self):
        order, payload = self.buy(
            [
                (self.seat, 1220.0, 1),
                (self.insurance, 890.0, 1),  # agent service: the principal's money
                (self.seat, 1220.0, 1, {"discount": 5}),
            ]
        )
        self.assertEqual(order.lines.mapped("scs_points"), [61, 0, 57])
        account = self.account()
        self.assertEqual(account.scs_balance, 118.0)
        self.assertEqual(account.partner_id.scs_points_balance, 118.0)
        self.assertEqual(self.customer.scs_loyalty_code, account.code)
        self.env["pos.order"].with_user(self.cashier).sync_from_ui([payload])
        order._scs_loyalty_process()
        self.assertEqual(account.scs_balance, 118.0)
        self.assertEqual(len(account.scs_entry_ids), 1)

    def test_no_customer_no_points(self):
        order = self.sync(self.order_payload([(self.seat, 1220.0, 1)]))
        self.assertFalse(order.scs_loyalty_entry_ids)

    @mute_logger("odoo.addons.point_of_sale.models.pos_order")
    def test_redemption_caps(self):
        self.buy([(self.seat, 1220.0, 1)])  # 61 points, under the minimum of 100
        with self.assertRaisesRegex(UserError, "at most 0 points"), self.env.cr.savepoint():
            self.pay_with_points(50.0)
        self.buy([(self.seat, 1220.0, 4)])  # +244 = 305
        # half of 1220 is 610, the balance is 305: 305 at most
        with self.assertRaisesRegex(UserError, "at most 305 points"), self.env.cr.savepoint():
            self.pay_with_points(400.0)
        with self.assertRaisesRegex(UserError, "at most 100 points"), self.env.cr.savepoint():
            self.pay_with_points(150.0, [(self.seat, 200.0, 1)])
        order, _payload = self.pay_with_points(300.0)
        account = self.account()
        # the order paid 920 in cash: it earns points on its lines as well
        self.assertEqual(account.scs_balance, 305 - 300 + 61)
        self.assertEqual(order.payment_ids.scs_loyalty_card_id, account)
        lookup = (
            self.env["loyalty.card"]
            .with_user(self.cashier)
            .scs_pos_lookup(
                self.pos_config.id,
                self.pm_points.id,
                partner_id=self.customer.id,
                order_total=1220.0,
            )
        )
        self.assertEqual((lookup["points"], lookup["spendable"]), (0, 0.0))

    def test_fifo_spending_and_expiry(self):
        first, _p = self.buy([(self.seat, 1220.0, 2)])  # 122
        second, _p = self.buy([(self.seat, 1220.0, 2)])  # 122
        lots = self.account().scs_entry_ids.sorted("id")
        # the later accrual is dated earlier: first-in first-out goes by the day
        older = fields.Date.today() - timedelta(days=30)
        self.env.cr.execute(
            "UPDATE scs_loyalty_entry SET day = %s WHERE id = %s", [older, lots[1].id]
        )
        lots.invalidate_recordset()
        self.pay_with_points(100.0, [(self.seat, 1220.0, 1)])
        self.assertEqual((lots[0].remaining, lots[1].remaining), (122.0, 22.0))
        self.env.cr.execute(
            "UPDATE scs_loyalty_entry SET expires = %s WHERE id = %s",
            [fields.Date.today() - timedelta(days=2), lots[1].id],
        )
        lots.invalidate_recordset()
        self.env["scs.loyalty.entry"]._cron_scs_expire()
        account = self.account()
        expiry = account.scs_entry_ids.filtered(lambda e: e.kind == "expiry")
        self.assertEqual(expiry.amount, -22.0)
        self.assertEqual(expiry.take_ids.lot_id, lots[1])
        self.assertEqual(account.scs_balance, 244.0 - 100 + 61 - 22)
        self.assertEqual(
            expiry.move_id.line_ids.filtered(lambda line: line.account_id == self.acc_points).debit,
            22.0,
        )

    def test_reversal_after_partial_spend_goes_negative(self):
        sale, _p = self.buy([(self.seat, 1220.0, 3)])  # 183
        self.pay_with_points(150.0, [(self.seat, 1220.0, 1)])  # -150 +61
        account = self.account()
        self.assertEqual(account.scs_balance, 94.0)
        first = self.refund_payload(
            [(sale.lines, 2)], payments=[self.payment_vals(self.pm_cash, -2440.0)]
        )
        first["partner_id"] = self.customer.id
        self.sync(first, user=self.manager)
        self.assertEqual(account.scs_balance, 94.0 - 122)
        second = self.refund_payload(
            [(sale.lines, 1)], payments=[self.payment_vals(self.pm_cash, -1220.0)]
        )
        second["partner_id"] = self.customer.id
        self.sync(second, user=self.manager)
        # partial reversals add up to what the line earned
        self.assertEqual(account.scs_balance, 94.0 - 183)
        self.assertEqual(sum(sale.lines.refund_orderline_ids.mapped("scs_points")), -183)

    @mute_logger("odoo.addons.point_of_sale.models.pos_order")
    def test_spent_points_kept_back_from_the_refund(self):
        self.points.scs_refund_shortfall = "from_refund"
        sale, _p = self.buy([(self.seat, 1220.0, 3)])  # 183
        self.pay_with_points(150.0, [(self.seat, 1220.0, 1)])  # balance 94
        full = self.refund_payload(
            [(sale.lines, 2)], payments=[self.payment_vals(self.pm_cash, -2440.0)]
        )
        full["partner_id"] = self.customer.id
        with self.assertRaisesRegex(UserError, "28.00 of their value"), self.env.cr.savepoint():
            self.sync(full, user=self.manager)
        # 122 points go back: 94 from the balance, 28 (28.00 roubles) from the refund
        kept = self.order_payload(
            [(sale.lines.product_id, 1206.0, -2, {"refunded_orderline_id": sale.lines.id})],
            payments=[self.payment_vals(self.pm_cash, -2412.0)],
        )
        kept["partner_id"] = self.customer.id
        self.sync(kept, user=self.manager)
        self.assertEqual(self.account().scs_balance, 0.0)

    def test_points_liability_at_session_close(self):
        self.buy([(self.seat, 1220.0, 4)])  # 244
        self.pay_with_points(200.0)  # -200, +61
        self.session.with_user(self.manager).action_pos_session_closing_control()
        self.assertEqual(self.session.state, "closed")
        # accrued 305 at 1 rouble, 200 redeemed through the tender's outstanding account
        self.assertEqual(self.balance_of(self.acc_selling), 305.0)
        self.assertEqual(self.balance_of(self.acc_points), -105.0)

    def test_merge_customers_merges_their_ledgers(self):
        twin = self.env["res.partner"].create({"name": "Ivanova A."})
        self.buy([(self.seat, 1220.0, 2)])  # 122 for the customer
        self.buy([(self.seat, 1220.0, 1)], partner=twin)  # 61 for the twin
        _order, certificate = self.sell_certificate(partner=twin)
        twin_account = self.account(twin)
        wizard = self.env["base.partner.merge.automatic.wizard"].create({})
        wizard._merge((self.customer | twin).ids, self.customer)
        self.assertFalse(twin.exists())
        account = self.account()
        self.assertEqual(account.scs_balance, 183.0)
        self.assertFalse(twin_account.active)
        self.assertEqual(twin_account.scs_balance, 0.0)
        moved = account.scs_entry_ids.filtered(lambda e: e.kind == "merge_in")
        self.assertEqual(
            moved.expires,
            twin_account.scs_entry_ids.filtered(lambda e: e.kind == "accrual").expires,
        )
        self.assertEqual(certificate.partner_id, self.customer)
        self.assertEqual(self.customer.scs_points_balance, 183.0)
        self.assertEqual(self.customer.scs_money_balance, 5000.0)
