# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from odoo import fields, models
from odoo.exceptions import UserError


class ScsStatementImport(models.TransientModel):
    _name = "scs.statement.import"
    _description = "Import a Supplier Statement"

    source_id = fields.Many2one("scs.statement.source", string="Supplier", required=True)
    data = fields.Binary(string="Statement File", required=True)
    filename = fields.Char()
    date_from = fields.Date(string="Period From", help="Empty: the first day the statement lists.")
    date_to = fields.Date(string="Period To", help="Empty: the last day the statement lists.")

    def action_import(self):
        self.ensure_one()
        data = base64.b64decode(self.data or b"")
        if not data:
            raise UserError(self.env._("The file is empty."))
        name = self.filename or "statement"
        found = self.env["scs.supplier.statement"]._scs_import(
            self.source_id, data, name, self.date_from or None, self.date_to or None
        )
        if not found:
            raise UserError(
                self.env._("%(file)s was imported before: nothing new in it.", file=name)
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "scs.supplier.statement",
            "res_id": found.id,
            "view_mode": "form",
            "target": "current",
        }
