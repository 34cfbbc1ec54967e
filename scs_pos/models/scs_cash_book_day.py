# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime
from collections import defaultdict
from decimal import Decimal

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..adapters.cashbook_xlsx import long_date
from ..engine import cashbook
from ..engine.words import count_in_words_ru
from .scs_cash_order import local_midnight_utc

SOLD = ("paid", "done", "invoiced")
AMOUNTS = ["opening", "income", "expense", "closing", "incoming_count", "outgoing_count"]


class ScsCashBookDay(models.Model):
    """One sheet of a cash desk's cash book (KO-4): a local day of its office.

    Kept up to date as orders are issued; the opening balance is the closing
    balance of the desk's previous sheet. Once the day has ended its register cash
    becomes its two daily orders and the sheet is closed for good.
    """

    _name = "scs.cash.book.day"
    _description = "Cash Book Sheet (KO-4)"
    _inherit = ["mail.thread"]
    _order = "day desc, config_id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    config_id = fields.Many2one(
        "pos.config", string="Cash Desk", required=True, readonly=True, index=True
    )
    office_id = fields.Many2one("scs.office", required=True, readonly=True, index=True)
    company_id = fields.Many2one(related="office_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    day = fields.Date(required=True, readonly=True, index=True)
    number = fields.Integer(
        string="Sheet", required=True, readonly=True, aggregator=None, help="Within the year."
    )
    opening = fields.Monetary(string="Opening Balance", readonly=True)
    income = fields.Monetary(string="Received", readonly=True)
    expense = fields.Monetary(string="Paid Out", readonly=True)
    closing = fields.Monetary(string="Closing Balance", readonly=True)
    incoming_count = fields.Integer(string="Receipt Orders", readonly=True)
    outgoing_count = fields.Integer(string="Payment Orders", readonly=True)
    order_ids = fields.One2many("scs.cash.order", "book_day_id", string="Cash Orders")
    state = fields.Selection(
        [("open", "Open"), ("closed", "Closed")],
        default="open",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    closed_at = fields.Datetime(readonly=True)
    cash_limit = fields.Monetary(readonly=True, help="The office's limit when the day closed.")
    over_limit = fields.Monetary(
        string="Above the Limit",
        readonly=True,
        help="What the closing balance holds above the office's cash limit: to be "
        "deposited with the bank.",
    )

    _sql_constraints = [
        ("config_day_uniq", "unique(config_id, day)", "A cash desk has one sheet per day."),
    ]

    @api.depends("config_id.name", "day", "number")
    def _compute_name(self):
        for sheet in self:
            sheet.name = f"{sheet.config_id.name} {sheet.day} ({sheet.number})"

    # -- keeping the book ----------------------------------------------------------------

    @api.model
    def _scs_sheet(self, config, day):
        """The desk's open sheet of ``day``, created with the previous closing balance;
        the desk's row is locked so that two tills never number a sheet twice."""
        self.env.cr.execute(SQL("SELECT id FROM pos_config WHERE id = %s FOR UPDATE", config.id))
        Sheet = self.sudo()
        sheet = Sheet.search([("config_id", "=", config.id), ("day", "=", day)])
        if sheet:
            if sheet.state == "closed":
                raise UserError(
                    self.env._(
                        "The cash book of %(desk)s for %(day)s is closed: put it right by a "
                        "correction order on the current day.",
                        desk=config.name,
                        day=day,
                    )
                )
            return sheet
        before = Sheet.search(
            [("config_id", "=", config.id), ("day", "<", day)], order="day desc", limit=1
        )
        if Sheet.search_count(
            [("config_id", "=", config.id), ("day", ">", day), ("state", "=", "closed")]
        ):
            raise UserError(
                self.env._(
                    "The cash book of %(desk)s is closed after %(day)s.", desk=config.name, day=day
                )
            )
        same_year = Sheet.search_count(
            [
                ("config_id", "=", config.id),
                ("day", ">=", datetime.date(day.year, 1, 1)),
                ("day", "<", day),
            ]
        )
        later = Sheet.search([("config_id", "=", config.id), ("day", ">", day)])
        sheet = Sheet.create(
            {
                "config_id": config.id,
                "office_id": config.scs_office_id.id,
                "day": day,
                "number": same_year + 1,
                "opening": before.closing,
                "closing": before.closing,
            }
        )
        # a sheet of a past day that only now gets its first order renumbers the year
        for other in later.filtered(lambda s, y=day.year: s.day.year == y):
            other.number += 1
        return sheet

    def _scs_add(self, order):
        """Count ``order`` in its sheet, and carry the change to the later sheets."""
        self.ensure_one()
        # the desk's row is locked: read the sheet as it is now, not as cached before
        # an order issued on the way (a collection's register cash)
        self.invalidate_recordset(AMOUNTS)
        signed = order.amount if order.kind == cashbook.INCOMING else -order.amount
        values = {"closing": self.closing + signed}
        if order.kind == cashbook.INCOMING:
            values.update(income=self.income + order.amount, incoming_count=self.incoming_count + 1)
        else:
            values.update(
                expense=self.expense + order.amount, outgoing_count=self.outgoing_count + 1
            )
        self.write(values)
        if self.env.context.get("scs_cash_carry_later", True):
            # register orders carry theirs once per day (_scs_register_orders)
            self._scs_shift(self.config_id, self.day, None, signed)

    @api.model
    def _scs_shift(self, config, after, upto, signed):
        """Move the opening and closing balances of the desk's sheets after ``after``
        (up to ``upto`` included; None: no bound) by ``signed``, in one statement: a
        write per sheet made a year of register orders quadratic, and so would an
        update per order (each row version is read again by the next searches)."""
        if not signed:
            return
        self.flush_model(["opening", "closing"])
        self.env.cr.execute(
            SQL(
                """
                UPDATE scs_cash_book_day
                   SET opening = opening + %(signed)s, closing = closing + %(signed)s,
                       write_date = %(now)s, write_uid = %(uid)s
                 WHERE config_id = %(config)s AND day > %(after)s
                   AND (%(upto)s::date IS NULL OR day <= %(upto)s::date)
                """,
                signed=Decimal(str(signed)).quantize(Decimal("0.01")),
                now=self.env.cr.now(),
                uid=self.env.uid,
                config=config.id,
                after=after,
                upto=upto,
            )
        )
        self.invalidate_model(["opening", "closing", "write_date", "write_uid"])

    # -- closing days --------------------------------------------------------------------

    @api.model
    def _cron_scs_close_days(self, now=None):
        """Close every cash book day that has ended in its office (plus the office's
        grace hours for late syncs), issuing its register cash orders first."""
        now = now or fields.Datetime.now()
        configs = self.env["pos.config"].sudo().search([("scs_office_id", "!=", False)])
        for config in configs:
            office = config.scs_office_id
            tz = pytz.timezone(office.tz)
            local_now = pytz.utc.localize(now).astimezone(tz).replace(tzinfo=None)
            last_ended = (local_now - datetime.timedelta(hours=office.scs_cash_grace_hours)).date()
            last_ended -= datetime.timedelta(days=1)
            self._scs_close_until(config, last_ended)

    @api.model
    def _scs_close_until(self, config, last_day):
        """Issue the register orders of ``config`` up to ``last_day`` and close its
        open sheets up to that day, oldest first."""
        self._scs_register_orders(config, last_day)
        sheets = self.sudo().search(
            [("config_id", "=", config.id), ("day", "<=", last_day), ("state", "=", "open")],
            order="day",
        )
        for sheet in sheets:
            sheet._scs_close()
        return sheets

    @api.model
    def _scs_register_orders(self, config, last_day, until=None):
        """The day's register cash as one receipt and one payment order per local
        day, from the cash payments no order holds yet (up to ``until``, UTC, when
        cash is collected during the day); a payment synced after its day closed
        goes into the first open day's orders."""
        office = config.scs_office_id
        tz = pytz.timezone(office.tz)
        # a collection takes what was sold up to its own second; a day ends at midnight
        bound = ("payment_date", "<=", until) if until else None
        until = until or local_midnight_utc(last_day + datetime.timedelta(days=1), office.tz)
        bound = bound or ("payment_date", "<", until)
        payments = (
            self.env["pos.payment"]
            .sudo()
            .search(
                [
                    ("session_id.config_id", "=", config.id),
                    ("payment_method_id.is_cash_count", "=", True),
                    ("scs_cash_order_id", "=", False),
                    ("pos_order_id.state", "in", SOLD),
                    bound,
                ],
                order="payment_date, id",
            )
        )
        if not payments:
            return
        closed = self.sudo().search(
            [("config_id", "=", config.id), ("state", "=", "closed")], order="day desc", limit=1
        )
        groups = defaultdict(list)
        for payment in payments:
            day = cashbook.local_day(payment.payment_date, tz)
            if closed and day <= closed.day:
                day = closed.day + datetime.timedelta(days=1)  # late: the first open day
            groups[day].append(payment)
        Order = self.env["scs.cash.order"].with_context(scs_cash_carry_later=False)
        _ = self.env._
        # what this run booked is carried to the later sheets once per day: the sheets
        # after the previous day and up to this one move by all booked before them
        shift, previous = Decimal(0), None
        for day in sorted(groups):
            if previous:
                self._scs_shift(config, previous, day, shift)
            previous = day
            cash = groups[day]
            end = local_midnight_utc(day + datetime.timedelta(days=1), office.tz)
            moment = end - datetime.timedelta(seconds=1)
            for kind, source, sign, basis in (
                (cashbook.INCOMING, "register_sales", 1, _("Cash sales through the register")),
                (cashbook.OUTGOING, "register_refunds", -1, _("Cash refunds through the register")),
            ):
                mine = self.env["pos.payment"].concat(*[p for p in cash if p.amount * sign > 0])
                if not mine:
                    continue
                total = sum((Decimal(str(p.amount)) for p in mine), Decimal(0)) * sign
                key = f"register:{config.id}:{day}:{kind}:{min(mine.ids)}"
                if not Order.sudo().search_count([("key", "=", key)]):
                    shift += total.quantize(Decimal("0.01")) * sign
                order = Order._scs_issue(
                    config,
                    kind,
                    total,
                    source,
                    key,
                    # a collection's own moment, else the day's last second
                    moment=min(moment, until, fields.Datetime.now()),
                    day=day,
                    counterparty=_("Cash register of %(desk)s", desk=config.name),
                    basis=basis,
                    account_code=office.scs_cash_sales_account_id.code
                    if kind == cashbook.INCOMING
                    else office.scs_cash_refunds_account_id.code or "",
                )
                mine.write({"scs_cash_order_id": order.id})
        self._scs_shift(config, previous, None, shift)

    def _scs_close(self):
        self.ensure_one()
        office = self.office_id
        limit = office.scs_cash_limit if office.scs_cash_limit_applies else None
        closing = Decimal(str(self.closing)).quantize(Decimal("0.01"))
        over = Decimal(0)
        if limit and closing > Decimal(str(limit)) and not office._scs_limit_exempt(self.day):
            over = closing - Decimal(str(limit))
        self.write(
            {
                "state": "closed",
                "closed_at": fields.Datetime.now(),
                "cash_limit": limit or 0.0,
                "over_limit": float(over),
            }
        )
        if over:
            above = f"{over:.2f}"  # babel reads no f-string inside the translated call
            self.message_post(
                body=self.env._(
                    "The desk holds %(over)s above the office's cash limit: deposit it with "
                    "the bank.",
                    over=above,
                )
            )

    def action_close(self):
        """Close the day by hand (a manager, once the desk's day is over)."""
        self.check_access("write")
        for sheet in self.sorted("day"):
            if sheet.state == "closed":
                continue
            office = sheet.office_id
            today = cashbook.local_day(fields.Datetime.now(), pytz.timezone(office.tz))
            if sheet.day >= today:
                raise UserError(
                    self.env._(
                        "%(day)s has not ended in %(office)s yet.",
                        day=sheet.day,
                        office=office.name,
                    )
                )
            self._scs_close_until(sheet.config_id, sheet.day)

    def action_print(self):
        return self.env.ref("scs_pos.action_report_scs_cash_book").report_action(self)

    # -- the printed sheet -------------------------------------------------------------

    def _scs_long_day(self):
        return long_date(self.day)

    def _scs_cashier_names(self):
        return ", ".join(sorted(set(self.order_ids.mapped("cashier_name")) - {False, ""}))

    def _scs_count_words(self, kind):
        count = self.incoming_count if kind == cashbook.INCOMING else self.outgoing_count
        return count_in_words_ru(count)
