# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime
import functools
import logging
import shutil
from collections import Counter
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
#: statuses a person has to look at
OPEN = ("AMOUNT_MISMATCH", "DUPLICATE", "UNMATCHED_REGISTRY")
#: statuses that open a case
CASE_KINDS = OPEN + ("CHARGEBACK",)
#: rows per statement when outcomes are written
_PAGE = 5000
#: a new registry row with its outcome, every stored column the ORM's create fills;
#: the values come from ``_scs_row_values``, in this order
_ROW_INSERT = """
    INSERT INTO scs_acquirer_registry_row (
        registry_id, acquirer_id, company_id, office_id, line, key, kind, raw_kind,
        operation_at, settlement_date, terminal_id, merchant_id, rrn, auth_code, card_mask,
        batch, amount, fee, net, status, rule, difference,
        create_uid, create_date, write_uid, write_date)
    VALUES %s
    RETURNING line, id
"""


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
        # one GROUP BY: a registry has up to a hundred thousand rows
        stored = self.filtered("id")
        counts = {reg.id: Counter() for reg in stored}
        if stored:
            groups = (
                self.env["scs.acquirer.registry.row"]
                .sudo()
                ._read_group(
                    [("registry_id", "in", stored.ids)], ["registry_id", "status"], ["__count"]
                )
            )
            for reg, status, count in groups:
                counts[reg.id][status] += count
        for reg in self:
            statuses = counts[reg.id] if reg.id in counts else Counter(reg.row_ids.mapped("status"))
            reg.row_count = sum(statuses.values())
            reg.matched_count = sum(statuses[s] for s in SETTLING + ("FEE_ONLY", "CHARGEBACK"))
            reg.open_count = sum(statuses[s] for s in OPEN)

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
        sha256 = parsed.sha256
        if self.sudo().search_count([("acquirer_id", "=", acquirer.id), ("sha256", "=", sha256)]):
            return self.browse()
        new = self.env["scs.acquirer.registry.row"].sudo()._scs_unknown(acquirer, parsed.rows)
        skipped = len(parsed.rows) - len(new)
        first = min((r.operation_at for r in parsed.rows), default=None)
        last = max((r.operation_at for r in parsed.rows), default=None)
        del parsed  # its rows live on in ``new``, the only ones written
        offices = acquirer._scs_terminal_offices()
        # the accountant may import; the rows are written by the import only
        self.check_access("create")
        reg = self.sudo().create(
            {
                "name": filename,
                "user_id": self.env.user.id,
                "acquirer_id": acquirer.id,
                "profile_id": profile.id,
                "sha256": sha256,
                "source": source,
                "skipped_count": skipped,
                "date_from": first.date() if first else False,
                "date_to": last.date() if last else False,
            }
        )
        reg.message_post(
            body=self.env._(
                "%(rows)s rows imported from %(file)s (%(skipped)s already known).",
                rows=len(new),
                file=filename,
                skipped=skipped,
            ),
            attachments=[(filename, data)],
        )
        reg._scs_match(new, offices)
        return reg.with_env(self.env)

    # -- matching ----------------------------------------------------------------------

    def _scs_payments(self, rows_, zones):
        """The acquirer's POS card payments around the registry's days, as the engine
        sees them (chargebacks look further back for their sale)."""
        self.ensure_one()
        acquirer = self.acquirer_id
        # local times, a day either side covers every office's offset from UTC
        now = fields.Datetime.now()
        first = min((r.operation_at for r in rows_), default=now)
        last = max((r.operation_at for r in rows_), default=now)
        return self.env["pos.payment"]._scs_engine_payments(
            acquirer.sudo().payment_method_ids,
            first - datetime.timedelta(days=acquirer.scs_lookback_days),
            last + datetime.timedelta(days=3),
            zones,
            exclude=self,
            wanted=matching.row_keys(rows_),
        )

    def _scs_match(self, rows_=None, offices=None):
        """Run the matching engine over the registry's rows and the POS payments, store
        each row's outcome and open a case for each discrepancy.

        ``rows_``: the engine rows of the registry being imported (terminal local time),
        not written yet: they are inserted with their outcomes. Without, the rows the
        registry holds are matched again. ``offices``: the acquirer's terminal offices,
        when the caller has them."""
        if rows_ is not None:
            self.ensure_one()
        Row = self.env["scs.acquirer.registry.row"].sudo()
        for reg in self:
            acquirer = reg.acquirer_id
            terminals = acquirer._scs_terminal_offices() if offices is None else offices
            zones = acquirer._scs_zones(terminals)
            clock = acquirer._scs_clock(zones)
            engine_rows = Row._scs_engine_rows(reg, clock) if rows_ is None else rows_
            facts = reg._scs_payments(engine_rows, zones)
            result = matching.match(engine_rows, facts, acquirer._scs_tolerance())
            del facts
            id_of = reg._scs_store_outcomes(
                engine_rows, result.outcomes, clock, terminals, insert=rows_ is not None
            )
            del engine_rows
            reg._scs_open_cases(id_of, result)
        return True

    def _scs_store_outcomes(self, rows_, outcomes, clock, offices, insert=False):
        """Write every row's outcome in a few statements: a registry has up to a hundred
        thousand rows, one ORM write (or create) each would take minutes. ``insert``:
        the rows are new and inserted with their outcomes, else they are updated.
        Returns {row line: row id}."""
        self.ensure_one()
        cr = self.env.cr
        Row = self.env["scs.acquirer.registry.row"]
        if insert:
            id_of = dict(
                execute_values(
                    cr._obj,
                    _ROW_INSERT,
                    self._scs_row_values(rows_, outcomes, clock, offices),
                    page_size=_PAGE,
                    fetch=True,
                )
            )
        else:
            Row.flush_model()
            cr.execute(
                "SELECT line, id FROM scs_acquirer_registry_row WHERE registry_id = %s",
                [self.id],
            )
            id_of = dict(cr.fetchall())
            execute_values(
                cr._obj,
                """
                UPDATE scs_acquirer_registry_row AS r
                   SET status = v.status, rule = v.rule, difference = v.difference,
                       write_uid = v.uid, write_date = v.now
                  FROM (VALUES %s) AS v(id, status, rule, difference, uid, now)
                 WHERE r.id = v.id
                """,
                (
                    (id_of[o.row_line], o.status, o.rule, o.difference, self.env.uid, cr.now())
                    for o in outcomes
                ),
                template="(%s, %s, %s, %s::numeric, %s, %s::timestamp)",
                page_size=_PAGE,
            )
            cr.execute(
                "DELETE FROM scs_registry_row_pos_payment_rel WHERE row_id = ANY(%s)",
                [list(id_of.values())],
            )
        links = [(id_of[o.row_line], key) for o in outcomes for key in o.payment_keys]
        if links:
            cr.execute(
                """
                INSERT INTO scs_registry_row_pos_payment_rel (row_id, payment_id)
                SELECT * FROM unnest(%s::int[], %s::int[])
                ON CONFLICT DO NOTHING
                """,
                [[row for row, _key in links], [key for _row, key in links]],
            )
        # what the ORM may hold of the rows written by SQL
        Row.invalidate_model(
            ["status", "rule", "difference", "payment_ids", "write_uid", "write_date"]
        )
        self.env["pos.payment"].invalidate_model(["scs_registry_row_ids"])
        self.invalidate_recordset(["row_ids"])
        self.modified(["row_ids"])
        return id_of

    def _scs_row_values(self, rows_, outcomes, clock, offices):
        """The new rows' column values (``_ROW_INSERT``), as the ORM's create would
        write them, with their outcomes."""
        acquirer = self.acquirer_id
        office_of = {terminal: office.id for terminal, office in offices.items()}
        uid, now = self.env.uid, self.env.cr.now()
        head = (self.id, acquirer.id, acquirer.company_id.id)
        for row, outcome in zip(rows_, outcomes, strict=True):
            terminal = row.terminal_id
            yield (
                *head,
                office_of.get(terminal),
                row.line,
                row.key,
                row.kind,
                row.raw_kind,
                clock.utc(row.operation_at, terminal),
                row.settlement_date,
                terminal,
                row.merchant_id,
                row.rrn,
                row.auth_code,
                row.card_mask,
                row.batch,
                row.amount,
                row.fee,
                row.net,
                outcome.status,
                outcome.rule,
                outcome.difference,
                uid,
                now,
                uid,
                now,
            )

    def _scs_open_cases(self, id_of, result):
        """A case for each discrepancy the engine found (see ``scs.reconcile.case``)."""
        self.ensure_one()
        found = [(id_of[o.row_line], o) for o in result.outcomes if o.status in CASE_KINDS]
        if not found:
            return
        suggestions = {}
        for suggestion in result.suggestions:
            suggestions.setdefault(suggestion.row_line, []).append(suggestion)
        self.env["scs.reconcile.case"].sudo()._scs_open_for_rows(found, suggestions)

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
        (57.03), the fees go to expense with the office's analytics and the net payout
        waits in transit (57.01) for the bank statement line; each chargeback has an
        entry of its own, from the clearing account to the disputes account (76.09).
        Idempotent: a posted day is not posted again."""
        self.check_access("write")
        for reg in self.sudo():
            acquirer = reg.acquirer_id._scs_posting_accounts()
            rows_ = reg.row_ids.filtered(lambda r: not r.move_id and r.status != "DUPLICATE")
            offices = acquirer._scs_office_accounts()
            for day in sorted(
                set(rows_.mapped("settlement_date")), key=lambda d: d or datetime.date.min
            ):
                mine = rows_.filtered(lambda r, d=day: r.settlement_date == d)
                for move, posted in reg._scs_day_moves(acquirer, day, mine, offices):
                    posted.write({"move_id": move.id})
        return True

    def _scs_day_moves(self, acquirer, day, rows_, offices):
        """The settlement day's entry, and one entry per chargeback (or its reversal),
        as [(move, the rows it posts)]."""
        _ = self.env._
        label = _(
            "%(acquirer)s registry %(file)s, settlement %(day)s",
            acquirer=acquirer.name,
            file=self.name,
            day=day or "-",
        )
        chargebacks = rows_.filtered(lambda r: r.status == "CHARGEBACK")

        def line(account, amount, name, analytic=()):
            # one account per plan (office, terminal), each plan at 100 %
            distribution = {str(a.id): 100 for a in analytic if a}
            return fields.Command.create(
                {
                    "account_id": account.id,
                    "name": name,
                    "debit": amount if amount > 0 else 0.0,
                    "credit": -amount if amount < 0 else 0.0,
                    "partner_id": acquirer.partner_id.id,
                    "analytic_distribution": distribution or False,
                }
            )

        terminal_accounts = acquirer._scs_terminal_accounts(set(rows_.mapped("terminal_id")))

        def analytics(terminal):
            return (offices.get(terminal), terminal_accounts.get(terminal))

        # all the day's money leaves the clearing account; a chargeback's entry then
        # moves its share from the clearing account to the disputes account
        lines = [(acquirer.clearing_account_id, -sum(rows_.mapped("amount")), label, ())]
        fees = {}
        for row in rows_:
            fees.setdefault(analytics(row.terminal_id), []).append(row)
        for analytic, group in fees.items():
            terminals = ", ".join(sorted(set(r.terminal_id for r in group)))
            name = _("Acquiring fee, terminals %(terminals)s", terminals=terminals)
            lines.append((acquirer.fee_account_id, sum(r.fee for r in group), name, analytic))
        payout = _("Payout %(day)s", day=day or "-")
        lines.append((acquirer.transit_account_id, sum(rows_.mapped("net")), payout, ()))
        moves = [(self._scs_move(acquirer, day, label, lines, line), rows_ - chargebacks)]
        for row in chargebacks:
            name = _(
                "Chargeback RRN %(rrn)s, line %(line)s of %(file)s, POS payment %(payment)s",
                rrn=row.rrn,
                line=row.line,
                file=self.name,
                payment=", ".join(row.payment_ids.mapped("display_name")) or "-",
            )
            cb_lines = [
                (acquirer.dispute_account_id, -row.amount, name, analytics(row.terminal_id)),
                (acquirer.clearing_account_id, row.amount, name, ()),
            ]
            moves.append((self._scs_move(acquirer, day, name, cb_lines, line), row))
        return moves

    def _scs_move(self, acquirer, day, label, lines, line):
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
                    "line_ids": [
                        line(account, round(amount, 2), name, analytic)
                        for account, amount, name, analytic in lines
                        if round(amount, 2)
                    ],
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
    def _scs_unknown(self, acquirer, rows_):
        """The engine rows ``rows_`` whose key no row of ``acquirer`` has yet."""
        self.flush_model(["acquirer_id", "key"])
        self.env.cr.execute(
            "SELECT key FROM scs_acquirer_registry_row WHERE acquirer_id = %s AND key = ANY(%s)",
            [acquirer.id, [r.key for r in rows_]],
        )
        known = {key for (key,) in self.env.cr.fetchall()}
        return [r for r in rows_ if r.key not in known]

    @api.model
    def _scs_engine_rows(self, registry, clock):
        """The rows ``registry`` holds, as the engine reads them (terminal local time)."""
        self.flush_model()
        self.env.cr.execute(
            """
            SELECT line, key, kind, operation_at, settlement_date, terminal_id, rrn, amount,
                   fee, net, auth_code, card_mask, merchant_id, batch, raw_kind
              FROM scs_acquirer_registry_row
             WHERE registry_id = %s
             ORDER BY line, id
            """,
            [registry.id],
        )
        cent = Decimal("0.01")
        found = []
        while batch := self.env.cr.fetchmany(10_000):
            for line, key, kind, at, day, terminal, rrn, amount, fee, net, *texts in batch:
                auth, card, merchant, batch_no, raw_kind = (t or "" for t in texts)
                found.append(
                    rows.RegistryRow(
                        line=line,
                        key=key,
                        kind=kind,
                        operation_at=clock.local(at, terminal or ""),
                        settlement_date=day,
                        terminal_id=terminal or "",
                        rrn=rrn or "",
                        # numeric comes as float (Odoo's typecaster), as the ORM reads it
                        amount=Decimal(str(amount or 0)).quantize(cent),
                        fee=Decimal(str(fee or 0)).quantize(cent),
                        net=Decimal(str(net or 0)).quantize(cent),
                        auth_code=auth,
                        card_mask=card,
                        merchant_id=merchant,
                        batch=batch_no,
                        raw_kind=raw_kind,
                    )
                )
        return found


def _move(path, folder):
    folder.mkdir(exist_ok=True)
    name = folder / path.name
    if name.exists():
        name = folder / f"{path.stem}.{fields.Datetime.now():%Y%m%d%H%M%S}{path.suffix}"
    shutil.move(str(path), name)
