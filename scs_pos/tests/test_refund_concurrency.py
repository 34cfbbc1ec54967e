# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Two cashiers refund the same line at the same moment, each in their own transaction."""

from odoo import SUPERUSER_ID, Command, api
from odoo.tests import tagged
from odoo.tools import mute_logger

from .parallel import ParallelCase


@tagged("post_install", "-at_install")
class TestConcurrentRefunds(ParallelCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with cls.registry.cursor() as cr:
            env, company, cash = cls.scs_company(api.Environment(cr, SUPERUSER_ID, {}), "cc")
            config = env["pos.config"].create(
                {
                    "name": "Concurrency desk",
                    "company_id": company.id,
                    "payment_method_ids": [Command.set(cash.ids)],
                }
            )
            product = env["product.product"].create(
                {"name": "Seat (concurrency)", "type": "service", "list_price": 1000.0}
            )
            users = cls.scs_cashiers(env, company, "cc")
            env["scs.role.limit"].create(
                {
                    "company_id": company.id,
                    "group_id": env.ref("scs_pos.group_scs_cashier").id,
                    "no_refund_limit": True,
                }
            )
            config.with_user(users[0]).open_ui()
            cls.ids = {
                "session": config.current_session_id.id,
                "cash": cash.id,
                "product": product.id,
                "users": [user.id for user in users],
            }
            order = cls._payload(1000.0, 1, [])
            result = env["pos.order"].with_user(users[0]).sync_from_ui([order])
            cls.line_id = env["pos.order"].browse(result["pos.order"][0]["id"]).lines.id

    @classmethod
    def _payload(cls, price, qty, refund_of):
        total = price * qty
        line = {
            "product_id": cls.ids["product"],
            "qty": qty,
            "price_unit": price,
            "price_subtotal": total,
            "price_subtotal_incl": total,
        }
        if refund_of:
            line["refunded_orderline_id"] = refund_of[0]
        payment = {"amount": total, "payment_method_id": cls.ids["cash"]}
        return cls.scs_payload(cls.ids["session"], cls.ids["users"][0], [line], [payment])

    @mute_logger("odoo.sql_db", "odoo.service.model")
    def test_two_cashiers_refund_the_same_line(self):
        # each cashier's own refund order (its own uuid) of the same line
        results = self.sync_in_parallel(
            [(user_id, self._payload(1000.0, -1, [self.line_id])) for user_id in self.ids["users"]],
            ok="refunded",
        )
        self.assertEqual(sorted(results)[-1], "refunded")
        self.assertIn("left to refund", sorted(results)[0])
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            line = env["pos.order.line"].browse(self.line_id)
            # the refused refund left nothing behind: one refund order, one refunded unit
            self.assertEqual(len(line.refund_orderline_ids), 1)
            self.assertEqual(line.refund_orderline_ids.order_id.state, "paid")
            self.assertEqual(line.refunded_qty, 1)
