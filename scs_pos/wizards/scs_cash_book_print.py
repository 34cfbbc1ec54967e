# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..adapters import cashbook_xlsx
from ..engine import cashbook


class ScsCashBookPrint(models.TransientModel):
    _name = "scs.cash.book.print"
    _description = "Print the Cash Book"

    config_id = fields.Many2one(
        "pos.config", string="Cash Desk", required=True, domain="[('scs_office_id', '!=', False)]"
    )
    date_from = fields.Date(required=True, default=lambda self: fields.Date.context_today(self))
    date_to = fields.Date(required=True, default=lambda self: fields.Date.context_today(self))
    output = fields.Selection(
        [("pdf", "PDF"), ("xlsx", "XLSX")], string="Format", required=True, default="pdf"
    )

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise UserError(self.env._("The period ends before it starts."))

    def _scs_sheets(self):
        self.ensure_one()
        sheets = self.env["scs.cash.book.day"].search(
            [
                ("config_id", "=", self.config_id.id),
                ("day", ">=", self.date_from),
                ("day", "<=", self.date_to),
            ],
            order="day",
        )
        if not sheets:
            raise UserError(
                self.env._(
                    "%(desk)s has no cash operations from %(start)s to %(end)s: a day without "
                    "them has no cash book sheet.",
                    desk=self.config_id.name,
                    start=self.date_from,
                    end=self.date_to,
                )
            )
        return sheets

    def action_print(self):
        sheets = self._scs_sheets()
        if self.output == "pdf":
            return self.env.ref("scs_pos.action_report_scs_cash_book").report_action(sheets)
        data = cashbook_xlsx.write(_book(sheets), _header(sheets))
        name = f"KO-4 {self.config_id.name} {self.date_from}-{self.date_to}.xlsx"
        attachment = self.env["ir.attachment"].create(
            {
                "name": name,
                "datas": base64.b64encode(data),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }


def _money(value):
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _book(sheets):
    """The stored sheets as the engine's book: what was kept, not a recomputation."""
    found = tuple(
        cashbook.Sheet(
            day=s.day,
            number=s.number,
            opening=_money(s.opening),
            orders=tuple(
                sorted(
                    s.order_ids._scs_engine(),
                    key=lambda o: (o.at, o.kind != cashbook.INCOMING, o.number),
                )
            ),
            income=_money(s.income),
            expense=_money(s.expense),
            closing=_money(s.closing),
            incoming_count=s.incoming_count,
            outgoing_count=s.outgoing_count,
            over_limit=_money(s.over_limit),
        )
        for s in sheets
    )
    return cashbook.Book(sheets=found, opening=found[0].opening, closing=found[-1].closing)


def _header(sheets):
    first = sheets[:1]
    return {
        "organisation": first.company_id.name,
        "okpo": first.company_id.company_registry or "",
        "division": f"{first.office_id.name}, {first.config_id.name}",
        "cashier": ", ".join(sorted(set(sheets.order_ids.mapped("cashier_name")) - {False, ""})),
        "accountant": first.company_id.scs_chief_accountant_name or "",
    }
