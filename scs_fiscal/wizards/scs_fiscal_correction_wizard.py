# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ScsFiscalCorrectionWizard(models.TransientModel):
    """Guides a manager through the correction receipt of a failed fiscal document."""

    _name = "scs.fiscal.correction.wizard"
    _description = "Fiscal Correction Receipt"

    document_id = fields.Many2one("scs.fiscal.document", required=True, readonly=True)
    order_id = fields.Many2one(related="document_id.order_id")
    amount_total = fields.Monetary(related="document_id.amount_total")
    currency_id = fields.Many2one(related="document_id.currency_id")
    last_error = fields.Char(related="document_id.last_error")
    basis = fields.Selection(
        [("0", "On our own initiative"), ("1", "By order of the tax service")],
        required=True,
        default="0",
        help="Tag 1173.",
    )
    tax_order_number = fields.Char(help="Tag 1179: the number of the tax service's order.")
    explanation = fields.Text(
        required=True,
        help="Why the settlement was not fiscalized in time: kept in the document's history "
        "for the tax service's questions.",
    )

    @api.onchange("basis")
    def _onchange_basis(self):
        if self.basis == "0":
            self.tax_order_number = False

    def action_confirm(self):
        self.ensure_one()
        if self.basis == "1" and not (self.tax_order_number or "").strip():
            raise UserError(_("A correction by order of the tax service needs the order number."))
        correction = self.document_id._scs_queue_correction(
            int(self.basis), (self.tax_order_number or "").strip()
        )
        correction.message_post(body=self.explanation)
        # a local register's correction is printed by its cash desk's POS, after a sale
        correction._scs_server_side()._scs_advance(force=True)
        return {
            "type": "ir.actions.act_window",
            "res_model": "scs.fiscal.document",
            "res_id": correction.id,
            "view_mode": "form",
        }
