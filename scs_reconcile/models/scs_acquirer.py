# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime
from decimal import Decimal

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..engine import matching


def _tz_get(self):
    return [(tz, tz) for tz in pytz.all_timezones if tz.startswith(("Europe/", "Asia/"))]


class ScsAcquirer(models.Model):
    """An acquiring bank: where its card money waits and where its fees go."""

    _name = "scs.acquirer"
    _description = "Acquiring Bank"
    _inherit = ["mail.thread"]
    _order = "name"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    code = fields.Char(required=True, help="Short code used to pick the registry format.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    partner_id = fields.Many2one("res.partner", string="Bank", check_company=True)
    clearing_account_id = fields.Many2one(
        "account.account",
        string="Clearing Account",
        required=True,
        check_company=True,
        tracking=True,
        help="Card sales wait here (57.03) until the bank's registry and statement clear them.",
    )
    fee_account_id = fields.Many2one(
        "account.account",
        string="Fee Account",
        required=True,
        check_company=True,
        tracking=True,
        help="Acquirer fees are expensed here (91.02).",
    )
    transit_account_id = fields.Many2one(
        "account.account",
        string="Payout in Transit",
        check_company=True,
        help="The net payout of a settlement day waits here (57.01) until the bank "
        "statement line of that payout clears it.",
    )
    dispute_account_id = fields.Many2one(
        "account.account",
        string="Disputes Account",
        check_company=True,
        help="Chargebacks the bank has deducted, while the dispute is open (76.09).",
    )
    writeoff_income_account_id = fields.Many2one(
        "account.account",
        string="Write-off Income",
        check_company=True,
        help="Registry money no POS payment explains, when written off (91.01).",
    )
    journal_id = fields.Many2one(
        "account.journal",
        string="Registry Journal",
        check_company=True,
        domain="[('type', '=', 'general')]",
        help="Journal of the fee, settlement and chargeback entries.",
    )
    terminal_plan_id = fields.Many2one(
        "account.analytic.plan",
        string="Terminal Analytic Plan",
        help="Fees and chargebacks also carry the terminal's analytic account in this "
        "plan (made on first use, coded by the terminal id), beside the office's.",
    )
    payment_method_ids = fields.Many2many(
        "pos.payment.method",
        string="POS Payment Methods",
        check_company=True,
        help="Card payments taken with these methods are settled by this acquirer.",
    )

    profile_id = fields.Many2one(
        "scs.reconcile.profile",
        string="Registry Profile",
        help="How this bank writes its registry (columns, encoding, number and date formats).",
    )
    tz = fields.Selection(
        _tz_get,
        string="Terminals' Time Zone",
        default="Europe/Moscow",
        help="The time zone of registry times for a terminal no cash desk of ours names "
        "(a known terminal uses its office's).",
    )
    scs_amount_tolerance = fields.Monetary(
        string="Amount Tolerance",
        currency_field="currency_id",
        help="A registry row and a POS payment this far apart still match.",
    )
    scs_date_window = fields.Integer(
        string="Date Window (days)",
        default=1,
        help="Matching by authorisation code and amount accepts this many days apart.",
    )
    scs_lookback_days = fields.Integer(
        string="Chargeback Look-back (days)",
        default=45,
        help="How far back a chargeback's sale is looked for.",
    )
    scs_pos_only_days = fields.Integer(
        string="Missing from Registry After (days)",
        default=3,
        help="A POS card payment no registry has settled after this many days is queued.",
    )
    scs_inbox_path = fields.Char(
        string="Inbox Folder",
        help="A folder on the server where this bank's registries are dropped (SFTP, a "
        "mail-fetching script); the import job picks them up every 15 minutes.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "An acquirer code must be unique per company.",
        ),
    ]

    @api.constrains("clearing_account_id")
    def _check_clearing_account(self):
        for acquirer in self:
            if not acquirer.clearing_account_id.reconcile:
                raise ValidationError(
                    _(
                        "Clearing account %(account)s of %(acquirer)s must allow reconciliation: "
                        "each card payment is matched against the registry there.",
                        account=acquirer.clearing_account_id.display_name,
                        acquirer=acquirer.name,
                    )
                )

    def _scs_tolerance(self):
        self.ensure_one()
        return matching.Tolerance(
            amount=Decimal(str(self.scs_amount_tolerance or 0)).quantize(Decimal("0.01")),
            days=self.scs_date_window,
            reconciled_lookback_days=self.scs_lookback_days,
        )

    def _scs_terminal_offices(self):
        """Terminal id -> the sales office of the cash desk that uses it."""
        self.ensure_one()
        offices = {}
        # an accountant need not read the cash desks to import a registry
        methods = self.sudo().payment_method_ids
        configs = self.env["pos.config"].sudo().search([("payment_method_ids", "in", methods.ids)])
        for config in configs.filtered("scs_office_id"):
            for method in config.payment_method_ids & methods:
                if method.scs_terminal_id:
                    offices[method.scs_terminal_id] = config.scs_office_id
        return offices

    def _scs_zones(self, offices=None):
        """Terminal id -> the time zone of its office (registries print terminal local
        time); other terminals take the acquirer's zone (``None`` key)."""
        self.ensure_one()
        zones = {None: self.tz or "Europe/Moscow"}
        offices = self._scs_terminal_offices() if offices is None else offices
        for terminal, office in offices.items():
            if office.tz:
                zones[terminal] = office.tz
        return zones

    @staticmethod
    def _scs_clock(zones):
        """A converter between UTC and the terminals' local times for a whole registry:
        ``clock.local(utc, terminal_id)``, ``clock.utc(local, terminal_id)``."""
        return ZoneClock(zones)

    @staticmethod
    def _scs_local(utc, terminal_id, zones):
        if not utc:
            return utc
        tz = pytz.timezone(zones.get(terminal_id) or zones[None])
        return pytz.utc.localize(utc).astimezone(tz).replace(tzinfo=None)

    @staticmethod
    def _scs_utc(local, terminal_id, zones):
        if not local:
            return local
        tz = pytz.timezone(zones.get(terminal_id) or zones[None])
        return tz.localize(local).astimezone(pytz.utc).replace(tzinfo=None)

    def _scs_posting_accounts(self):
        """The accounts and journal a registry posts to; a clear error when one is not set."""
        self.ensure_one()
        missing = [
            self._fields[name].string
            for name in (
                "clearing_account_id",
                "fee_account_id",
                "transit_account_id",
                "dispute_account_id",
                "journal_id",
            )
            if not self[name]
        ]
        if missing:
            raise ValidationError(
                _(
                    "Set the %(fields)s of %(acquirer)s before posting its registries.",
                    fields=", ".join(missing),
                    acquirer=self.name,
                )
            )
        return self

    def _scs_terminal_accounts(self, terminals):
        """Terminal id -> its analytic account in the acquirer's terminal plan, made
        on first use (code: the terminal id); empty without a plan."""
        self.ensure_one()
        plan = self.terminal_plan_id
        terminals = sorted(t for t in terminals if t)
        if not plan or not terminals:
            return {}
        Account = self.env["account.analytic.account"].sudo()
        found = {
            a.code: a
            for a in Account.search(
                [
                    ("plan_id", "=", plan.id),
                    ("code", "in", terminals),
                    ("company_id", "in", [False, self.company_id.id]),
                ]
            )
        }
        missing = [t for t in terminals if t not in found]
        for account in Account.create(
            [
                {
                    "name": _("Terminal %(terminal)s", terminal=t),
                    "code": t,
                    "plan_id": plan.id,
                    "company_id": self.company_id.id,
                }
                for t in missing
            ]
        ):
            found[account.code] = account
        return found

    def _scs_office_accounts(self):
        """Terminal id -> the analytic account of its office."""
        return {
            terminal: office.analytic_account_id
            for terminal, office in self._scs_terminal_offices().items()
            if office.analytic_account_id
        }


class ZoneClock:
    """UTC <-> terminal local time, as :meth:`ScsAcquirer._scs_local` and
    :meth:`ScsAcquirer._scs_utc` give it, for many values: the zone's offset is found
    once per zone and hour, and an hour that holds a change of offset (DST) is
    converted value by value."""

    def __init__(self, zones):
        self.zones = zones
        self.offsets = {}

    def _offset(self, name, moment, from_utc):
        hour = moment.replace(minute=0, second=0, microsecond=0)
        key = (name, hour, from_utc)
        offset = self.offsets.get(key)
        if offset is None:
            tz = pytz.timezone(name)
            if from_utc:
                first, last = (
                    pytz.utc.localize(m).astimezone(tz).utcoffset()
                    for m in (hour, hour + _LAST_OF_HOUR)
                )
            else:
                first, last = (tz.localize(m).utcoffset() for m in (hour, hour + _LAST_OF_HOUR))
            offset = self.offsets[key] = first if first == last else False
        return offset

    def local(self, utc, terminal_id):
        if not utc:
            return utc
        name = self.zones.get(terminal_id) or self.zones[None]
        offset = self._offset(name, utc, True)
        if offset is False:
            return ScsAcquirer._scs_local(utc, terminal_id, self.zones)
        return utc + offset

    def utc(self, local, terminal_id):
        if not local:
            return local
        name = self.zones.get(terminal_id) or self.zones[None]
        offset = self._offset(name, local, False)
        if offset is False:
            return ScsAcquirer._scs_utc(local, terminal_id, self.zones)
        return local - offset


_LAST_OF_HOUR = datetime.timedelta(minutes=59, seconds=59, microseconds=999999)
