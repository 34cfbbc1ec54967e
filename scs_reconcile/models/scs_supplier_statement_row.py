# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from ..engine import statement
from .scs_supplier_statement import STATUSES


class ScsSupplierStatementRow(models.Model):
    _name = "scs.supplier.statement.row"
    _description = "Supplier Statement Row"
    _order = "statement_id desc, line"

    statement_id = fields.Many2one(
        "scs.supplier.statement", required=True, readonly=True, ondelete="cascade", index=True
    )
    source_id = fields.Many2one("scs.statement.source", required=True, readonly=True, index=True)
    company_id = fields.Many2one(related="source_id.company_id", store=True, precompute=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    line = fields.Integer(readonly=True)
    key = fields.Char(required=True, readonly=True)
    kind = fields.Selection(
        [(statement.SALE, "Sale"), (statement.REFUND, "Refund")], required=True, readonly=True
    )
    raw_kind = fields.Char(string="Operation Type", readonly=True)
    day = fields.Date(readonly=True, index=True)
    document = fields.Char(readonly=True, index="btree_not_null")
    item = fields.Char(string="Item Code", readonly=True)
    quantity = fields.Float(readonly=True, digits="Product Unit of Measure")
    amount = fields.Monetary(readonly=True)
    commission = fields.Monetary(readonly=True)
    booking = fields.Char(readonly=True)
    passenger = fields.Char(readonly=True)
    status = fields.Selection(STATUSES, readonly=True, index=True)
    rule = fields.Char(readonly=True)
    difference = fields.Monetary(readonly=True, help="The statement's amount less ours.")
    commission_difference = fields.Monetary(
        readonly=True, help="The statement's commission less ours."
    )
    order_line_ids = fields.Many2many(
        "pos.order.line",
        "scs_statement_row_pos_line_rel",
        "row_id",
        "line_id",
        string="Our Sales Lines",
        readonly=True,
    )

    _sql_constraints = [
        ("key_uniq", "unique(source_id, key)", "This statement row was already imported."),
    ]

    @api.model
    def _scs_values(self, row, source, outcome):
        return {
            "source_id": source.id,
            "line": row.line,
            "key": row.key,
            "kind": row.kind,
            "raw_kind": row.raw_kind,
            "day": row.day,
            "document": row.document,
            "item": row.item,
            "quantity": float(row.quantity),
            "amount": float(row.amount),
            "commission": float(row.commission or 0),
            "booking": row.booking,
            "passenger": row.passenger,
            "status": outcome.status,
            "rule": outcome.rule,
            "difference": float(outcome.difference),
            "commission_difference": float(outcome.commission_difference),
            "order_line_ids": [fields.Command.set(list(outcome.line_keys))],
        }
