# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The day's register cash in the cash book against what the register fiscalized."""

import pytz

from odoo.tests import tagged

from odoo.addons.scs_pos.engine import cashbook

from .common import FiscalCommon


@tagged("post_install", "-at_install")
class TestCashBookAgreement(FiscalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pos_config.with_user(cls.cashier).open_ui()

    def sell_cash(self, amount):
        pay = self.payment_vals(self.pm_cash, amount)
        return self.sync(self.order_payload([(self.seat, amount, 1)], payments=[pay]))

    def close_today(self):
        sheets = self.env["scs.cash.book.day"]
        order = self.env["pos.order"].search([], order="id desc", limit=1)
        day = order.payment_ids[:1].payment_date
        local = cashbook.local_day(day, pytz.timezone(self.office.tz))
        return sheets._scs_close_until(self.pos_config, local)

    def test_book_agrees_with_the_register(self):
        order = self.sell_cash(1220.0)
        self.fiscalize(order.scs_fiscal_document_ids)
        sheet = self.close_today()
        self.assertEqual((sheet.income, sheet.fiscal_cash_sales), (1220.0, 1220.0))
        self.assertFalse(sheet.fiscal_mismatch)

    def test_unsent_receipt_is_a_mismatch(self):
        done = self.sell_cash(1220.0)
        self.fiscalize(done.scs_fiscal_document_ids)
        self.sell_cash(500.0)  # its receipt is still in the queue
        sheet = self.close_today()
        self.assertEqual((sheet.income, sheet.fiscal_cash_sales), (1720.0, 1220.0))
        self.assertTrue(sheet.fiscal_mismatch)
        self.assertTrue(any("fiscalized 1220.00" in m.body for m in sheet.message_ids))
        self.assertEqual(
            self.env["scs.cash.book.day"]
            .with_user(self.manager)
            .search_count([("fiscal_mismatch", "=", True)]),
            1,
        )
