# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models, tools


class ScsReconcileReport(models.Model):
    """Match rate of the registries per bank, office and day (pivot and graph)."""

    _name = "scs.reconcile.report"
    _description = "Card Reconciliation Analysis"
    _auto = False
    _order = "day desc"

    acquirer_id = fields.Many2one("scs.acquirer", readonly=True)
    office_id = fields.Many2one("scs.office", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    day = fields.Date(string="Operation Day", readonly=True)
    settlement_date = fields.Date(readonly=True)
    status = fields.Selection(
        selection=lambda self: self.env["scs.acquirer.registry.row"]._fields["status"].selection,
        readonly=True,
    )
    row_count = fields.Integer(string="Rows", readonly=True, aggregator="sum")
    settled_count = fields.Integer(string="Settled Rows", readonly=True, aggregator="sum")
    match_rate = fields.Float(
        string="Match Rate (%)",
        readonly=True,
        aggregator="avg",
        help="Share of registry rows that found their POS payment (matched, reversed "
        "pairs, splits, chargebacks on a known sale, fee-only rows).",
    )
    amount = fields.Float(readonly=True, aggregator="sum")
    fee = fields.Float(readonly=True, aggregator="sum")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            """
            CREATE VIEW scs_reconcile_report AS (
                SELECT r.id,
                       r.acquirer_id,
                       r.office_id,
                       r.company_id,
                       -- the office's own day: offices span ten time zones
                       ((r.operation_at AT TIME ZONE 'UTC')
                            AT TIME ZONE COALESCE(o.tz, 'Europe/Moscow'))::date AS day,
                       r.settlement_date,
                       r.status,
                       1 AS row_count,
                       CASE WHEN r.status IN ('MATCHED', 'REVERSED_PAIR', 'SPLIT',
                                              'CHARGEBACK', 'FEE_ONLY')
                            THEN 1 ELSE 0 END AS settled_count,
                       CASE WHEN r.status IN ('MATCHED', 'REVERSED_PAIR', 'SPLIT',
                                              'CHARGEBACK', 'FEE_ONLY')
                            THEN 100.0 ELSE 0.0 END AS match_rate,
                       r.amount,
                       r.fee
                  FROM scs_acquirer_registry_row r
                  LEFT JOIN scs_office o ON o.id = r.office_id
            )
            """
        )
