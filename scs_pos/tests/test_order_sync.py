# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import uuid

from psycopg2 import IntegrityError

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ScsPosCommon


@tagged("post_install", "-at_install")
class TestOrderSync(ScsPosCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pos_config.with_user(cls.cashier).open_ui()
        cls.session = cls.pos_config.current_session_id

    def _order_payload(self, order_uuid):
        line_total = 1220.0
        return {
            "amount_paid": line_total,
            "amount_return": 0,
            "amount_tax": 220.0,
            "amount_total": line_total,
            "date_order": fields.Datetime.to_string(fields.Datetime.now()),
            "fiscal_position_id": False,
            "pricelist_id": self.pos_config.pricelist_id.id,
            "name": f"Order {order_uuid}",
            "last_order_preparation_change": "{}",
            "lines": [
                (
                    0,
                    0,
                    {
                        "product_id": self.seat.id,
                        "qty": 1,
                        "price_unit": line_total,
                        "price_subtotal": 1000.0,
                        "price_subtotal_incl": line_total,
                        "discount": 0,
                        "tax_ids": [(6, 0, self.vat22.ids)],
                        "pack_lot_ids": [],
                    },
                )
            ],
            "partner_id": False,
            "session_id": self.session.id,
            "sequence_number": 1,
            "payment_ids": [
                (
                    0,
                    0,
                    {
                        "amount": line_total,
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

    def test_replayed_sync_makes_one_order(self):
        order_uuid = str(uuid.uuid4())
        PosOrder = self.env["pos.order"].with_user(self.cashier)
        first = PosOrder.sync_from_ui([self._order_payload(order_uuid)])
        second = PosOrder.sync_from_ui([self._order_payload(order_uuid)])
        orders = self.env["pos.order"].search([("uuid", "=", order_uuid)])
        self.assertEqual(len(orders), 1)
        self.assertEqual(first["pos.order"][0]["id"], second["pos.order"][0]["id"])
        self.assertEqual(orders.state, "paid")
        self.assertEqual(orders.amount_total, 1220.0)
        self.assertEqual(orders.scs_office_id, self.office)
        self.assertEqual(self.session.scs_office_id, self.office)

    @mute_logger("odoo.sql_db")
    def test_database_refuses_a_twin_order(self):
        order_uuid = str(uuid.uuid4())
        self.env["pos.order"].with_user(self.cashier).sync_from_ui(
            [self._order_payload(order_uuid)]
        )
        order = self.env["pos.order"].search([("uuid", "=", order_uuid)])
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            order.copy({"uuid": order_uuid})
