# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class LoyaltyProgram(models.Model):
    _inherit = "loyalty.program"

    scs_liability_account_id = fields.Many2one(
        "account.account",
        string="Liability Account",
        check_company=True,
        domain="[('account_type', 'in', ('liability_current', 'liability_non_current'))]",
        help="Account that carries the value of issued certificates, vouchers or points "
        "until they are redeemed or expire (e.g. 62.02 advances received, 98.01).",
    )

    @api.constrains("scs_liability_account_id")
    def _check_scs_liability_account(self):
        for program in self:
            account = program.scs_liability_account_id
            if account and not account.account_type.startswith("liability"):
                raise ValidationError(
                    _(
                        "Account %(account)s of program %(program)s is not a liability: "
                        "unredeemed certificates and points are owed to customers.",
                        account=account.display_name,
                        program=program.name,
                    )
                )
