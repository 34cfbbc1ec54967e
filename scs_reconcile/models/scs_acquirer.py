# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ScsAcquirer(models.Model):
    """An acquiring bank: where its card money waits and where its fees go."""

    _name = "scs.acquirer"
    _description = "Acquiring Bank"
    _inherit = ["mail.thread"]
    _order = "name"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    code = fields.Char(required=True, help="Short code used to pick the registry format.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    partner_id = fields.Many2one("res.partner", string="Bank", check_company=True)
    clearing_account_id = fields.Many2one(
        "account.account",
        string="Clearing Account",
        required=True,
        check_company=True,
        tracking=True,
        help="Card sales wait here (57.03) until the bank's registry and statement clear them.",
    )
    fee_account_id = fields.Many2one(
        "account.account",
        string="Fee Account",
        required=True,
        check_company=True,
        tracking=True,
        help="Acquirer fees are expensed here (91.02).",
    )
    payment_method_ids = fields.Many2many(
        "pos.payment.method",
        string="POS Payment Methods",
        check_company=True,
        help="Card payments taken with these methods are settled by this acquirer.",
    )

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "An acquirer code must be unique per company.",
        ),
    ]

    @api.constrains("clearing_account_id")
    def _check_clearing_account(self):
        for acquirer in self:
            if not acquirer.clearing_account_id.reconcile:
                raise ValidationError(
                    _(
                        "Clearing account %(account)s of %(acquirer)s must allow reconciliation: "
                        "each card payment is matched against the registry there.",
                        account=acquirer.clearing_account_id.display_name,
                        acquirer=acquirer.name,
                    )
                )
