# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime
from decimal import Decimal

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..engine import cashbook
from ..engine.words import amount_in_words_ru

SOURCES = [
    ("cash_move", "Cash in / out"),
    ("register_sales", "Register cash sales of the day"),
    ("register_refunds", "Register cash refunds of the day"),
    ("correction", "Correction"),
    ("count_difference", "Cash count difference"),
]
#: what only the issuing code writes
_WRITABLE = {"book_day_id", "message_main_attachment_id"}


class ScsCashOrder(models.Model):
    """A cash receipt order (KO-1) or cash payment order (KO-2) of a cash desk.

    Issued by the operation itself, numbered without gaps per office, form and
    year, and never changed afterwards: a mistake is put right by a correction
    order on the current day.
    """

    _name = "scs.cash.order"
    _description = "Cash Order (KO-1, KO-2)"
    _inherit = ["mail.thread"]
    _order = "moment desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "counterparty", "basis"]

    name = fields.Char(compute="_compute_name", store=True)
    kind = fields.Selection(
        [(cashbook.INCOMING, "Receipt (KO-1)"), (cashbook.OUTGOING, "Payment (KO-2)")],
        required=True,
        readonly=True,
    )
    number = fields.Integer(required=True, readonly=True, aggregator=None)
    year = fields.Integer(required=True, readonly=True, aggregator=None)
    config_id = fields.Many2one(
        "pos.config", string="Cash Desk", required=True, readonly=True, index=True
    )
    office_id = fields.Many2one("scs.office", required=True, readonly=True, index=True)
    company_id = fields.Many2one(related="office_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    day = fields.Date(required=True, readonly=True, index=True, help="The office's local day.")
    moment = fields.Datetime(required=True, readonly=True)
    amount = fields.Monetary(required=True, readonly=True)
    amount_words = fields.Char(
        string="Amount in Words", compute="_compute_amount_words", store=True
    )
    counterparty = fields.Char(string="Received From / Paid To", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Counterparty", readonly=True)
    basis = fields.Char(readonly=True)
    reason_id = fields.Many2one("scs.cash.reason", readonly=True)
    account_code = fields.Char(string="Corresponding Account", readonly=True)
    source = fields.Selection(SOURCES, required=True, readonly=True)
    session_id = fields.Many2one("pos.session", readonly=True, index="btree_not_null")
    statement_line_id = fields.Many2one(
        "account.bank.statement.line", string="Cash Move", readonly=True, index="btree_not_null"
    )
    correction_of_id = fields.Many2one(
        "scs.cash.order", string="Corrects", readonly=True, index="btree_not_null"
    )
    payment_ids = fields.One2many(
        "pos.payment", "scs_cash_order_id", string="Register Cash Payments", readonly=True
    )
    cashier_id = fields.Many2one("res.users", string="Cashier", readonly=True)
    cashier_name = fields.Char(readonly=True)
    accountant_name = fields.Char(string="Chief Accountant", readonly=True)
    head_name = fields.Char(string="Head", readonly=True)
    key = fields.Char(required=True, readonly=True, copy=False)
    book_day_id = fields.Many2one(
        "scs.cash.book.day", string="Cash Book Sheet", readonly=True, index=True
    )

    _sql_constraints = [
        (
            "number_uniq",
            "unique(office_id, kind, year, number)",
            "A cash order number is used once per office, form and year.",
        ),
        ("key_uniq", "unique(key)", "This operation already has its cash order."),
        ("amount_positive", "CHECK (amount > 0)", "A cash order amount is positive."),
    ]

    @api.depends("kind", "number", "day")
    def _compute_name(self):
        for order in self:
            form = "KO-1" if order.kind == cashbook.INCOMING else "KO-2"
            order.name = f"{form} {order.number} / {order.day or ''}"

    @api.depends("amount")
    def _compute_amount_words(self):
        for order in self:
            order.amount_words = amount_in_words_ru(Decimal(str(order.amount or 0)))

    def write(self, vals):
        if set(vals) - _WRITABLE and not self.env.context.get("scs_cash_order_issue"):
            raise UserError(
                self.env._("A cash order is never changed: issue a correction order instead.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("A cash order is never deleted: issue a correction order."))

    # -- issuing ---------------------------------------------------------------------

    @api.model
    def _scs_issue(self, config, kind, amount, source, key, moment=None, day=None, **values):
        """Issue the cash order of one operation, or return the one ``key`` already
        issued. ``day`` defaults to the office's local day of ``moment`` (now)."""
        existing = self.sudo().search([("key", "=", key)])
        if existing:
            return existing
        office = config.scs_office_id
        if not office:
            raise UserError(
                self.env._(
                    "Cash desk %(desk)s belongs to no office: its cash book cannot be kept.",
                    desk=config.name,
                )
            )
        amount = Decimal(str(amount)).quantize(Decimal("0.01"))
        if amount <= 0:
            raise UserError(self.env._("A cash order amount must be positive."))
        moment = moment or fields.Datetime.now()
        tz = pytz.timezone(office.tz)
        day = day or cashbook.local_day(moment, tz)
        Sheet = self.env["scs.cash.book.day"]
        sheet = Sheet._scs_sheet(config, day)
        if (
            kind == cashbook.OUTGOING
            and Decimal(str(sheet.closing)) < amount
            and source != "register_refunds"
        ):
            # register cash is booked at the day's end, or before cash leaves the desk
            Sheet._scs_register_orders(config, day, until=moment)
            sheet.invalidate_recordset(["closing"])
        # a shortage found at the count is booked whatever the book says: it is the fact
        if (
            kind == cashbook.OUTGOING
            and source != "count_difference"
            and Decimal(str(sheet.closing)) < amount
        ):
            # the later days' sheets only move with it, the day's balance decides
            balance, wanted = f"{sheet.closing:.2f}", f"{amount:.2f}"  # no f-string in _()
            raise UserError(
                self.env._(
                    "Cash desk %(desk)s holds %(balance)s on %(day)s: it cannot pay out "
                    "%(amount)s.",
                    desk=config.name,
                    balance=balance,
                    day=day,
                    amount=wanted,
                )
            )
        sequence = office._scs_cash_sequence(kind)
        number = int(sequence._next(sequence_date=day))
        company = office.company_id
        user = self.env.user
        order = (
            self.sudo()
            .with_context(scs_cash_order_issue=True)
            .create(
                {
                    "kind": kind,
                    "number": number,
                    "year": day.year,
                    "config_id": config.id,
                    "office_id": office.id,
                    "day": day,
                    "moment": moment,
                    "amount": float(amount),
                    "source": source,
                    "key": key,
                    "book_day_id": sheet.id,
                    "cashier_id": user.id,
                    "cashier_name": user.name,
                    "accountant_name": company.scs_chief_accountant_name or "",
                    "head_name": company.scs_head_name or "",
                    **values,
                }
            )
        )
        sheet._scs_add(order)
        return order.with_env(self.env)

    def action_correct(self):
        """Reverse this order by an order of the other form on the current day: a
        closed day's sheet is never edited."""
        self.ensure_one()
        self.check_access("write")
        kind = cashbook.OUTGOING if self.kind == cashbook.INCOMING else cashbook.INCOMING
        correction = self._scs_issue(
            self.config_id,
            kind,
            self.amount,
            "correction",
            f"correction:{self.id}",
            counterparty=self.counterparty,
            partner_id=self.partner_id.id,
            basis=self.env._("Correction of %(order)s", order=self.name),
            account_code=self.account_code,
            correction_of_id=self.id,
        )
        self.message_post(body=self.env._("Corrected by %(order)s.", order=correction.name))
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": correction.id,
            "view_mode": "form",
        }

    def action_print(self):
        return self.env.ref("scs_pos.action_report_scs_cash_order").report_action(self)

    def _scs_cash_account_code(self):
        """The desk's cash account (50.01) as the order's other side prints it."""
        self.ensure_one()
        method = self.config_id.payment_method_ids.filtered("is_cash_count")[:1]
        account = method.journal_id.default_account_id.with_company(self.company_id)
        return account.code or "50.01"

    def _scs_party_line(self):
        """The cash book's "received from / paid to" text."""
        self.ensure_one()
        party = self.counterparty or self.partner_id.name or ""
        return "; ".join(p for p in (party, self.basis or "") if p)

    def _scs_engine(self):
        return [
            cashbook.CashOrder(
                key=o.id,
                kind=o.kind,
                number=o.number,
                at=o.moment,
                amount=Decimal(str(o.amount)).quantize(Decimal("0.01")),
                counterparty=o.counterparty or o.partner_id.name or "",
                account=o.account_code or "",
                basis=o.basis or "",
            )
            for o in self
        ]


def local_midnight_utc(day, tz_name):
    """The UTC moment a local day starts."""
    tz = pytz.timezone(tz_name)
    start = tz.localize(datetime.datetime.combine(day, datetime.time()))
    return start.astimezone(pytz.utc).replace(tzinfo=None)
