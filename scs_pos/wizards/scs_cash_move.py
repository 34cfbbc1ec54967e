# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class ScsCashMove(models.TransientModel):
    """Cash in or out of an open desk session from the back office: the same
    operation as the POS's Cash In/Out, with its cash order and fiscal document."""

    _name = "scs.cash.move"
    _description = "Cash In or Out"

    session_id = fields.Many2one(
        "pos.session",
        string="Session",
        required=True,
        domain="[('state', 'in', ('opening_control', 'opened')),"
        " ('config_id.scs_office_id', '!=', False)]",
    )
    currency_id = fields.Many2one(related="session_id.currency_id")
    direction = fields.Selection(
        [("in", "Cash in"), ("out", "Cash out")], required=True, default="out"
    )
    amount = fields.Monetary(required=True)
    reason_id = fields.Many2one(
        "scs.cash.reason",
        string="Reason",
        required=True,
        domain="[('direction', 'in', (direction, 'both'))]",
    )
    counterparty = fields.Char(string="Received From / Paid To")
    note = fields.Char(help="Added to the reason on the cash order.")

    @api.onchange("direction")
    def _onchange_direction(self):
        if self.reason_id and self.reason_id.direction not in ("both", self.direction):
            self.reason_id = False

    def action_confirm(self):
        self.ensure_one()
        if self.amount <= 0:
            raise UserError(self.env._("The amount must be positive."))
        if self.session_id.state not in ("opening_control", "opened"):
            raise UserError(self.env._("The session is not open."))
        _ = self.env._
        extras = {
            "translatedType": _("in") if self.direction == "in" else _("out"),
            "formattedAmount": self.session_id.currency_id.format(self.amount),
            "scs_reason_code": self.reason_id.code,
            "scs_counterparty": self.counterparty or "",
        }
        text = self.note or self.reason_id.name
        self.session_id.try_cash_in_out(self.direction, self.amount, text, extras)
        order = self.env["scs.cash.order"].search(
            [("session_id", "=", self.session_id.id)], order="id desc", limit=1
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "scs.cash.order",
            "res_id": order.id,
            "view_mode": "form",
            "target": "current",
        }
