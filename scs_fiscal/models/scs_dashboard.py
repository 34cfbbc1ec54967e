# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models

from .scs_fiscal_document import OPEN_STATES

# a document the queue has not got through in this time needs a person
STUCK_AFTER = timedelta(minutes=15)


class ScsDashboard(models.AbstractModel):
    _inherit = "scs.dashboard"

    @api.model
    def _scs_tiles(self, offices, everything):
        tiles = super()._scs_tiles(offices, everything)
        where = [("config_id.scs_office_id", "in", offices.ids)]
        stuck_since = fields.Datetime.now() - STUCK_AFTER
        tiles += [
            {
                "key": "fiscal_stuck",
                "label": self.env._("Fiscal documents stuck"),
                "help": self.env._("Not fiscalized 15 minutes after the sale, or fate unknown."),
                "model": "scs.fiscal.document",
                "domain": where
                + [
                    "|",
                    ("state", "=", "unknown"),
                    "&",
                    ("state", "in", OPEN_STATES),
                    ("create_date", "<", stuck_since),
                ],
                "sequence": 20,
            },
            {
                "key": "fiscal_failed",
                "label": self.env._("Fiscal documents failed"),
                "help": self.env._("Refused by the register or the service, or to be corrected."),
                "model": "scs.fiscal.document",
                "domain": where + [("state", "in", ("failed", "correction"))],
                "sequence": 21,
            },
        ]
        return tiles
