# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..engine import cashbook


class AccountBankStatementLine(models.Model):
    _inherit = "account.bank.statement.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        move = self.env.context.get("scs_cash_order")
        if move is not None:
            for line in lines.filtered("pos_session_id"):
                line._scs_issue_cash_order(move)
        return lines

    def _scs_issue_cash_order(self, move):
        """The KO-1 or KO-2 of a cash in or out of a desk's session, with the reason
        the cashier picked (``move``: reason text, reason code, counterparty)."""
        self.ensure_one()
        session = self.pos_session_id
        config = session.config_id
        if not config.scs_office_id:
            return self.env["scs.cash.order"]
        if move.get("count"):
            return self._scs_issue_count_order(move)
        reason = self.env["scs.cash.reason"]
        if move.get("reason_code"):
            reason = reason.search(
                [
                    ("code", "=", move["reason_code"]),
                    ("company_id", "in", [False, config.company_id.id]),
                ],
                order="company_id",
                limit=1,
            )
            if not reason:
                raise UserError(
                    self.env._("%(code)s is not a cash operation reason.", code=move["reason_code"])
                )
        kind = cashbook.INCOMING if self.amount > 0 else cashbook.OUTGOING
        if reason and reason.direction not in ("both", kind):
            raise UserError(
                self.env._(
                    "%(reason)s is not a reason to take cash %(direction)s.",
                    reason=reason.name,
                    direction=self.env._("in") if kind == cashbook.INCOMING else self.env._("out"),
                )
            )
        counterparty = (move.get("counterparty") or "").strip()
        if reason.counterparty_required and not counterparty:
            raise UserError(
                self.env._("%(reason)s: say who brought or received the cash.", reason=reason.name)
            )
        typed = (move.get("reason") or "").strip()
        basis = typed
        if reason:
            # the cashier's words follow the reason's name, when they add to it
            basis = (
                reason.name
                if typed in ("", reason.name, reason.code)
                else f"{reason.name}: {typed}"
            )
        return self.env["scs.cash.order"]._scs_issue(
            config,
            kind,
            abs(self.amount),
            "cash_move",
            f"cash_move:{self.id}",
            moment=fields.Datetime.now(),
            counterparty=counterparty or False,
            basis=basis,
            reason_id=reason.id,
            account_code=reason.account_id.code or "",
            session_id=session.id,
            statement_line_id=self.id,
        )

    def _scs_issue_count_order(self, move):
        """The order of a difference found when the cash was counted."""
        kind = cashbook.INCOMING if self.amount > 0 else cashbook.OUTGOING
        what = (
            self.env._("Surplus found at the cash count")
            if kind == cashbook.INCOMING
            else self.env._("Shortage found at the cash count")
        )
        notes = (move.get("reason") or "").strip()
        journal = self.pos_session_id.cash_journal_id
        account = (
            journal.profit_account_id if kind == cashbook.INCOMING else journal.loss_account_id
        )
        return self.env["scs.cash.order"]._scs_issue(
            self.pos_session_id.config_id,
            kind,
            abs(self.amount),
            "count_difference",
            f"count:{self.id}",
            moment=fields.Datetime.now(),
            counterparty=move.get("counterparty") or False,
            basis=f"{what}: {notes}" if notes else what,
            account_code=account.code or "",
            session_id=self.pos_session_id.id,
            statement_line_id=self.id,
        )
