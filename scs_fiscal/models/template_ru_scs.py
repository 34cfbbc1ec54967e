# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models

from odoo.addons.account.models.chart_template import template


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    @template("ru_scs", "account.tax")
    def _get_ru_scs_scs_fiscal_account_tax(self):
        # a 0% rate and "not subject to VAT" are both 0: the receipt must tell them apart
        return {"ru_vat_sale_none": {"scs_ffd_vat": "none"}}
