# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ScsServiceBundleLine(models.Model):
    _name = "scs.service.bundle.line"
    _description = "Service Bundle Line"
    _inherit = ["pos.load.mixin"]
    _order = "bundle_id, sequence, id"

    bundle_id = fields.Many2one("scs.service.bundle", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one(
        "product.product",
        string="Service",
        required=True,
        domain="[('available_in_pos', '=', True)]",
    )
    qty = fields.Float(
        string="Quantity", default=1.0, required=True, digits="Product Unit of Measure"
    )
    company_id = fields.Many2one(related="bundle_id.company_id", store=True)

    @api.constrains("qty", "product_id")
    def _check_line(self):
        for line in self:
            if line.qty <= 0:
                raise ValidationError(
                    _(
                        "The quantity of %(service)s in a bundle must be positive.",
                        service=line.product_id.name,
                    )
                )
            if not line.product_id.available_in_pos:
                raise ValidationError(
                    _(
                        "%(service)s is not available in the Point of Sale.",
                        service=line.product_id.name,
                    )
                )

    @api.model
    def _load_pos_data_domain(self, data):
        return [("bundle_id", "in", [b["id"] for b in data["scs.service.bundle"]["data"]])]

    @api.model
    def _load_pos_data_fields(self, config_id):
        return ["id", "bundle_id", "product_id", "qty", "sequence"]
