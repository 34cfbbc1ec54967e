# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    scs_analytic_account_id = fields.Many2one(
        "account.analytic.account",
        string="Analytic Account (Employee)",
        help="'Employee' dimension of the analytic distribution of this cashier's sales.",
        groups="hr.group_hr_user,account.group_account_user",
    )
