# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.scs_pos.tests.common import ScsPosCommon


@tagged("post_install", "-at_install")
class TestLoyaltyProgram(ScsPosCommon):
    def _gift_card_program(self, account):
        return self.env["loyalty.program"].create(
            {
                "name": "Gift certificate",
                "program_type": "gift_card",
                "company_id": self.company.id,
                "scs_liability_account_id": account.id,
            }
        )

    def test_certificates_are_a_liability(self):
        program = self._gift_card_program(self.chart.ref("ru_62_02"))
        self.assertEqual(program.scs_liability_account_id.with_company(self.company).code, "62.02")

    def test_revenue_account_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "is not a liability"):
            self._gift_card_program(self.chart.ref("ru_90_01"))
