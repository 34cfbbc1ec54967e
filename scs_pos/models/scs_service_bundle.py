# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class ScsServiceBundle(models.Model):
    """A set of services a cashier adds for one passenger in one click (e.g. 'Comfort')."""

    _name = "scs.service.bundle"
    _description = "Service Bundle"
    _inherit = ["pos.load.mixin"]
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    line_ids = fields.One2many("scs.service.bundle.line", "bundle_id", string="Services", copy=True)

    @api.model
    def _load_pos_data_domain(self, data):
        config = data["pos.config"]["data"][0]
        return [("company_id", "=", config["company_id"]), ("line_ids", "!=", False)]

    @api.model
    def _load_pos_data_fields(self, config_id):
        return ["id", "name", "sequence", "line_ids"]
