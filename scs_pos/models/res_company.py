# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    scs_agent_payable_account_id = fields.Many2one(
        "account.account",
        string="Settlements with Principals",
        check_company=True,
        help="Account credited with the principal's share of agent sales (76.05).",
    )
