# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .common import ScsPosCommon


@tagged("post_install", "-at_install")
class TestChart(ScsPosCommon):
    def test_accounts_later_work_needs(self):
        codes = {
            "ru_50_01": "50.01",
            "ru_51": "51",
            "ru_57_03": "57.03",
            "ru_62_01": "62.01",
            "ru_62_02": "62.02",
            "ru_76_05": "76.05",
            "ru_90_01": "90.01",
            "ru_90_03": "90.03",
            "ru_91_02": "91.02",
            "ru_98_01": "98.01",
        }
        for xmlid, code in codes.items():
            account = self.chart.ref(xmlid).with_company(self.company)
            self.assertEqual(account.code, code)
        self.assertTrue(self.chart.ref("ru_57_03").reconcile, "card clearing must be reconcilable")
        self.assertEqual(self.company.currency_id.name, "RUB")

    def test_vat_22_is_included_in_price(self):
        taxes = self.vat22.compute_all(1220.0, currency=self.company.currency_id)
        self.assertAlmostEqual(taxes["total_excluded"], 1000.0)
        self.assertAlmostEqual(taxes["total_included"], 1220.0)
        self.assertEqual(taxes["taxes"][0]["account_id"], self.chart.ref("ru_68_02").id)

    def test_company_defaults(self):
        self.assertEqual(self.company.account_sale_tax_id, self.vat22)
        self.assertEqual(
            self.company.account_default_pos_receivable_account_id, self.chart.ref("ru_62_04")
        )
