# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Two cashiers refund the same line at the same moment, each in their own transaction.

The data is committed (parallel cursors cannot see a test's open transaction),
in a company of its own, in the throwaway test database.
"""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from unittest.mock import patch

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.tests import BaseCase, get_db_name, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestConcurrentRefunds(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env["res.company"].create(
                {
                    "name": f"SCS concurrency {uuid.uuid4().hex[:8]}",
                    "country_id": env.ref("base.ru").id,
                    "currency_id": env.ref("base.RUB").id,
                }
            )
            env["account.chart.template"].try_loading("ru_scs", company, install_demo=False)
            env = env(context={"allowed_company_ids": company.ids})
            Journal = env["account.journal"]
            cash = env["pos.payment.method"].create(
                {
                    "name": "Cash",
                    "company_id": company.id,
                    "journal_id": Journal.create(
                        {"name": "Cash", "code": "CCNC", "type": "cash", "company_id": company.id}
                    ).id,
                }
            )
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
            users = [
                new_test_user(
                    env,
                    login=f"cc.cashier{n}.{company.id}",
                    groups="base.group_user,scs_pos.group_scs_cashier",
                    company_id=company.id,
                    company_ids=[Command.set(company.ids)],
                )
                for n in (1, 2)
            ]
            env["scs.role.limit"].create(
                {
                    "company_id": company.id,
                    "group_id": env.ref("scs_pos.group_scs_cashier").id,
                    "no_refund_limit": True,
                }
            )
            config.with_user(users[0]).open_ui()
            session = config.current_session_id
            cls.ids = {
                "session": session.id,
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
            "discount": 0,
            "tax_ids": [],
            "pack_lot_ids": [],
        }
        if refund_of:
            line["refunded_orderline_id"] = refund_of[0]
        order_uuid = str(uuid.uuid4())
        return {
            "amount_paid": total,
            "amount_return": 0,
            "amount_tax": 0,
            "amount_total": total,
            "date_order": fields.Datetime.to_string(fields.Datetime.now()),
            "name": f"Order {order_uuid}",
            "lines": [(0, 0, line)],
            "session_id": cls.ids["session"],
            "sequence_number": 1,
            "payment_ids": [
                (0, 0, {"amount": total, "payment_method_id": cls.ids["cash"]}),
            ],
            "uuid": order_uuid,
            "user_id": cls.ids["users"][0],
            "state": "paid",
        }

    @mute_logger("odoo.sql_db", "odoo.service.model")
    def test_two_cashiers_refund_the_same_line(self):
        barrier = threading.Barrier(2)

        def refund(user_id):
            payload = self._payload(1000.0, -1, [self.line_id])
            try:
                # as an RPC: the error rolls the whole transaction back
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, user_id, {})
                    barrier.wait(timeout=10)
                    # a serialization failure is retried from scratch, as for an RPC
                    retrying(lambda: env["pos.order"].sync_from_ui([dict(payload)]), env)
            except UserError as err:
                return str(err)
            return "refunded"

        # the test runner holds the registry's lock while it runs the tests: the
        # cashiers' threads get a lock of their own to look the registry up
        with (
            patch.object(Registry, "_lock", threading.RLock()),
            ThreadPoolExecutor(max_workers=2) as pool,
        ):
            futures = [pool.submit(refund, user_id) for user_id in self.ids["users"]]
            results = [future.result(timeout=120) for future in futures]

        self.assertEqual(sorted(results)[-1], "refunded")
        self.assertIn("left to refund", sorted(results)[0])
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            line = env["pos.order.line"].browse(self.line_id)
            # the refused refund left nothing behind: one refund order, one refunded unit
            self.assertEqual(len(line.refund_orderline_ids), 1)
            self.assertEqual(line.refund_orderline_ids.order_id.state, "paid")
            self.assertEqual(line.refunded_qty, 1)
