# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ScsReconcileCaseClose(models.TransientModel):
    _name = "scs.reconcile.case.close"
    _description = "Close a Reconciliation Case"

    case_id = fields.Many2one("scs.reconcile.case", required=True)
    mode = fields.Selection(
        [("resolve", "Resolved, no entry"), ("write_off", "Write off")],
        required=True,
        default="resolve",
    )
    reason = fields.Text(required=True)

    def action_close(self):
        self.ensure_one()
        if self.mode == "write_off":
            self.case_id.action_write_off(self.reason)
        else:
            self.case_id.action_resolve(self.reason)
        return {"type": "ir.actions.act_window_close"}
