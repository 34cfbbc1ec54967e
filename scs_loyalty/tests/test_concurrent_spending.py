# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Two tills spend the same certificate at the same moment, each in its own transaction.

The data is committed (parallel cursors cannot see a test's open transaction), in a
company of its own, in the throwaway test database.
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
class TestConcurrentSpending(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env["res.company"].create(
                {
                    "name": f"SCS spending {uuid.uuid4().hex[:8]}",
                    "country_id": env.ref("base.ru").id,
                    "currency_id": env.ref("base.RUB").id,
                }
            )
            env["account.chart.template"].try_loading("ru_scs", company, install_demo=False)
            env = env(context={"allowed_company_ids": company.ids})
            chart = env["account.chart.template"].with_company(company)
            Journal = env["account.journal"]
            liability = chart.ref("ru_62_02")
            product = env["product.product"].create(
                {
                    "name": "Certificate (concurrency)",
                    "type": "service",
                    "list_price": 1000.0,
                    "property_account_income_id": liability.id,
                    "taxes_id": [Command.clear()],
                }
            )
            program = env["loyalty.program"].create(
                {
                    "name": "Certificates (concurrency)",
                    "company_id": company.id,
                    "scs_kind": "certificate",
                    "scs_liability_account_id": liability.id,
                    "scs_breakage_account_id": chart.ref("ru_91_01").id,
                    "scs_journal_id": Journal.create(
                        {
                            "name": "Loyalty",
                            "code": "LYCC",
                            "type": "general",
                            "company_id": company.id,
                        }
                    ).id,
                    "scs_product_id": product.id,
                }
            )
            cash = env["pos.payment.method"].create(
                {
                    "name": "Cash",
                    "company_id": company.id,
                    "journal_id": Journal.create(
                        {"name": "Cash", "code": "CSCC", "type": "cash", "company_id": company.id}
                    ).id,
                }
            )
            certificate = env["pos.payment.method"].create(
                {
                    "name": "Certificate",
                    "company_id": company.id,
                    "journal_id": Journal.create(
                        {
                            "name": "Certificates",
                            "code": "CECC",
                            "type": "bank",
                            "company_id": company.id,
                            "default_account_id": liability.id,
                        }
                    ).id,
                    "scs_tender_kind": "certificate",
                    "scs_loyalty_program_id": program.id,
                    "outstanding_account_id": liability.id,
                }
            )
            config = env["pos.config"].create(
                {
                    "name": "Spending desk",
                    "company_id": company.id,
                    "payment_method_ids": [Command.set((cash | certificate).ids)],
                }
            )
            users = [
                new_test_user(
                    env,
                    login=f"sp.cashier{n}.{company.id}",
                    groups="base.group_user,scs_pos.group_scs_cashier",
                    company_id=company.id,
                    company_ids=[Command.set(company.ids)],
                )
                for n in (1, 2)
            ]
            config.with_user(users[0]).open_ui()
            cls.ids = {
                "session": config.current_session_id.id,
                "cash": cash.id,
                "certificate": certificate.id,
                "product": product.id,
                "users": [user.id for user in users],
            }
            result = (
                env["pos.order"]
                .with_user(users[0])
                .sync_from_ui([cls._payload(product.id, 1000.0, [(cash.id, 1000.0, False)])])
            )
            order = env["pos.order"].browse(result["pos.order"][0]["id"])
            cls.card_id = order.lines.scs_certificate_ids.id
            cls.code = order.lines.scs_certificate_ids.code

    @classmethod
    def _payload(cls, product_id, price, payments, user=0):
        line = {
            "product_id": product_id,
            "qty": 1,
            "price_unit": price,
            "price_subtotal": price,
            "price_subtotal_incl": price,
            "discount": 0,
            "tax_ids": [],
            "pack_lot_ids": [],
        }
        order_uuid = str(uuid.uuid4())
        return {
            "amount_paid": price,
            "amount_return": 0,
            "amount_tax": 0,
            "amount_total": price,
            "date_order": fields.Datetime.to_string(fields.Datetime.now()),
            "name": f"Order {order_uuid}",
            "lines": [(0, 0, line)],
            "session_id": cls.ids["session"],
            "sequence_number": 1,
            "payment_ids": [
                (0, 0, {"amount": amount, "payment_method_id": method, "scs_loyalty_code": code})
                for method, amount, code in payments
            ],
            "uuid": order_uuid,
            "user_id": cls.ids["users"][user],
            "state": "paid",
        }

    @mute_logger("odoo.sql_db", "odoo.service.model", "odoo.addons.point_of_sale.models.pos_order")
    def test_two_tills_spend_the_same_certificate(self):
        barrier = threading.Barrier(2)
        product = self.ids["product"]

        def spend(index):
            # each till buys another certificate of 700 with 700 of the same one
            payload = self._payload(
                product, 700.0, [(self.ids["certificate"], 700.0, self.code)], user=index
            )
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, self.ids["users"][index], {})
                    barrier.wait(timeout=10)
                    retrying(lambda: env["pos.order"].sync_from_ui([dict(payload)]), env)
            except UserError as err:
                return str(err)
            return "paid"

        with (
            patch.object(Registry, "_lock", threading.RLock()),
            ThreadPoolExecutor(max_workers=2) as pool,
        ):
            results = [f.result(timeout=120) for f in [pool.submit(spend, i) for i in (0, 1)]]

        self.assertEqual(sorted(results)[-1], "paid", results)
        self.assertIn("left to spend", sorted(results)[0])
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            card = env["loyalty.card"].browse(self.card_id)
            # one spending, never an overdraft
            self.assertEqual(card.scs_balance, 300.0)
            self.assertEqual(card.scs_entry_ids.mapped("kind").count("redemption"), 1)
