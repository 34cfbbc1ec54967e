# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ScsPosCommon


@tagged("post_install", "-at_install")
class TestOffice(ScsPosCommon):
    def test_groups_imply_odoo_roles(self):
        self.assertTrue(self.cashier.has_group("point_of_sale.group_pos_user"))
        self.assertFalse(self.cashier.has_group("point_of_sale.group_pos_manager"))
        self.assertTrue(self.manager.has_group("point_of_sale.group_pos_manager"))
        self.assertTrue(self.manager.has_group("scs_pos.group_scs_cashier"))
        self.assertTrue(self.accountant.has_group("account.group_account_user"))
        self.assertFalse(self.accountant.has_group("point_of_sale.group_pos_user"))
        for group in (
            "scs_pos.group_scs_manager",
            "scs_pos.group_scs_accountant",
            "base.group_system",
        ):
            self.assertTrue(self.scs_admin.has_group(group), group)

    def test_cashier_reads_but_cannot_change_offices(self):
        office = self.office.with_user(self.cashier)
        self.assertEqual(office.name, "Test office")
        self.assertEqual(office.pos_config_ids, self.pos_config)
        with self.assertRaises(AccessError):
            office.write({"name": "Renamed"})
        with self.assertRaises(AccessError):
            self.env["scs.office"].with_user(self.manager).create({"name": "X", "code": "X"})

    def test_admin_creates_office(self):
        office = (
            self.env["scs.office"]
            .with_user(self.scs_admin)
            .create({"name": "Vladivostok office", "code": "VVO", "tz": "Asia/Vladivostok"})
        )
        self.assertEqual(office.company_id, self.company)

    def test_office_of_other_company_is_invisible(self):
        other = self.setup_other_company()["company"]
        foreign = self.env["scs.office"].create(
            {"name": "Foreign", "code": "FRN", "company_id": other.id}
        )
        visible = self.env["scs.office"].with_user(self.cashier).search([])
        self.assertIn(self.office, visible)
        self.assertNotIn(foreign, visible)

    def test_bad_codes_are_refused(self):
        for code in ("", "  ", "a b", "x" * 17, "IKT/1"):
            with self.subTest(code=code), self.assertRaises(ValidationError), self.cr.savepoint():
                self.env["scs.office"].create({"name": "Bad", "code": code})

    def test_code_is_unique_per_company(self):
        with self.assertRaises(IntegrityError), self.cr.savepoint(), mute_logger("odoo.sql_db"):
            self.env["scs.office"].create({"name": "Twin", "code": "TST"})

    def test_cash_desk_and_office_must_share_company(self):
        other = self.setup_other_company()["company"]
        foreign = self.env["scs.office"].create(
            {"name": "Foreign", "code": "FRN", "company_id": other.id}
        )
        with self.assertRaises(ValidationError):
            self.pos_config.scs_office_id = foreign
