# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class PosConfig(models.Model):
    _inherit = "pos.config"

    scs_points_program_id = fields.Many2one(
        "loyalty.program",
        string="Bonus Points Program",
        domain="[('scs_kind', '=', 'points')]",
        check_company=True,
        help="Customers of this desk earn points in this program on every sale.",
    )

    @api.constrains("scs_points_program_id")
    def _check_scs_points_program(self):
        for config in self:
            if config.scs_points_program_id and config.scs_points_program_id.scs_kind != "points":
                raise ValidationError(
                    self.env._(
                        "%(program)s is not a bonus points program.",
                        program=config.scs_points_program_id.name,
                    )
                )

    def _get_program_ids(self):
        # SCS tenders are payment lines, never pos_loyalty rewards
        return super()._get_program_ids().filtered(lambda p: not p.scs_kind)
