# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import uuid

from psycopg2 import IntegrityError

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
        return self.order_payload([(self.seat, 1220.0, 1)], order_uuid=order_uuid)

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
