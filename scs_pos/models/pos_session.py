# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class PosSession(models.Model):
    _inherit = "pos.session"

    scs_office_id = fields.Many2one(
        "scs.office",
        string="Sales Office",
        related="config_id.scs_office_id",
        store=True,
        index=True,
    )
