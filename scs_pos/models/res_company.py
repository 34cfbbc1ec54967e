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
    scs_head_name = fields.Char(
        string="Head (Cash Orders)", help="The head's name as cash orders (KO-2) print it."
    )
    scs_chief_accountant_name = fields.Char(
        string="Chief Accountant (Cash Orders)",
        help="The chief accountant's name as cash orders and the cash book print it.",
    )
