# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    pos_scs_office_id = fields.Many2one(
        related="pos_config_id.scs_office_id", readonly=False, string="Sales Office"
    )
