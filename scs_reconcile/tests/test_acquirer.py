# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from odoo.addons.scs_pos.tests.common import ScsPosCommon


@tagged("post_install", "-at_install")
class TestAcquirer(ScsPosCommon):
    def _vals(self, **over):
        vals = {
            "name": "Sberbank",
            "code": "sber",
            "company_id": self.company.id,
            "clearing_account_id": self.chart.ref("ru_57_03").id,
            "fee_account_id": self.chart.ref("ru_91_02").id,
            "payment_method_ids": [Command.set(self.pm_card.ids)],
        }
        vals.update(over)
        return vals

    def test_accountant_sets_up_an_acquirer(self):
        acquirer = self.env["scs.acquirer"].with_user(self.accountant).create(self._vals())
        self.assertEqual(acquirer.payment_method_ids, self.pm_card)

    def test_cashier_cannot_see_acquirers(self):
        self.env["scs.acquirer"].create(self._vals())
        with self.assertRaises(AccessError):
            self.env["scs.acquirer"].with_user(self.cashier).search([])

    def test_clearing_account_must_reconcile(self):
        with self.assertRaisesRegex(ValidationError, "must allow reconciliation"):
            self.env["scs.acquirer"].create(
                self._vals(clearing_account_id=self.chart.ref("ru_51").id)
            )

    def test_card_payment_keeps_its_acquirer(self):
        acquirer = self.env["scs.acquirer"].create(self._vals())
        self.pos_config.with_user(self.cashier).open_ui()
        order = self.sync(
            self.order_payload(
                [(self.seat, 1220.0, 1)],
                payments=[
                    self.payment_vals(self.pm_card, 1000.0),
                    self.payment_vals(self.pm_cash, 220.0),
                ],
            )
        )
        card = order.payment_ids.filtered(lambda p: p.payment_method_id == self.pm_card)
        self.assertEqual(card.scs_acquirer_id, acquirer)
        self.assertFalse((order.payment_ids - card).scs_acquirer_id)
