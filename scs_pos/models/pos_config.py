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
