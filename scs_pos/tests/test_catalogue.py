# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ScsPosCommon


@tagged("post_install", "-at_install")
class TestCatalogue(ScsPosCommon):
    def test_agent_service_needs_supplier(self):
        with self.assertRaisesRegex(ValidationError, "needs a supplier"):
            self.env["product.template"].create(
                {"name": "Hotel night", "type": "service", "scs_service_kind": "agent"}
            )
        self.assertEqual(self.insurance.scs_supplier_id, self.supplier)

    def test_own_service_needs_no_supplier(self):
        product = self.env["product.template"].create(
            {"name": "Excess baggage", "type": "service", "scs_service_kind": "own"}
        )
        self.assertFalse(product.scs_supplier_id)
