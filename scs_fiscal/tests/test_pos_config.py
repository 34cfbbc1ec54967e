# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from odoo.addons.scs_pos.tests.common import ScsPosCommon


@tagged("post_install", "-at_install")
class TestFiscalConfig(ScsPosCommon):
    def test_defaults(self):
        self.assertEqual(self.pos_config.scs_fiscal_mode, "none")
        self.assertEqual(self.pos_config.scs_fiscal_tax_system, "osn")

    def test_fiscal_desk_needs_an_office(self):
        self.pos_config.scs_fiscal_mode = "cloud"
        with self.assertRaisesRegex(ValidationError, "must belong to a sales office"):
            self.pos_config.scs_office_id = False

    def test_only_managers_switch_the_register(self):
        with self.assertRaises(AccessError):
            self.pos_config.with_user(self.cashier).scs_fiscal_mode = "local"
        self.pos_config.with_user(self.manager).scs_fiscal_mode = "local"
        self.assertEqual(self.pos_config.scs_fiscal_mode, "local")
