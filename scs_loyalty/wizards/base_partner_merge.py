# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class MergePartnerAutomatic(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _update_foreign_keys(self, src_partners, dst_partner):
        # Before Odoo moves the cards to the kept partner: one points account per
        # program stays, the others' lots move into it with their days and expiries.
        # Certificates and vouchers are instruments of their own and just follow.
        Card = self.env["loyalty.card"].sudo()
        partners = src_partners | dst_partner
        accounts = Card.search(
            [("partner_id", "in", partners.ids), ("scs_kind", "=", "points")], order="id"
        )
        for program in accounts.program_id:
            mine = accounts.filtered(lambda c, p=program: c.program_id == p)
            target = mine.filtered(lambda c: c.partner_id == dst_partner)[:1] or mine[0]
            if mine - target:
                target._scs_merge_in(mine - target)
        result = super()._update_foreign_keys(src_partners, dst_partner)
        dst_partner._compute_scs_loyalty()
        return result
