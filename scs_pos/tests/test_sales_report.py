# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import uuid

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ScsPosCommon


@tagged("post_install", "-at_install")
class TestSalesReport(ScsPosCommon):
    def _sync(self, lines):
        order_uuid = str(uuid.uuid4())
        total = sum(price for _product, price in lines)
        payload = {
            "amount_paid": total,
            "amount_return": 0,
            "amount_tax": 0,
            "amount_total": total,
            "date_order": fields.Datetime.to_string(fields.Datetime.now()),
            "fiscal_position_id": False,
            "pricelist_id": self.pos_config.pricelist_id.id,
            "name": f"Order {order_uuid}",
            "lines": [
                (
                    0,
                    0,
                    {
                        "product_id": product.id,
                        "qty": 1,
                        "price_unit": price,
                        "price_subtotal": price,
                        "price_subtotal_incl": price,
                        "discount": 0,
                        "tax_ids": [(6, 0, [])],
                        "pack_lot_ids": [],
                    },
                )
                for product, price in lines
            ],
            "session_id": self.pos_config.current_session_id.id,
            "sequence_number": 1,
            "payment_ids": [
                (
                    0,
                    0,
                    {
                        "amount": total,
                        "name": fields.Datetime.now(),
                        "payment_method_id": self.pm_cash.id,
                    },
                )
            ],
            "uuid": order_uuid,
            "user_id": self.cashier.id,
            "to_invoice": False,
            "state": "paid",
        }
        self.env["pos.order"].with_user(self.cashier).sync_from_ui([payload])

    def test_sales_by_kind_supplier_office_employee(self):
        self.pos_config.with_user(self.cashier).open_ui()
        self._sync([(self.seat, 1220.0), (self.insurance, 890.0)])
        self._sync([(self.insurance, 890.0)])
        Report = self.env["scs.sales.report"].with_user(self.manager)
        groups = Report.read_group(
            [("office_id", "=", self.office.id)],
            ["amount_total:sum", "own_total:sum", "agent_total:sum"],
            ["service_kind", "supplier_id", "user_id"],
            lazy=False,
        )
        rows = {
            (g["service_kind"], g["supplier_id"] and g["supplier_id"][0], g["user_id"][0]): (
                g["amount_total"],
                g["own_total"],
                g["agent_total"],
            )
            for g in groups
        }
        self.assertEqual(
            rows,
            {
                ("own", False, self.cashier.id): (1220.0, 1220.0, 0.0),
                ("agent", self.supplier.id, self.cashier.id): (1780.0, 0.0, 1780.0),
            },
        )

    def test_cashier_has_no_access(self):
        with self.assertRaises(AccessError):
            self.env["scs.sales.report"].with_user(self.cashier).search([])
