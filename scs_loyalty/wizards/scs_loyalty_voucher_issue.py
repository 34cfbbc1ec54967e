# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import uuid
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.loyalty_card import dec


class ScsLoyaltyVoucherIssue(models.TransientModel):
    _name = "scs.loyalty.voucher.issue"
    _description = "Issue a Voucher"

    program_id = fields.Many2one(
        "loyalty.program",
        string="Voucher Program",
        required=True,
        domain="[('scs_kind', '=', 'voucher')]",
        default=lambda self: self.env["loyalty.program"].search(
            [("scs_kind", "=", "voucher")], limit=1
        ),
    )
    partner_id = fields.Many2one("res.partner", string="Passenger", required=True)
    currency_id = fields.Many2one(related="program_id.currency_id")
    amount = fields.Monetary(required=True)
    expires = fields.Date(
        string="Valid Until",
        required=True,
        compute="_compute_expires",
        precompute=True,
        store=True,
        readonly=False,
    )
    reason = fields.Char(
        required=True,
        help="Why the airline owes this, e.g. compensation for flight SU 1234 "
        "cancelled on 12.03.",
    )
    # one click, one voucher: a double-submitted form finds the voucher it made
    token = fields.Char(default=lambda self: uuid.uuid4().hex, readonly=True)

    @api.depends("program_id")
    def _compute_expires(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            months = wizard.program_id.scs_validity_months or 12
            wizard.expires = today + relativedelta(months=months)

    def action_issue(self):
        self.ensure_one()
        _ = self.env._
        amount = dec(self.amount)
        today = fields.Date.context_today(self)
        if amount <= 0 or Decimal(str(self.amount)) != amount:
            raise UserError(_("A voucher is issued for an amount in kopecks above zero."))
        if self.expires < today:
            raise UserError(_("A voucher must be valid until today or later."))
        program = self.program_id._scs_accounts()
        card = (
            self.env["loyalty.card"]
            .sudo()
            .with_context(scs_loyalty_post=True)
            .create(
                {
                    "program_id": program.id,
                    "partner_id": self.partner_id.id,
                    "scs_nominal": float(amount),
                    "scs_reason": self.reason,
                }
            )
        )
        entry = card._scs_credit(
            "issue",
            amount,
            f"voucher:{self.token}",
            today,
            expires=self.expires,
            note=self.reason,
        )
        label = _("Voucher %(code)s: %(reason)s", code=card.scs_code_display, reason=self.reason)
        program._scs_post_move(
            today,
            label,
            [
                (program.scs_expense_account_id, amount, label),
                (program.scs_liability_account_id, -amount, label),
            ],
            entry,
        )
        card.message_post(body=label)
        return {
            "type": "ir.actions.act_window",
            "res_model": "loyalty.card",
            "res_id": card.id,
            "view_mode": "form",
            "target": "current",
        }
