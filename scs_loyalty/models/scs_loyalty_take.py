# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class ScsLoyaltyTake(models.Model):
    """What a debit took from one credit (first-in first-out), or a re-credit gave back
    to it (negative): it says which lot expires, and which VAT a certificate's
    redemption deducts back."""

    _name = "scs.loyalty.take"
    _description = "Loyalty Lot Use"
    _order = "id"

    entry_id = fields.Many2one(
        "scs.loyalty.entry", required=True, readonly=True, index=True, ondelete="restrict"
    )
    lot_id = fields.Many2one(
        "scs.loyalty.entry", required=True, readonly=True, index=True, ondelete="restrict"
    )
    amount = fields.Float(digits=(16, 2), readonly=True)
    currency_id = fields.Many2one("res.currency", related="entry_id.currency_id")
    vat_amount = fields.Monetary(string="VAT", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get("scs_loyalty_post"):
            raise UserError(self.env._("Loyalty ledger entries are written by the operations."))
        return super().create(vals_list)

    def write(self, vals):
        if vals:
            raise UserError(self.env._("Loyalty ledger entries cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Loyalty ledger entries cannot be deleted."))
