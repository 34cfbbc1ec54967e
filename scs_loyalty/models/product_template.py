# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    scs_no_points = fields.Boolean(
        string="No Bonus Points",
        compute="_compute_scs_no_points",
        store=True,
        readonly=False,
        help="Lines of this product earn no bonus points. Agent services (the money is "
        "the principal's) are excluded by default.",
    )

    @api.depends("scs_service_kind")
    def _compute_scs_no_points(self):
        for template in self:
            if template.scs_service_kind == "agent":
                template.scs_no_points = True
            elif not template.id:
                template.scs_no_points = False
