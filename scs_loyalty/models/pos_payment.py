# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class PosPayment(models.Model):
    _inherit = "pos.payment"

    scs_loyalty_card_id = fields.Many2one(
        "loyalty.card",
        string="Certificate / Account",
        readonly=True,
        index="btree_not_null",
        help="The certificate, voucher or points account this payment line spends.",
    )
    scs_loyalty_code = fields.Char(
        string="Certificate Code",
        size=24,
        readonly=True,
        help="The code the cashier typed or scanned; the server finds the certificate "
        "or voucher by it.",
    )
    scs_loyalty_entry_ids = fields.One2many(
        "scs.loyalty.entry", "payment_id", string="Ledger Entries", readonly=True
    )
