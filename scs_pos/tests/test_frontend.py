# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from .common import ScsPosCommon


@tagged("post_install", "-at_install")
class TestFrontend(ScsPosCommon, HttpCase):
    def test_cashier_sells_with_split_tender(self):
        order = self.run_pos_tour("scs_pos_sale_cash_card")
        self.assertEqual(len(order), 1)
        self.assertEqual(order.state, "paid")
        self.assertEqual(order.scs_office_id, self.office)
        self.assertEqual(order.user_id, self.cashier)
        self.assertEqual(order.amount_total, 2110.0)
        self.assertEqual(order.amount_tax, 220.0)
        self.assertEqual(
            sorted(order.payment_ids.mapped(lambda p: (p.payment_method_id.name, p.amount))),
            [("Card TST", 1000.0), ("Cash TST", 1110.0)],
        )
        self.assertEqual(
            order.lines.filtered(
                lambda line: line.product_id == self.insurance
            ).product_id.scs_supplier_id,
            self.supplier,
        )
