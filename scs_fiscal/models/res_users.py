# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..engine import ffd


class ResUsers(models.Model):
    _inherit = "res.users"

    scs_cashier_inn = fields.Char(
        string="Cashier INN",
        help="The cashier's personal INN (12 digits), printed on receipts as tag 1203.",
    )

    @api.constrains("scs_cashier_inn")
    def _check_scs_cashier_inn(self):
        for user in self.filtered("scs_cashier_inn"):
            if len(user.scs_cashier_inn) != 12 or not ffd.INN.match(user.scs_cashier_inn):
                raise ValidationError(
                    _("A cashier's INN is a personal one of 12 digits, not %(inn)s.",
                      inn=user.scs_cashier_inn)
                )  # fmt: skip
