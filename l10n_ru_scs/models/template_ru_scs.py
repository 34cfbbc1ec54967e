# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, models

from odoo.addons.account.models.chart_template import template


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    @template("ru_scs")
    def _get_ru_scs_template_data(self):
        return {
            "name": _("Russia - chart of accounts (SCS)"),
            "country": "base.ru",
            "code_digits": "2",
            "property_account_receivable_id": "ru_62_01",
            "property_account_payable_id": "ru_60_01",
            "property_account_income_categ_id": "ru_90_01",
            "property_account_expense_categ_id": "ru_90_02",
            "property_stock_account_input_categ_id": "ru_41_02",
            "property_stock_account_output_categ_id": "ru_41_03",
            "property_stock_valuation_account_id": "ru_41_01",
            "display_invoice_amount_total_words": True,
        }

    @template("ru_scs", "res.company")
    def _get_ru_scs_res_company(self):
        return {
            self.env.company.id: {
                "account_fiscal_country_id": "base.ru",
                "bank_account_code_prefix": "51.",
                "cash_account_code_prefix": "50.",
                "transfer_account_code_prefix": "57.01",
                "account_default_pos_receivable_account_id": "ru_62_04",
                "income_currency_exchange_account_id": "ru_91_01",
                "expense_currency_exchange_account_id": "ru_91_02",
                "default_cash_difference_income_account_id": "ru_91_01",
                "default_cash_difference_expense_account_id": "ru_91_02",
                "account_journal_early_pay_discount_loss_account_id": "ru_91_02",
                "account_journal_early_pay_discount_gain_account_id": "ru_91_01",
                "account_sale_tax_id": "ru_vat_sale_22",
                "account_purchase_tax_id": "ru_vat_purchase_22",
            }
        }

    @template("ru_scs", "account.journal")
    def _get_ru_scs_account_journal(self):
        # the main cash and bank journals post to the synthetic accounts themselves
        return {
            "cash": {"default_account_id": "ru_50_01"},
            "bank": {"default_account_id": "ru_51"},
        }
