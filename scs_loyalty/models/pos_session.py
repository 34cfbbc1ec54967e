# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from decimal import Decimal

from odoo import fields, models
from odoo.exceptions import UserError

from .loyalty_card import dec


class PosSession(models.Model):
    _inherit = "pos.session"

    def _validate_session(
        self, balancing_account=False, amount_to_balance=0, bank_payment_method_diffs=None
    ):
        result = super()._validate_session(
            balancing_account, amount_to_balance, bank_payment_method_diffs
        )
        for session in self.filtered(lambda s: s.state == "closed"):
            session._scs_post_loyalty()
        return result

    def _scs_post_loyalty(self):
        """The liability entries of the session's loyalty operations.

        Certificate sales and every redemption are in Odoo's own session entry (the
        certificate product's income account and the tender's outstanding account
        are the liability); what is left is the points' liability at their value,
        and the advance VAT that a certificate's redemption deducts back."""
        _ = self.env._
        entries = (
            self.env["scs.loyalty.entry"]
            .sudo()
            .search(
                [
                    ("order_id.session_id", "=", self.id),
                    ("move_id", "=", False),
                    ("kind", "in", ("accrual", "reversal", "redemption", "recredit")),
                ]
            )
        )
        day = fields.Date.context_today(self)
        for program in entries.program_id:
            mine = entries.filtered(lambda e, p=program: e.program_id == p)
            if program.scs_kind == "points":
                program._scs_accounts()
                accrued = sum((dec(e.value) for e in mine if e.kind == "accrual"), Decimal(0))
                reversed_ = -sum((dec(e.value) for e in mine if e.kind == "reversal"), Decimal(0))
                lines = [
                    (program.scs_expense_account_id, accrued, _("Points accrued")),
                    (program.scs_liability_account_id, -accrued, _("Points accrued")),
                    (program.scs_liability_account_id, reversed_, _("Points taken back")),
                    (program.scs_expense_account_id, -reversed_, _("Points taken back")),
                ]
                mine = mine.filtered(lambda e: e.kind in ("accrual", "reversal"))
            elif program.scs_kind == "certificate":
                vat = sum((dec(t.vat_amount) for t in mine.take_ids), Decimal(0))
                if vat and not program.scs_vat_account_id:
                    raise UserError(
                        _(
                            "Program %(program)s needs its VAT account: certificates sold "
                            "with VAT pay for services in this session.",
                            program=program.name,
                        )
                    )
                lines = [
                    (program.scs_vat_account_id, vat, _("VAT on advances offset")),
                    (program.scs_liability_account_id, -vat, _("VAT on advances offset")),
                ]
            else:
                continue
            program._scs_post_move(
                day,
                _("%(session)s: %(program)s", session=self.name, program=program.name),
                lines,
                mine,
            )
