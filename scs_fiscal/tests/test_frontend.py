# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from .common import FiscalCommon


@tagged("post_install", "-at_install")
class TestFiscalFrontend(FiscalCommon, HttpCase):
    def test_receipt_prints_the_fiscal_data(self):
        order = self.run_pos_tour("scs_fiscal_receipt")
        self.assertEqual(len(order), 1)
        self.assertEqual(order.amount_total, 1220.0)
        document = order.scs_fiscal_document_ids
        self.assertEqual((document.kind, document.state), ("sale", "done"), document.last_error)
        self.assertTrue(document.fiscal_sign)
        self.assertIn(f"&fp={document.fiscal_sign}&", document.qr_code)
