# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import FiscalCommon


@tagged("post_install", "-at_install")
class TestFiscalConfig(FiscalCommon):
    def test_mode_follows_the_register(self):
        self.assertEqual(self.pos_config.scs_fiscal_mode, "cloud")
        self.pos_config.scs_fiscal_register_id = False
        self.assertEqual(self.pos_config.scs_fiscal_mode, "none")

    def test_fiscal_desk_needs_an_office(self):
        with self.assertRaisesRegex(ValidationError, "must belong to a sales office"):
            self.pos_config.scs_office_id = False

    def test_only_managers_switch_the_register(self):
        with self.assertRaises(AccessError):
            self.pos_config.with_user(self.cashier).scs_fiscal_register_id = False
        self.pos_config.with_user(self.manager).scs_fiscal_register_id = False
        self.assertEqual(self.pos_config.scs_fiscal_mode, "none")

    def test_register_data_is_checked(self):
        with self.assertRaisesRegex(ValidationError, "10 or 12 digits"):
            self.register.inn = "12345"
        with self.assertRaisesRegex(ValidationError, "needs the service URL"):
            self.register.cloud_password = False

    def test_connection_check(self):
        action = self.register.with_user(self.scs_admin).action_test_connection()
        self.assertEqual(action["params"]["type"], "success")
        self.register.cloud_password = "wrong"
        with self.assertRaisesRegex(Exception, "refused the login"):
            self.register.action_test_connection()
