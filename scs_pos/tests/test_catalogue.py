# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime
from decimal import Decimal

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import ScsPosCommon


@tagged("post_install", "-at_install")
class TestCatalogue(ScsPosCommon):
    def _agent_service(self, supplier, **extra):
        return self.env["product.template"].create(
            {
                "name": "Hotel night",
                "type": "service",
                "scs_service_kind": "agent",
                "scs_supplier_id": supplier.id if supplier else False,
                "scs_ffd_agent_type": "64",
                **extra,
            }
        )

    def test_agent_service_needs_supplier(self):
        with self.assertRaisesRegex(ValidationError, "needs a supplier"):
            self._agent_service(False)
        self.assertEqual(self.insurance.scs_supplier_id, self.supplier)

    def test_supplier_inn_must_pass_the_check_digit(self):
        for vat, why in (
            (False, "empty"),
            ("3811012349", "check digit"),
            ("38110123", "has 8 digits"),
            ("381234567816", "check digit"),
        ):
            supplier = self.env["res.partner"].create({"name": f"Supplier {vat}", "vat": vat})
            with self.subTest(vat=vat), self.assertRaisesRegex(ValidationError, why):
                self._agent_service(supplier)
        person = self.env["res.partner"].create({"name": "Sole trader", "vat": "381234567815"})
        self.assertEqual(self._agent_service(person).scs_supplier_id, person)

    def test_supplier_inn_cannot_be_broken_later(self):
        with self.assertRaisesRegex(ValidationError, "supplies agent services"):
            self.supplier.vat = "3811012340"

    def test_agent_attribute_required(self):
        with self.assertRaisesRegex(ValidationError, "tag 1222"):
            self._agent_service(self.supplier, scs_ffd_agent_type=False)

    def test_own_service_needs_no_supplier(self):
        product = self.env["product.template"].create(
            {"name": "Excess baggage", "type": "service", "scs_service_kind": "own"}
        )
        self.assertFalse(product.scs_supplier_id)
        self.assertEqual((product.scs_ffd_item_subject, product.scs_ffd_payment_method), ("4", "4"))

    def test_kpp_format(self):
        self.supplier.scs_kpp = "381101001"
        with self.assertRaisesRegex(ValidationError, "9 characters"):
            self.supplier.scs_kpp = "38110100"


@tagged("post_install", "-at_install")
class TestAgentContract(ScsPosCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Contract = cls.env["scs.agent.contract"]
        Contract.create(
            {
                "name": "AG-2025",
                "partner_id": cls.supplier.id,
                "commission_percent": 10.0,
                "date_from": "2025-01-01",
                "date_to": "2025-12-31",
            }
        )
        Contract.create(
            {
                "name": "AG-2026",
                "partner_id": cls.supplier.id,
                "commission_percent": 12.5,
                "date_from": "2026-01-01",
            }
        )

    def _percent(self, day):
        return self.env["scs.agent.contract"]._commission_percent(
            self.supplier, self.company, datetime.date.fromisoformat(day)
        )

    def test_commission_by_date(self):
        self.assertEqual(self._percent("2025-06-30"), Decimal("10.0"))
        self.assertEqual(self._percent("2026-11-25"), Decimal("12.5"))
        with self.assertRaisesRegex(UserError, "no commission contract covers 2024-12-31"):
            self._percent("2024-12-31")

    def test_overlap_refused(self):
        with self.assertRaisesRegex(ValidationError, "overlap"):
            self.env["scs.agent.contract"].create(
                {
                    "name": "AG-2026-bis",
                    "partner_id": self.supplier.id,
                    "commission_percent": 5.0,
                    "date_from": "2026-06-01",
                    "date_to": "2026-06-30",
                }
            )

    def test_archived_contract_frees_its_period(self):
        self.supplier.scs_agent_contract_ids.filtered(lambda c: c.name == "AG-2026").active = False
        with self.assertRaisesRegex(UserError, "no commission contract covers"):
            self._percent("2026-11-25")

    def test_roles(self):
        vals = {"name": "X", "partner_id": self.supplier.id, "commission_percent": 1.0}
        with self.assertRaises(AccessError):
            self.env["scs.agent.contract"].with_user(self.cashier).search([])
        with self.assertRaises(AccessError):
            self.env["scs.agent.contract"].with_user(self.manager).create(vals)
        contracts = self.env["scs.agent.contract"].with_user(self.manager).search([])
        self.assertEqual(len(contracts), 2)
        with self.assertRaisesRegex(ValidationError, "overlap"):
            # the accountant may create; the open period still overlaps
            self.env["scs.agent.contract"].with_user(self.accountant).create(vals)
