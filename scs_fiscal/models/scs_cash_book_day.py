# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime
from decimal import Decimal

from odoo import fields, models

from odoo.addons.scs_pos.models.scs_cash_order import local_midnight_utc


class ScsCashBookDay(models.Model):
    _inherit = "scs.cash.book.day"

    fiscal_cash_sales = fields.Monetary(
        readonly=True, help="Cash of the day's fiscal sale receipts of the desk (tag 1031)."
    )
    fiscal_cash_refunds = fields.Monetary(
        readonly=True, help="Cash of the day's fiscal refund receipts of the desk."
    )
    fiscal_mismatch = fields.Boolean(
        readonly=True,
        index=True,
        help="The day's register cash in the book differs from what the register "
        "fiscalized in the same local day.",
    )

    def _scs_close(self):
        result = super()._scs_close()
        self._scs_fiscal_agreement()
        return result

    def _scs_fiscal_agreement(self):
        """Compare the day's register cash orders with the cash of the fiscal receipts
        the desk's register made in the same local day (a shift that crosses midnight
        agrees in sum over its days: each receipt counts on its own day)."""
        for sheet in self:
            if not sheet.config_id.scs_fiscal_register_id:
                continue
            tz = sheet.office_id.tz
            start = local_midnight_utc(sheet.day, tz)
            end = local_midnight_utc(sheet.day + datetime.timedelta(days=1), tz)
            documents = (
                self.env["scs.fiscal.document"]
                .sudo()
                .search(
                    [
                        ("config_id", "=", sheet.config_id.id),
                        ("kind", "in", ("sale", "refund")),
                        ("state", "in", ("done", "corrected")),
                        ("fiscal_moment", ">=", start),
                        ("fiscal_moment", "<", end),
                    ]
                )
            )
            fiscal = {1: Decimal(0), 2: Decimal(0)}
            for document in documents:
                payload = document.payload or {}
                operation = payload.get("1054")
                if operation in fiscal:
                    fiscal[operation] += Decimal(payload.get("1031", 0)) / 100
            orders = sheet.order_ids
            book_sales = sum(
                (Decimal(str(o.amount)) for o in orders if o.source == "register_sales"),
                Decimal(0),
            )
            book_refunds = sum(
                (Decimal(str(o.amount)) for o in orders if o.source == "register_refunds"),
                Decimal(0),
            )
            mismatch = fiscal[1] != book_sales or fiscal[2] != book_refunds
            sheet.write(
                {
                    "fiscal_cash_sales": float(fiscal[1]),
                    "fiscal_cash_refunds": float(fiscal[2]),
                    "fiscal_mismatch": mismatch,
                }
            )
            if mismatch:
                fiscal_sales, fiscal_refunds = f"{fiscal[1]:.2f}", f"{fiscal[2]:.2f}"
                ours_sales, ours_refunds = f"{book_sales:.2f}", f"{book_refunds:.2f}"
                sheet.message_post(
                    body=self.env._(
                        "The register fiscalized %(fiscal_sales)s of cash sales and "
                        "%(fiscal_refunds)s of cash refunds this day; the book holds "
                        "%(book_sales)s and %(book_refunds)s. Check the late or unsent "
                        "receipts.",
                        fiscal_sales=fiscal_sales,
                        fiscal_refunds=fiscal_refunds,
                        book_sales=ours_sales,
                        book_refunds=ours_refunds,
                    )
                )
