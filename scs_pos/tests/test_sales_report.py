# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ScsPosCommon


@tagged("post_install", "-at_install")
class TestSalesReport(ScsPosCommon):
    def _sync(self, lines):
        payload = self.order_payload([(product, price, 1) for product, price in lines])
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
