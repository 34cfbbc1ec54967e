# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ScsCashReason(models.Model):
    """Why cash comes into or leaves a desk outside sales: the list the cashier
    picks from, and the corresponding account its cash order prints."""

    _name = "scs.cash.reason"
    _description = "Cash Operation Reason"
    _inherit = ["pos.load.mixin"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Technical code, sent by the POS.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        index=True,
        help="Empty: a reason of every company.",
    )
    direction = fields.Selection(
        [("in", "Cash in"), ("out", "Cash out"), ("both", "Both")], required=True, default="both"
    )
    account_id = fields.Many2one(
        "account.account",
        string="Corresponding Account",
        check_company=True,
        help="Printed on the cash order and the cash book (e.g. 57.01 cash in transit to "
        "the bank, 71.01 advances to employees).",
    )
    counterparty_required = fields.Boolean(
        help="The cash order must name who brought or received the money."
    )

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)", "A reason code is unique per company."),
    ]

    @api.constrains("code")
    def _check_code(self):
        for reason in self:
            if not (reason.code or "").strip() or " " in reason.code:
                raise ValidationError(self.env._("A reason code is one word."))

    @api.model
    def _load_pos_data_domain(self, data):
        return [("company_id", "in", [False, data["pos.config"]["data"][0]["company_id"]])]

    @api.model
    def _load_pos_data_fields(self, config_id):
        return ["id", "name", "code", "direction", "counterparty_required"]
