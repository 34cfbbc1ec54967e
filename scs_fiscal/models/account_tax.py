# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

FFD_VATS = [
    ("vat22", "22%"),
    ("vat20", "20% (until 2025)"),
    ("vat10", "10%"),
    ("vat7", "7%"),
    ("vat5", "5%"),
    ("vat0", "0%"),
    ("none", "Not subject to VAT"),
]
#: the calculated rate (22/122 ...) an advance or prepayment line takes instead
CALCULATED = {"vat22": "vat122", "vat20": "vat120", "vat10": "vat110", "vat7": "vat107",
              "vat5": "vat105"}  # fmt: skip


class AccountTax(models.Model):
    _inherit = "account.tax"

    scs_ffd_vat = fields.Selection(
        FFD_VATS,
        string="Fiscal VAT Rate",
        compute="_compute_scs_ffd_vat",
        store=True,
        readonly=False,
        copy=False,
        help="FFD 1.2 tag 1199 of the receipt lines this tax applies to. A 0% tax is "
        "'0%' unless it is set to 'Not subject to VAT'.",
    )

    @api.depends("amount", "amount_type")
    def _compute_scs_ffd_vat(self):
        known = {value for value, _label in FFD_VATS}
        for tax in self:
            key = f"vat{int(tax.amount)}" if tax.amount_type == "percent" else False
            if tax.scs_ffd_vat == "none" and not tax.amount:
                continue
            tax.scs_ffd_vat = key if key in known and tax.amount == int(tax.amount) else False
