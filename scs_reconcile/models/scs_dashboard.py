# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.osv import expression

# a bank's registry comes the next working day: older card payments still
# missing from every registry need a person
REGISTRY_DUE = timedelta(days=3)


class ScsDashboard(models.AbstractModel):
    _inherit = "scs.dashboard"

    @api.model
    def _scs_tiles(self, offices, everything):
        tiles = super()._scs_tiles(offices, everything)
        case_offices = [
            "|",
            ("payment_id.pos_order_id.scs_office_id", "in", offices.ids),
            ("order_line_id.order_id.scs_office_id", "in", offices.ids),
        ]
        tiles += [
            {
                "key": "card_unmatched",
                "label": self.env._("Card payments not in a registry"),
                "help": self.env._("Taken more than three days ago; no bank registry has them."),
                "model": "pos.payment",
                "domain": [
                    ("pos_order_id.scs_office_id", "in", offices.ids),
                    ("scs_acquirer_id", "!=", False),
                    ("scs_registry_row_ids", "=", False),
                    ("amount", "!=", 0),
                    ("payment_date", "<", fields.Datetime.now() - REGISTRY_DUE),
                ],
                "sequence": 30,
            },
            {
                "key": "cases",
                "label": self.env._("Open discrepancy cases"),
                "help": self.env._("Registry and supplier statement differences to settle."),
                "model": "scs.reconcile.case",
                "domain": expression.AND(
                    [[("state", "in", ("open", "in_progress"))], [] if everything else case_offices]
                ),
                "sequence": 31,
            },
        ]
        return tiles
