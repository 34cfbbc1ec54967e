# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from decimal import Decimal

from odoo import api, models

from .pos_order import kopecks


class AccountBankStatementLine(models.Model):
    _inherit = "account.bank.statement.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        if self.env.context.get("scs_cash_move"):
            lines.filtered("pos_session_id")._scs_fiscal_queue_cash_move()
        return lines

    def _scs_fiscal_queue_cash_move(self):
        """Cash in/out are register operations, not fiscal documents: only a local
        register records them (its drawer counter); a cloud service has no drawer."""
        documents = self.env["scs.fiscal.document"].sudo()
        for line in self:
            register = line.pos_session_id.config_id.scs_fiscal_register_id
            if register.kind != "local":
                continue
            kind = "cash_in" if line.amount > 0 else "cash_out"
            documents |= documents.create(
                {
                    "register_id": register.id,
                    "kind": kind,
                    "session_id": line.pos_session_id.id,
                    "config_id": line.pos_session_id.config_id.id,
                    "cash_move_ref": line.payment_ref,
                    "external_id": documents._scs_external_id(kind, f"st{line.id}"),
                    "payload": {"type": kind, "sum": abs(kopecks(line.amount))},
                    "amount_total": abs(Decimal(str(line.amount))),
                }
            )
        return documents
