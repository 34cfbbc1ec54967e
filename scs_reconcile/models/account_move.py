# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    scs_registry_id = fields.Many2one(
        "scs.acquirer.registry", string="Acquirer Registry", readonly=True, index="btree_not_null"
    )
