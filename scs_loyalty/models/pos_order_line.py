# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from decimal import Decimal

from odoo import fields, models


class PosOrderLine(models.Model):
    _inherit = "pos.order.line"

    scs_points = fields.Integer(
        string="Bonus Points",
        readonly=True,
        copy=False,
        help="Points this line earned (a refund line: minus the points it took back).",
    )
    scs_certificate_ids = fields.One2many(
        "loyalty.card", "scs_sale_line_id", string="Certificates", readonly=True
    )

    def _scs_vat(self):
        """The VAT in this line's total (Odoo's own tax computation) and its rate."""
        taxes = self.tax_ids_after_fiscal_position
        if not taxes:
            return Decimal(0), 0.0
        result = taxes.compute_all(
            self.price_unit * (1 - (self.discount or 0) / 100),
            self.order_id.currency_id,
            self.qty,
            product=self.product_id,
            partner=self.order_id.partner_id,
        )
        vat = sum(tax["amount"] for tax in result["taxes"])
        return Decimal(str(vat)).quantize(Decimal("0.01")), taxes[:1].amount

    def _scs_key(self):
        return self.uuid or f"line-{self.id}"
