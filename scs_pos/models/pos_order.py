# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class PosOrder(models.Model):
    _inherit = "pos.order"

    scs_office_id = fields.Many2one(
        "scs.office",
        string="Sales Office",
        related="session_id.config_id.scs_office_id",
        store=True,
        index=True,
    )

    # A POS retries an order sync until it gets an answer: the uuid is the
    # idempotency key, so a replay that slips past sync_from_ui's lookup (two
    # concurrent requests) fails in the database instead of making a twin order.
    _sql_constraints = [
        ("scs_uuid_uniq", "unique(uuid)", "A POS order with this UUID already exists."),
    ]

    def _prepare_tax_base_line_values(self):
        # set by pos.session._accumulate_amounts when SCS builds the sales itself
        if self.env.context.get("scs_skip_sales"):
            return []
        return super()._prepare_tax_base_line_values()
