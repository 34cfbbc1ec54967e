# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.scs_loyalty_entry import KINDS


class ScsLoyaltyLiabilityReport(models.Model):
    """What the company owes on certificates, vouchers and points, from their ledger.

    One row per ledger entry, in roubles (points at their value): the sum up to a
    day is the liability the accounts carry on that day. Sales are counted on the
    business day of their session; operations outside the POS on their own day.
    """

    _name = "scs.loyalty.liability.report"
    _description = "Loyalty Liability Analysis"
    _auto = False
    _order = "date desc"
    _rec_name = "entry_id"
    _depends = {
        "scs.loyalty.entry": [
            "card_id",
            "program_id",
            "kind",
            "date",
            "day",
            "value",
            "vat_amount",
            "order_id",
            "company_id",
        ],
        "pos.order": ["scs_office_id", "scs_business_day"],
        "loyalty.program": ["scs_kind"],
    }

    date = fields.Datetime(readonly=True)
    business_day = fields.Date(readonly=True)
    entry_id = fields.Many2one("scs.loyalty.entry", string="Ledger Entry", readonly=True)
    card_id = fields.Many2one("loyalty.card", string="Card", readonly=True)
    program_id = fields.Many2one("loyalty.program", string="Program", readonly=True)
    scs_kind = fields.Selection(
        [
            ("certificate", "Gift Certificates"),
            ("voucher", "Vouchers"),
            ("points", "Bonus Points"),
        ],
        string="Tender",
        readonly=True,
    )
    kind = fields.Selection(KINDS, string="Operation", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    order_id = fields.Many2one("pos.order", string="Order", readonly=True)
    office_id = fields.Many2one("scs.office", string="Sales Office", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    liability = fields.Monetary(readonly=True, help="Added to (+) or taken from (-) the debt.")
    vat_amount = fields.Monetary(string="VAT on Advances", readonly=True)

    def _query(self):
        return SQL(
            """
            SELECT e.id AS id,
                   e.date AS date,
                   COALESCE(o.scs_business_day, e.day) AS business_day,
                   e.id AS entry_id,
                   e.card_id AS card_id,
                   e.program_id AS program_id,
                   lp.scs_kind AS scs_kind,
                   e.kind AS kind,
                   c.partner_id AS partner_id,
                   e.order_id AS order_id,
                   o.scs_office_id AS office_id,
                   e.company_id AS company_id,
                   co.currency_id AS currency_id,
                   e.value AS liability,
                   e.vat_amount AS vat_amount
              FROM scs_loyalty_entry e
              JOIN loyalty_card c ON c.id = e.card_id
              JOIN loyalty_program lp ON lp.id = e.program_id
              JOIN res_company co ON co.id = e.company_id
              LEFT JOIN pos_order o ON o.id = e.order_id
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
