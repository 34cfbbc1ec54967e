# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from odoo import fields, models
from odoo.exceptions import UserError


class ScsRegistryImport(models.TransientModel):
    _name = "scs.registry.import"
    _description = "Import an Acquirer Registry"

    acquirer_id = fields.Many2one("scs.acquirer", required=True)
    data = fields.Binary(string="Registry File", required=True)
    filename = fields.Char()

    def action_import(self):
        self.ensure_one()
        data = base64.b64decode(self.data or b"")
        if not data:
            raise UserError(self.env._("The file is empty."))
        registry = self.env["scs.acquirer.registry"]._scs_import(
            self.acquirer_id, data, self.filename or "registry"
        )
        if not registry:
            raise UserError(
                self.env._(
                    "%(file)s was imported before: nothing new in it.",
                    file=self.filename or "registry",
                )
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "scs.acquirer.registry",
            "res_id": registry.id,
            "view_mode": "form",
            "target": "current",
        }
