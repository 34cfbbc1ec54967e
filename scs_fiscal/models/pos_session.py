# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class PosSession(models.Model):
    _inherit = "pos.session"

    def try_cash_in_out(self, _type, amount, reason, extras):
        return super(PosSession, self.with_context(scs_cash_move=_type)).try_cash_in_out(
            _type, amount, reason, extras
        )
