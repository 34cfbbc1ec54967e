# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ScsFiscalAgreementWizard(models.TransientModel):
    """Compares every fiscal document of a period with its order, on demand."""

    _name = "scs.fiscal.agreement.wizard"
    _description = "Fiscal Agreement Check"

    date_from = fields.Date(required=True, default=fields.Date.context_today)
    date_to = fields.Date(required=True, default=fields.Date.context_today)
    register_ids = fields.Many2many(
        "scs.fiscal.register", string="Registers", help="All registers when empty."
    )

    def _domain(self):
        domain = [
            ("create_date", ">=", fields.Datetime.to_datetime(self.date_from)),
            ("create_date", "<", fields.Datetime.add(fields.Datetime.to_datetime(self.date_to),
                                                      days=1)),
            ("payload", "!=", False),
            ("order_id", "!=", False),
        ]  # fmt: skip
        if self.register_ids:
            domain.append(("register_id", "in", self.register_ids.ids))
        return domain

    def action_check(self):
        self.ensure_one()
        documents = self.env["scs.fiscal.document"].search(self._domain())
        documents._scs_check_agreement()
        action = self.env["ir.actions.actions"]._for_xml_id("scs_fiscal.scs_fiscal_document_action")
        action["domain"] = [("id", "in", documents.ids)]
        action["context"] = {"search_default_mismatch": 1}
        return action
