# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from odoo.addons.scs_loyalty.engine import codes

from .common import ScsLoyaltyCommon

# the codes the tour types (scs_loyalty_tour.js): codes.generate(rng=random.Random(7))
# for the certificate, Random(8) for the customer's points card
CERTIFICATE = "M9S346Q3D25VT4F5V37K"
POINTS_CARD = "EQR8C258FDS1XZXRZCSY"


@tagged("post_install", "-at_install")
class TestLoyaltyFrontend(ScsLoyaltyCommon, HttpCase):
    def setUp(self):
        super().setUp()
        self.assertTrue(codes.is_valid(CERTIFICATE) and codes.is_valid(POINTS_CARD))
        self.pos_config.with_user(self.cashier).open_ui()
        self.certificate_sale, self.certificate = self.sell_certificate(amount=1000.0)
        # an earlier purchase opened the customer's points account: 122 points
        payload = self.order_payload([(self.seat, 1220.0, 2)])
        payload["partner_id"] = self.customer.id
        self.before = self.certificate_sale | self.sync(payload)
        self.account = self.env["loyalty.card"]._scs_points_account(
            self.customer, self.points, create=False
        )
        # codes are random: give both cards the ones the tour types (after the flush of
        # what the ORM holds, which would write the old ones back)
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            "UPDATE loyalty_card SET code=%s WHERE id=%s", [CERTIFICATE, self.certificate.id]
        )
        cr.execute("UPDATE loyalty_card SET code=%s WHERE id=%s", [POINTS_CARD, self.account.id])
        cr.execute(
            "UPDATE res_partner SET scs_loyalty_code=%s WHERE id=%s",
            [POINTS_CARD, self.customer.id],
        )
        self.env.invalidate_all()

    def test_certificate_pays_and_is_given_back(self):
        orders = self.run_pos_tour("scs_loyalty_certificate_tour") - self.before
        sale = orders.filtered(lambda o: o.amount_total == 1220.0)
        refund = orders.filtered(lambda o: o.amount_total < 0)
        sold = orders - sale - refund
        self.assertEqual((len(sale), len(refund), len(sold)), (1, 1, 1))
        self.assertEqual(sale.partner_id, self.customer)

        def tenders(order):
            return sorted(
                order.payment_ids.mapped(
                    lambda p: (p.payment_method_id.name, p.amount, p.scs_loyalty_card_id)
                )
            )

        card = self.env["loyalty.card"]
        self.assertEqual(
            tenders(sale),
            [("Card TST", 220.0, card), ("Certificate TST", 1000.0, self.certificate)],
        )
        self.assertEqual(
            tenders(refund),
            [("Card TST", -220.0, card), ("Certificate TST", -1000.0, self.certificate)],
        )
        for payment in refund.payment_ids:
            self.assertEqual(
                payment.scs_refunded_payment_id,
                sale.payment_ids.filtered(
                    lambda p, m=payment.payment_method_id: p.payment_method_id == m
                ),
            )
        # 1000 -> 0 -> 1000, entry by entry
        self.assertEqual(
            self.certificate.scs_entry_ids.sorted("id").mapped(
                lambda e: (e.kind, e.amount, e.balance, e.order_id)
            ),
            [
                ("issue", 1000.0, 1000.0, self.certificate_sale),
                ("redemption", -1000.0, 0.0, sale),
                ("recredit", 1000.0, 1000.0, refund),
            ],
        )
        self.assertEqual(
            (self.certificate.scs_balance, self.certificate.scs_state), (1000.0, "active")
        )
        # the sale's 61 points were taken back with its refund
        self.assertEqual(sale.scs_points_earned, 61)
        self.assertEqual(self.account.scs_balance, 122.0)
        # the certificate the cashier sold, printed on its receipt
        self.assertEqual(sold.lines.scs_certificate_ids.scs_balance, 5000.0)

    def test_points_pay_for_their_customer(self):
        order = self.run_pos_tour("scs_loyalty_points_tour") - self.before
        self.assertEqual(order.partner_id, self.customer)
        self.assertEqual(
            sorted(order.payment_ids.mapped(lambda p: (p.payment_method_id.name, p.amount))),
            [("Cash TST", 1098.0), ("Points TST", 122.0)],
        )
        self.assertEqual(
            self.account.scs_entry_ids.sorted("id").mapped(lambda e: (e.kind, e.amount)),
            [("accrual", 122.0), ("redemption", -122.0), ("accrual", 61.0)],
        )
        self.assertEqual(self.account.scs_balance, 61.0)
