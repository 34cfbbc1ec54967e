# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class PosPayment(models.Model):
    _inherit = "pos.payment"

    # fixed when the payment is taken: the registry that settles it comes from this bank
    scs_acquirer_id = fields.Many2one(
        "scs.acquirer",
        string="Acquirer",
        compute="_compute_scs_acquirer_id",
        store=True,
        readonly=True,
        index="btree_not_null",
    )

    @api.depends("payment_method_id")
    def _compute_scs_acquirer_id(self):
        # one search for all the payments of a sync, not one per payment
        acquirers = (
            self.env["scs.acquirer"]
            .sudo()
            .search([("payment_method_ids", "in", self.payment_method_id.ids)])
        )
        for payment in self:
            payment.scs_acquirer_id = acquirers.filtered(
                lambda a, p=payment: p.payment_method_id in a.payment_method_ids
                and a.company_id == p.company_id
            )[:1]
