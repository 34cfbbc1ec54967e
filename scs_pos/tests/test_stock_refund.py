# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The corporate shop's goods sold at the desk leave the stock, and come back into it
when the sale is refunded: in real time and at the session's close."""

from odoo import Command
from odoo.tests import tagged

from .common import ScsPosCommon


@tagged("post_install", "-at_install")
class TestStockRefund(ScsPosCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mug = cls.env["product.product"].create(
            {
                "name": "Branded mug",
                "default_code": "SHOP-MUG",
                "type": "consu",
                "is_storable": True,
                "list_price": 450.0,
                "available_in_pos": True,
                "taxes_id": [Command.set(cls.vat22.ids)],
                "scs_service_kind": "own",
                "scs_ffd_item_subject": "1",
            }
        )
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock = cls.warehouse.lot_stock_id
        cls.env["stock.quant"]._update_available_quantity(cls.mug, cls.stock, 10)

    def on_hand(self):
        return self.mug.with_context(location=self.stock.id).qty_available

    def sell_and_refund(self):
        self.pos_config.with_user(self.cashier).open_ui()
        order = self.sync(self.order_payload([(self.mug, 450.0, 3)]))
        refund = self.sync(
            self.refund_payload(
                [(order.lines, 2)], payments=[self.payment_vals(self.pm_cash, -900.0)]
            )
        )
        return order, refund

    def test_desk_ships_from_the_company_warehouse(self):
        self.assertEqual(self.pos_config.picking_type_id.warehouse_id, self.warehouse)
        self.assertEqual(self.pos_config.picking_type_id.default_location_src_id, self.stock)

    def test_refund_restocks_in_real_time(self):
        self.company.point_of_sale_update_stock_quantities = "real"
        order, refund = self.sell_and_refund()
        self.assertEqual(order.picking_ids.state, "done")
        self.assertEqual(order.picking_ids.location_id, self.stock)
        self.assertEqual(refund.picking_ids.state, "done")
        self.assertEqual(refund.picking_ids.location_dest_id, self.stock)
        self.assertEqual(refund.picking_ids.move_ids.quantity, 2)
        self.assertEqual(self.on_hand(), 10 - 3 + 2)

    def test_refund_restocks_at_session_close(self):
        self.company.point_of_sale_update_stock_quantities = "closing"
        order, refund = self.sell_and_refund()
        self.assertFalse(order.picking_ids | refund.picking_ids)
        self.assertEqual(self.on_hand(), 10)
        session = order.session_id.with_user(self.manager)
        session.post_closing_cash_details(session.cash_register_balance_end)
        result = session.close_session_from_ui()
        self.assertTrue(result.get("successful", True), result)
        self.assertEqual(session.state, "closed")
        self.assertEqual(set(session.picking_ids.mapped("state")), {"done"})
        self.assertEqual(self.on_hand(), 10 - 3 + 2)
