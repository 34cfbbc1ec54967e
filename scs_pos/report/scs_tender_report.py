# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models, tools
from odoo.tools import SQL


class ScsTenderReport(models.Model):
    """Tenders taken and given back, by office, desk, employee and payment method.

    One row per POS payment (change given is a payment too), on the office's
    business day of the order's session.
    """

    _name = "scs.tender.report"
    _description = "Airline Tenders Analysis"
    _auto = False
    _order = "date desc"
    _rec_name = "payment_id"
    _depends = {
        "pos.payment": [
            "pos_order_id",
            "payment_method_id",
            "amount",
            "payment_date",
            "is_change",
            "scs_tender_kind",
        ],
        "pos.order": ["session_id", "scs_office_id", "scs_business_day", "user_id", "state"],
        "pos.session": ["config_id"],
    }

    date = fields.Datetime(readonly=True)
    business_day = fields.Date(
        readonly=True, help="The office's local day on which the order's session was opened."
    )
    payment_id = fields.Many2one("pos.payment", string="Payment", readonly=True)
    order_id = fields.Many2one("pos.order", string="Order", readonly=True)
    session_id = fields.Many2one("pos.session", string="Session", readonly=True)
    config_id = fields.Many2one("pos.config", string="Cash Desk", readonly=True)
    office_id = fields.Many2one("scs.office", string="Sales Office", readonly=True)
    user_id = fields.Many2one("res.users", string="Employee", readonly=True)
    payment_method_id = fields.Many2one("pos.payment.method", readonly=True)
    tender_kind = fields.Selection(
        [("cash", "Cash"), ("card", "Card"), ("other", "Other")], readonly=True
    )
    refund = fields.Boolean(readonly=True, help="Money given back (a refund or the change).")
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    amount = fields.Monetary(readonly=True)
    taken = fields.Monetary(readonly=True)
    given_back = fields.Monetary(readonly=True)

    def _query(self):
        return SQL(
            """
            SELECT p.id AS id,
                   p.payment_date AS date,
                   o.scs_business_day AS business_day,
                   p.id AS payment_id,
                   o.id AS order_id,
                   o.session_id AS session_id,
                   ps.config_id AS config_id,
                   o.scs_office_id AS office_id,
                   o.user_id AS user_id,
                   p.payment_method_id AS payment_method_id,
                   p.scs_tender_kind AS tender_kind,
                   p.amount < 0 AS refund,
                   o.company_id AS company_id,
                   co.currency_id AS currency_id,
                   p.amount AS amount,
                   GREATEST(p.amount, 0) AS taken,
                   LEAST(p.amount, 0) AS given_back
              FROM pos_payment p
              JOIN pos_order o ON o.id = p.pos_order_id
              JOIN pos_session ps ON ps.id = o.session_id
              JOIN res_company co ON co.id = o.company_id
             WHERE o.state IN ('paid', 'done', 'invoiced')
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
