# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class PosConfig(models.Model):
    _inherit = "pos.config"

    scs_office_id = fields.Many2one(
        "scs.office",
        string="Sales Office",
        index=True,
        check_company=True,
        help="Office this cash desk belongs to: its time zone, staff and analytics.",
    )

    scs_user_max_discount = fields.Float(
        string="My Discount Limit (%)",
        compute="_compute_scs_user_max_discount",
        help="The largest discount the current user gives without approval; -1: any. "
        "The POS uses it when the server cannot be asked.",
    )

    @api.depends_context("uid")
    def _compute_scs_user_max_discount(self):
        for config in self:
            limit = self.env["scs.role.limit"]._limit_for(self.env.user, config.company_id)
            config.scs_user_max_discount = (
                -1 if limit.max_discount is None else float(limit.max_discount)
            )

    @api.constrains("scs_office_id", "company_id")
    def _check_scs_office_company(self):
        for config in self:
            if config.scs_office_id and config.scs_office_id.company_id != config.company_id:
                raise ValidationError(
                    _(
                        "Cash desk %(config)s and office %(office)s belong to different companies.",
                        config=config.name,
                        office=config.scs_office_id.name,
                    )
                )
