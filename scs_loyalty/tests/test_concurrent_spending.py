# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Two tills spend the same certificate at the same moment, each in its own transaction."""

from odoo import SUPERUSER_ID, Command, api
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.scs_pos.tests.parallel import ParallelCase


@tagged("post_install", "-at_install")
class TestConcurrentSpending(ParallelCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with cls.registry.cursor() as cr:
            env, company, cash = cls.scs_company(api.Environment(cr, SUPERUSER_ID, {}), "sp")
            chart = env["account.chart.template"].with_company(company)
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
                    "scs_journal_id": cls.scs_journal(env, company, "Loyalty", "general").id,
                    "scs_product_id": product.id,
                }
            )
            certificate = env["pos.payment.method"].create(
                {
                    "name": "Certificate",
                    "company_id": company.id,
                    "journal_id": cls.scs_journal(
                        env, company, "Certificates", "bank", default_account_id=liability.id
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
            users = cls.scs_cashiers(env, company, "sp")
            config.with_user(users[0]).open_ui()
            cls.ids = {
                "session": config.current_session_id.id,
                "cash": cash.id,
                "certificate": certificate.id,
                "product": product.id,
                "users": [user.id for user in users],
            }
            sold = cls._payload(1000.0, {"payment_method_id": cash.id}, users[0].id)
            result = env["pos.order"].with_user(users[0]).sync_from_ui([sold])
            card = env["pos.order"].browse(result["pos.order"][0]["id"]).lines.scs_certificate_ids
            cls.card_id, cls.code = card.id, card.code

    @classmethod
    def _payload(cls, price, payment, user_id):
        line = {
            "product_id": cls.ids["product"],
            "qty": 1,
            "price_unit": price,
            "price_subtotal": price,
            "price_subtotal_incl": price,
        }
        payment = {"amount": price, **payment}
        return cls.scs_payload(cls.ids["session"], user_id, [line], [payment])

    @mute_logger("odoo.sql_db", "odoo.service.model", "odoo.addons.point_of_sale.models.pos_order")
    def test_two_tills_spend_the_same_certificate(self):
        # each till sells another certificate of 700 for 700 of the same certificate
        spend = {"payment_method_id": self.ids["certificate"], "scs_loyalty_code": self.code}
        results = self.sync_in_parallel(
            [(user_id, self._payload(700.0, spend, user_id)) for user_id in self.ids["users"]],
            ok="paid",
        )
        self.assertEqual(sorted(results)[-1], "paid", results)
        self.assertIn("left to spend", sorted(results)[0])
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            card = env["loyalty.card"].browse(self.card_id)
            # one spending, never an overdraft
            self.assertEqual(card.scs_balance, 300.0)
            self.assertEqual(card.scs_entry_ids.mapped("kind").count("redemption"), 1)
