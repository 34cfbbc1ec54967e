# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models, tools

from .scs_supplier_statement import DOCUMENT_KEY_SQL


class PosOrderLine(models.Model):
    _inherit = "pos.order.line"

    scs_statement_row_ids = fields.Many2many(
        "scs.supplier.statement.row",
        "scs_statement_row_pos_line_rel",
        "line_id",
        "row_id",
        string="Supplier Statement Rows",
        readonly=True,
    )

    def init(self):
        result = super().init()
        # supplier statements look our lines up by normalised document number
        tools.create_index(
            self.env.cr,
            "pos_order_line_scs_document_key_index",
            self._table,
            [DOCUMENT_KEY_SQL],
            where="scs_document_number IS NOT NULL",
        )
        return result
