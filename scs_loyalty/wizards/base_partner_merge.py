# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class MergePartnerAutomatic(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        # Odoo moves the cards' customer to the kept partner; two points accounts
        # in one program then become one, their lots kept with their days and expiries
        partners = self.env["res.partner"].browse(partner_ids).exists()
        cards = partners.scs_loyalty_card_ids
        result = super()._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)
        cards = cards.exists()
        cards.invalidate_recordset(["partner_id"])
        kept = cards.partner_id[:1]
        for program in cards.filtered(lambda c: c.scs_kind == "points").program_id:
            accounts = cards.filtered(lambda c, p=program: c.program_id == p).sorted("id")
            if len(accounts) > 1:
                accounts[0]._scs_merge_in(accounts[1:])
        if kept:
            kept._compute_scs_loyalty()
            (partners - kept).exists()._compute_scs_loyalty()
        return result
