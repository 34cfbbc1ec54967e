# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ProductTemplate(models.Model):
    _inherit = "product.template"

    scs_service_kind = fields.Selection(
        [("own", "Own service"), ("agent", "Agent service")],
        string="Service Kind",
        help="Own services are the airline's revenue; agent services are sold on "
        "behalf of a supplier (principal) and only the commission is revenue.",
    )
    scs_supplier_id = fields.Many2one(
        "res.partner",
        string="Supplier (Principal)",
        help="The principal of an agent service: printed on the fiscal receipt "
        "(FFD 1.2 tags 1224/1226) and credited in account 76.05.",
    )

    @api.constrains("scs_service_kind", "scs_supplier_id")
    def _check_scs_supplier(self):
        for template in self:
            if template.scs_service_kind == "agent" and not template.scs_supplier_id:
                raise ValidationError(
                    _(
                        "Agent service %(name)s needs a supplier: "
                        "the receipt must name the principal.",
                        name=template.display_name,
                    )
                )
