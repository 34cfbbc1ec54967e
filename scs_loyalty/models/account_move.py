# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from decimal import Decimal

from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    scs_certificate_count = fields.Integer(
        string="Certificates", compute="_compute_scs_certificate_count"
    )

    def _compute_scs_certificate_count(self):
        Card = self.env["loyalty.card"].sudo()
        for move in self:
            move.scs_certificate_count = Card.search_count(
                [("scs_invoice_line_id.move_id", "=", move.id)]
            )

    def _invoice_paid_hook(self):
        # a certificate sold in the back office (a corporate customer pays the invoice
        # by bank transfer) exists once its money has come in
        result = super()._invoice_paid_hook()
        for move in self.filtered(lambda m: m.move_type == "out_invoice"):
            move._scs_issue_certificates()
        return result

    def _scs_issue_certificates(self):
        Card = self.env["loyalty.card"]
        day = fields.Date.context_today(self)
        programs = self.env["loyalty.program"]._scs_certificate_programs(self.company_id)
        for line in self.invoice_line_ids.filtered(lambda line: line.product_id):
            program = programs.get(line.product_id)
            if not program:
                continue
            issued = Card.sudo().search([("scs_invoice_line_id", "=", line.id)])
            Card._scs_issue_certificates(
                program,
                self.partner_id,
                line.quantity,
                line.price_total,
                Decimal(str(line.price_total)) - Decimal(str(line.price_subtotal)),
                line.tax_ids[:1].amount,
                f"issue:invoice-line:{line.id}",
                day,
                issued,
                {"scs_invoice_line_id": line.id},
                {"note": self.name},
            )

    def action_scs_certificates(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "scs_loyalty.loyalty_card_action_scs_money"
        )
        action["domain"] = [("scs_invoice_line_id.move_id", "=", self.id)]
        action["context"] = {}
        return action
