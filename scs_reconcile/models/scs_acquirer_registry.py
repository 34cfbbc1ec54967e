# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime
import functools
import logging
import shutil
from decimal import Decimal
from pathlib import Path

from psycopg2.extras import execute_values

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..engine import matching, registry, rows

_logger = logging.getLogger(__name__)

STATUSES = [
    ("MATCHED", "Matched"),
    ("REVERSED_PAIR", "Reversed pair"),
    ("SPLIT", "Split / merged"),
    ("CHARGEBACK", "Chargeback"),
    ("FEE_ONLY", "Fee only"),
    ("AMOUNT_MISMATCH", "Amount mismatch"),
    ("DUPLICATE", "Duplicate"),
    ("UNMATCHED_REGISTRY", "Not in the POS"),
]
#: statuses that settle the POS payments they name
SETTLING = ("MATCHED", "REVERSED_PAIR", "SPLIT")


class ScsAcquirerRegistry(models.Model):
    """One registry file of an acquirer, imported whole or not at all."""

    _name = "scs.acquirer.registry"
    _description = "Acquirer Registry"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="File", required=True, readonly=True)
    acquirer_id = fields.Many2one(
        "scs.acquirer", required=True, readonly=True, index=True, check_company=True
    )
    company_id = fields.Many2one(related="acquirer_id.company_id", store=True, index=True)
    profile_id = fields.Many2one("scs.reconcile.profile", required=True, readonly=True)
    sha256 = fields.Char(required=True, readonly=True, index=True)
    source = fields.Selection(
        [("upload", "Uploaded"), ("inbox", "Picked up from the inbox")],
        required=True,
        readonly=True,
        default="upload",
    )
    user_id = fields.Many2one(
        "res.users", string="Imported By", readonly=True, default=lambda self: self.env.user
    )
    row_ids = fields.One2many("scs.acquirer.registry.row", "registry_id", readonly=True)
    row_count = fields.Integer(compute="_compute_counts", store=True)
    matched_count = fields.Integer(compute="_compute_counts", store=True)
    open_count = fields.Integer(string="To Review", compute="_compute_counts", store=True)
    skipped_count = fields.Integer(
        string="Rows Already Imported",
        readonly=True,
        help="Rows of this file that an earlier registry had already brought in.",
    )
    move_ids = fields.One2many("account.move", "scs_registry_id", string="Journal Entries")
    date_from = fields.Date(readonly=True)
    date_to = fields.Date(readonly=True)

    _sql_constraints = [
        (
            "sha256_uniq",
            "unique(acquirer_id, sha256)",
            "This registry file has already been imported.",
        ),
    ]

    @api.depends("row_ids.status")
    def _compute_counts(self):
        for reg in self:
            statuses = reg.row_ids.mapped("status")
            reg.row_count = len(statuses)
            reg.matched_count = sum(s in SETTLING + ("FEE_ONLY", "CHARGEBACK") for s in statuses)
            reg.open_count = sum(
                s in ("AMOUNT_MISMATCH", "DUPLICATE", "UNMATCHED_REGISTRY") for s in statuses
            )

    # -- import --------------------------------------------------------------------

    @api.model
    def _scs_import(self, acquirer, data, filename, source="upload"):
        """Parse ``data`` with the acquirer's profile and import it, or raise a
        ``UserError`` naming the line and column and write nothing. Returns the
        registry, or an empty recordset when the same file was imported before."""
        profile = acquirer.profile_id
        if not profile:
            raise UserError(
                self.env._(
                    "Choose the mapping profile of %(acquirer)s first.", acquirer=acquirer.name
                )
            )
        try:
            parsed = registry.parse(data, profile._scs_engine_profile(), filename)
        except registry.RegistryError as err:
            raise UserError(
                self.env._("%(file)s was not imported: %(error)s", file=filename, error=err)
            ) from None
        if self.sudo().search_count(
            [("acquirer_id", "=", acquirer.id), ("sha256", "=", parsed.sha256)]
        ):
            return self.browse()
        Row = self.env["scs.acquirer.registry.row"].sudo()
        known = set(
            Row.search(
                [("acquirer_id", "=", acquirer.id), ("key", "in", [r.key for r in parsed.rows])]
            ).mapped("key")
        )
        new = [r for r in parsed.rows if r.key not in known]
        offices = acquirer._scs_terminal_offices()
        zones = acquirer._scs_zones(offices)
        days = [r.operation_at.date() for r in parsed.rows]
        # the accountant may import; the rows are written by the import only
        self.check_access("create")
        reg = self.sudo().create(
            {
                "name": filename,
                "user_id": self.env.user.id,
                "acquirer_id": acquirer.id,
                "profile_id": profile.id,
                "sha256": parsed.sha256,
                "source": source,
                "skipped_count": len(parsed.rows) - len(new),
                "date_from": min(days) if days else False,
                "date_to": max(days) if days else False,
                "row_ids": [
                    fields.Command.create(Row._scs_values(r, acquirer, zones, offices)) for r in new
                ],
            }
        )
        reg.message_post(
            body=self.env._(
                "%(rows)s rows imported from %(file)s (%(skipped)s already known).",
                rows=len(new),
                file=filename,
                skipped=len(parsed.rows) - len(new),
            ),
            attachments=[(filename, data)],
        )
        reg._scs_match()
        return reg.with_env(self.env)

    # -- matching ----------------------------------------------------------------------

    def _scs_payments(self, rows_):
        """The acquirer's POS card payments around the registry's days, as the engine
        sees them (chargebacks look further back for their sale)."""
        self.ensure_one()
        acquirer = self.acquirer_id
        # local times, a day either side covers every office's offset from UTC
        days = [r.operation_at for r in rows_] or [fields.Datetime.now()]
        lookback = datetime.timedelta(days=acquirer.scs_lookback_days)
        payments = (
            self.env["pos.payment"]
            .sudo()
            .search(
                [
                    ("payment_method_id", "in", acquirer.sudo().payment_method_ids.ids),
                    ("payment_date", ">=", min(days) - lookback),
                    ("payment_date", "<=", max(days) + datetime.timedelta(days=3)),
                ]
            )
        )
        return payments

    def _scs_match(self):
        """Run the matching engine over the registry's rows and the POS payments, store
        each row's outcome and open a case for each discrepancy."""
        Case = self.env["scs.reconcile.case"].sudo()
        for reg in self:
            acquirer = reg.acquirer_id
            records = reg.row_ids
            zones = acquirer._scs_zones()
            engine_rows = [r._scs_engine_row(zones) for r in records]
            payments = reg._scs_payments(engine_rows)
            facts = payments._scs_engine_payments(zones, exclude=reg)
            result = matching.match(engine_rows, facts, acquirer._scs_tolerance())
            by_key = {p.id: p for p in payments}
            reg._scs_store_outcomes(records, result.outcomes)
            suggestions = {}
            for suggestion in result.suggestions:
                suggestions.setdefault(suggestion.row_line, []).append(suggestion)
            for row in records.filtered(
                lambda r: r.status
                in ("AMOUNT_MISMATCH", "DUPLICATE", "UNMATCHED_REGISTRY", "CHARGEBACK")
            ):
                Case._scs_open_for_row(row, suggestions.get(row.line, []), by_key)
        return True

    def _scs_store_outcomes(self, records, outcomes):
        """Write every row's outcome in a few statements: a registry has up to a
        hundred thousand rows, one ORM write each would take minutes."""
        self.ensure_one()
        id_of = dict(zip(records.mapped("line"), records.ids, strict=True))
        values = [(id_of[o.row_line], o.status, o.rule, float(o.difference)) for o in outcomes]
        links = [(id_of[o.row_line], key) for o in outcomes for key in o.payment_keys]
        cr = self.env.cr
        records.flush_recordset()
        for chunk in _chunks(values, 5000):
            execute_values(
                cr._obj,
                """
                UPDATE scs_acquirer_registry_row AS r
                   SET status = v.status, rule = v.rule, difference = v.difference
                  FROM (VALUES %s) AS v(id, status, rule, difference)
                 WHERE r.id = v.id
                """,
                chunk,
                template="(%s, %s, %s, %s::numeric)",
                page_size=len(chunk),
            )
        cr.execute(
            "DELETE FROM scs_registry_row_pos_payment_rel WHERE row_id = ANY(%s)",
            [records.ids],
        )
        for chunk in _chunks(links, 5000):
            execute_values(
                cr._obj,
                "INSERT INTO scs_registry_row_pos_payment_rel (row_id, payment_id) VALUES %s",
                chunk,
                page_size=len(chunk),
            )
        records.invalidate_recordset(["status", "rule", "difference", "payment_ids"])
        self.env["pos.payment"].invalidate_model(["scs_registry_row_ids"])
        self.invalidate_recordset(["row_count", "matched_count", "open_count"])
        self._compute_counts()

    @api.model
    def _cron_scs_inbox(self):
        """Import the registries dropped into each acquirer's inbox folder.

        A file is moved to ``done/`` (or ``failed/``, with the reason on the
        acquirer) only once the transaction that imported it has committed, so a
        crash never loses a registry: the next run picks it up again, and the file
        hash makes a second import a no-op."""
        for acquirer in self.env["scs.acquirer"].sudo().search([("scs_inbox_path", "!=", False)]):
            inbox = Path(acquirer.scs_inbox_path)
            if not inbox.is_dir():
                _logger.warning("inbox %s of %s is not a folder", inbox, acquirer.name)
                continue
            for path in sorted(p for p in inbox.iterdir() if p.is_file()):
                target = "done"
                try:
                    with self.env.cr.savepoint():
                        self._scs_import(acquirer, path.read_bytes(), path.name, source="inbox")
                except UserError as err:
                    target = "failed"
                    acquirer.message_post(body=str(err))
                self.env.cr.postcommit.add(functools.partial(_move, path, inbox / target))

    def action_post(self):
        """One entry per settlement day: the rows' money leaves the clearing account
        (57.03), the fees go to expense with the office's analytics, chargebacks to
        the disputes account, and the net payout waits in transit (57.01) for the
        bank statement line. Idempotent: a posted day is not posted again."""
        self.check_access("write")
        for reg in self.sudo():
            acquirer = reg.acquirer_id._scs_posting_accounts()
            rows_ = reg.row_ids.filtered(lambda r: not r.move_id and r.status != "DUPLICATE")
            offices = acquirer._scs_office_accounts()
            for day in sorted(
                set(rows_.mapped("settlement_date")), key=lambda d: d or datetime.date.min
            ):
                mine = rows_.filtered(lambda r, d=day: r.settlement_date == d)
                move = reg._scs_day_move(acquirer, day, mine, offices)
                mine.write({"move_id": move.id})
        return True

    def _scs_day_move(self, acquirer, day, rows_, offices):
        _ = self.env._
        label = _(
            "%(acquirer)s registry %(file)s, settlement %(day)s",
            acquirer=acquirer.name,
            file=self.name,
            day=day or "-",
        )
        chargebacks = rows_.filtered(lambda r: r.status == "CHARGEBACK")
        others = rows_ - chargebacks
        lines = []

        def add(account, amount, name, analytic=None):
            amount = round(amount, 2)
            if not amount:
                return
            lines.append(
                fields.Command.create(
                    {
                        "account_id": account.id,
                        "name": name,
                        "debit": amount if amount > 0 else 0.0,
                        "credit": -amount if amount < 0 else 0.0,
                        "partner_id": acquirer.partner_id.id,
                        "analytic_distribution": {str(analytic.id): 100} if analytic else False,
                    }
                )
            )

        add(acquirer.clearing_account_id, -sum(others.mapped("amount")), label)
        fees = {}
        for row in rows_:
            fees.setdefault(offices.get(row.terminal_id), []).append(row)
        for analytic, group in fees.items():
            terminals = ", ".join(sorted(set(r.terminal_id for r in group)))
            add(
                acquirer.fee_account_id,
                sum(r.fee for r in group),
                _("Acquiring fee, terminals %(terminals)s", terminals=terminals),
                analytic,
            )
        for row in chargebacks:
            add(
                acquirer.dispute_account_id,
                -row.amount,
                _("Chargeback RRN %(rrn)s", rrn=row.rrn),
                offices.get(row.terminal_id),
            )
        add(
            acquirer.transit_account_id,
            sum(rows_.mapped("net")),
            _("Payout %(day)s", day=day or "-"),
        )
        move = (
            self.env["account.move"]
            .sudo()
            .create(
                {
                    "move_type": "entry",
                    "journal_id": acquirer.journal_id.id,
                    "date": day or fields.Date.context_today(self),
                    "ref": label,
                    "scs_registry_id": self.id,
                    "line_ids": lines,
                }
            )
        )
        move.action_post()
        return move

    def action_match_statement(self):
        """Clear each posted payout in transit against the bank statement line of the
        same amount on or after its settlement day."""
        self.check_access("write")
        StLine = self.env["account.bank.statement.line"].sudo()
        matched = 0
        for reg in self:
            acquirer = reg.acquirer_id
            transit = reg.move_ids.line_ids.filtered(
                lambda line, a=acquirer: line.account_id == a.transit_account_id
                and not line.reconciled
            )
            for line in transit:
                candidates = StLine.search(
                    [
                        ("company_id", "=", reg.company_id.id),
                        ("is_reconciled", "=", False),
                        ("amount", "=", line.balance),
                        ("date", ">=", line.date),
                        ("date", "<=", line.date + datetime.timedelta(days=5)),
                    ],
                    order="date, id",
                )
                if acquirer.partner_id:
                    candidates = (
                        candidates.filtered(
                            lambda s, a=acquirer: not s.partner_id or s.partner_id == a.partner_id
                        )
                        or candidates
                    )
                if not candidates:
                    continue
                st_line = candidates[0]
                _liquidity, suspense, _other = st_line.with_context(
                    skip_account_move_synchronization=True
                )._seek_for_lines()
                suspense.with_context(
                    skip_account_move_synchronization=True
                ).account_id = acquirer.transit_account_id
                (suspense | line).reconcile()
                matched += 1
        return matched


def _chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


class ScsAcquirerRegistryRow(models.Model):
    _name = "scs.acquirer.registry.row"
    _description = "Acquirer Registry Row"
    _order = "registry_id desc, line"

    registry_id = fields.Many2one(
        "scs.acquirer.registry", required=True, readonly=True, ondelete="cascade", index=True
    )
    acquirer_id = fields.Many2one("scs.acquirer", required=True, readonly=True, index=True)
    company_id = fields.Many2one(related="acquirer_id.company_id", store=True, precompute=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    line = fields.Integer(readonly=True)
    key = fields.Char(required=True, readonly=True)
    kind = fields.Selection(
        [
            (rows.PURCHASE, "Purchase"),
            (rows.REFUND, "Refund"),
            (rows.REVERSAL, "Reversal"),
            (rows.CANCEL_REFUND, "Cancelled refund"),
            (rows.CHARGEBACK, "Chargeback"),
            (rows.CHARGEBACK_REVERSAL, "Chargeback reversal"),
            (rows.FEE_ONLY, "Fee only"),
        ],
        readonly=True,
    )
    raw_kind = fields.Char(string="Operation Type", readonly=True)
    operation_at = fields.Datetime(string="Operation Time (terminal)", readonly=True)
    settlement_date = fields.Date(readonly=True, index=True)
    terminal_id = fields.Char(string="Terminal", readonly=True, index=True)
    office_id = fields.Many2one("scs.office", string="Office", readonly=True, index=True)
    merchant_id = fields.Char(string="Merchant", readonly=True)
    rrn = fields.Char(string="RRN", readonly=True, index=True)
    auth_code = fields.Char(readonly=True)
    card_mask = fields.Char(string="Card", readonly=True)
    batch = fields.Char(readonly=True)
    amount = fields.Monetary(readonly=True)
    fee = fields.Monetary(readonly=True)
    net = fields.Monetary(readonly=True)
    status = fields.Selection(STATUSES, readonly=True, index=True)
    rule = fields.Char(readonly=True)
    difference = fields.Monetary(readonly=True)
    payment_ids = fields.Many2many(
        "pos.payment",
        "scs_registry_row_pos_payment_rel",
        "row_id",
        "payment_id",
        string="POS Payments",
        readonly=True,
    )
    case_ids = fields.One2many("scs.reconcile.case", "row_id", string="Cases", readonly=True)
    move_id = fields.Many2one(
        "account.move", string="Journal Entry", readonly=True, index="btree_not_null"
    )

    _sql_constraints = [
        ("key_uniq", "unique(acquirer_id, key)", "This registry row was already imported."),
    ]

    @api.model
    def _scs_values(self, row, acquirer, zones, offices):
        return {
            "acquirer_id": acquirer.id,
            "office_id": offices.get(row.terminal_id, self.env["scs.office"]).id,
            "line": row.line,
            "key": row.key,
            "kind": row.kind,
            "raw_kind": row.raw_kind,
            "operation_at": acquirer._scs_utc(row.operation_at, row.terminal_id, zones),
            "settlement_date": row.settlement_date or False,
            "terminal_id": row.terminal_id,
            "merchant_id": row.merchant_id,
            "rrn": row.rrn,
            "auth_code": row.auth_code,
            "card_mask": row.card_mask,
            "batch": row.batch,
            "amount": float(row.amount),
            "fee": float(row.fee),
            "net": float(row.net),
        }

    def _scs_engine_row(self, zones):
        return rows.RegistryRow(
            line=self.line,
            key=self.key,
            kind=self.kind,
            operation_at=self.acquirer_id._scs_local(self.operation_at, self.terminal_id, zones),
            settlement_date=self.settlement_date or None,
            terminal_id=self.terminal_id or "",
            rrn=self.rrn or "",
            amount=Decimal(str(self.amount)),
            fee=Decimal(str(self.fee)),
            net=Decimal(str(self.net)),
            auth_code=self.auth_code or "",
            card_mask=self.card_mask or "",
            merchant_id=self.merchant_id or "",
            batch=self.batch or "",
            raw_kind=self.raw_kind or "",
        )


def _move(path, folder):
    folder.mkdir(exist_ok=True)
    name = folder / path.name
    if name.exists():
        name = folder / f"{path.stem}.{fields.Datetime.now():%Y%m%d%H%M%S}{path.suffix}"
    shutil.move(str(path), name)
