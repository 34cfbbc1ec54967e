# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models, tools
from odoo.tools import SQL


class ScsSalesReport(models.Model):
    """Sales by service, office, employee and supplier, own and agent apart.

    One row per POS order line; the pivot view exports to XLSX.
    """

    _name = "scs.sales.report"
    _description = "Airline Sales Analysis"
    _auto = False
    _order = "date desc"
    _rec_name = "order_id"
    # pending ORM writes on these fields are flushed before the view is read
    _depends = {
        "pos.order.line": [
            "order_id",
            "product_id",
            "qty",
            "price_subtotal",
            "price_subtotal_incl",
            "scs_booking_ref",
            "scs_passenger_name",
        ],
        "pos.order": [
            "date_order",
            "session_id",
            "scs_office_id",
            "scs_business_day",
            "user_id",
            "state",
            "company_id",
        ],
        "pos.session": ["config_id"],
        "product.product": ["product_tmpl_id"],
        "product.template": ["scs_service_kind", "scs_supplier_id"],
        "res.company": ["currency_id"],
    }

    date = fields.Datetime(readonly=True)
    business_day = fields.Date(
        readonly=True,
        help="The office's local day on which the order's session was opened.",
    )
    refund = fields.Boolean(readonly=True, help="The line gives a service back.")
    order_id = fields.Many2one("pos.order", string="Order", readonly=True)
    session_id = fields.Many2one("pos.session", string="Session", readonly=True)
    config_id = fields.Many2one("pos.config", string="Cash Desk", readonly=True)
    office_id = fields.Many2one("scs.office", string="Sales Office", readonly=True)
    user_id = fields.Many2one("res.users", string="Employee", readonly=True)
    product_id = fields.Many2one("product.product", string="Service", readonly=True)
    service_kind = fields.Selection(
        [("own", "Own service"), ("agent", "Agent service")], readonly=True
    )
    supplier_id = fields.Many2one("res.partner", string="Supplier", readonly=True)
    booking_ref = fields.Char(string="Booking", readonly=True)
    passenger = fields.Char(readonly=True)
    state = fields.Selection(
        [
            ("draft", "New"),
            ("cancel", "Cancelled"),
            ("paid", "Paid"),
            ("done", "Posted"),
            ("invoiced", "Invoiced"),
        ],
        string="Status",
        readonly=True,
    )
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    qty = fields.Float(string="Quantity", readonly=True)
    amount_untaxed = fields.Monetary(string="Untaxed", readonly=True)
    amount_total = fields.Monetary(string="Total", readonly=True)
    own_total = fields.Monetary(string="Own Sales", readonly=True)
    agent_total = fields.Monetary(string="Agent Sales", readonly=True)
    refund_total = fields.Monetary(string="Refunds", readonly=True)

    def _query(self):
        return SQL(
            """
            SELECT l.id AS id,
                   o.date_order AS date,
                   o.scs_business_day AS business_day,
                   l.qty < 0 AS refund,
                   o.id AS order_id,
                   o.session_id AS session_id,
                   ps.config_id AS config_id,
                   o.scs_office_id AS office_id,
                   o.user_id AS user_id,
                   l.product_id AS product_id,
                   pt.scs_service_kind AS service_kind,
                   CASE WHEN pt.scs_service_kind = 'agent'
                        THEN pt.scs_supplier_id END AS supplier_id,
                   l.scs_booking_ref AS booking_ref,
                   l.scs_passenger_name AS passenger,
                   o.state AS state,
                   o.company_id AS company_id,
                   co.currency_id AS currency_id,
                   l.qty AS qty,
                   l.price_subtotal AS amount_untaxed,
                   l.price_subtotal_incl AS amount_total,
                   CASE WHEN pt.scs_service_kind = 'agent' THEN 0
                        ELSE l.price_subtotal_incl END AS own_total,
                   CASE WHEN pt.scs_service_kind = 'agent' THEN l.price_subtotal_incl
                        ELSE 0 END AS agent_total,
                   CASE WHEN l.qty < 0 THEN l.price_subtotal_incl ELSE 0 END AS refund_total
              FROM pos_order_line l
              JOIN pos_order o ON o.id = l.order_id
              JOIN pos_session ps ON ps.id = o.session_id
              JOIN res_company co ON co.id = o.company_id
              JOIN product_product pp ON pp.id = l.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE o.state != 'cancel'
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
