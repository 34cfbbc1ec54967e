# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..engine.rows import CHARGEBACK, CHARGEBACK_REVERSAL

KINDS = [
    ("UNMATCHED_REGISTRY", "Registry row not in the POS"),
    ("AMOUNT_MISMATCH", "Amount mismatch"),
    ("DUPLICATE", "Duplicate registry row"),
    ("CHARGEBACK", "Chargeback (dispute)"),
    ("POS_ONLY", "POS payment missing from the registries"),
    ("STATEMENT_UNMATCHED", "Supplier's row not in our sales"),
    ("STATEMENT_AMOUNT", "Supplier's amount differs"),
    ("STATEMENT_COMMISSION", "Supplier's commission differs"),
    ("STATEMENT_DUPLICATE", "Supplier's row repeated"),
    ("STATEMENT_MISSING", "Our agent sale missing from the supplier's statement"),
]
#: the kinds of a supplier statement's cases
STATEMENT_KINDS = tuple(k for k, _label in KINDS if k.startswith("STATEMENT_"))


class ScsReconcileCase(models.Model):
    """A discrepancy between the bank and the POS, waiting for a person."""

    _name = "scs.reconcile.case"
    _description = "Reconciliation Case"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "state, id desc"
    _check_company_auto = True

    name = fields.Char(readonly=True, default="/", copy=False)
    kind = fields.Selection(KINDS, required=True, readonly=True, index=True, tracking=True)
    state = fields.Selection(
        [
            ("open", "Open"),
            ("in_progress", "In Progress"),
            ("resolved", "Resolved"),
            ("written_off", "Written Off"),
        ],
        default="open",
        required=True,
        index=True,
        tracking=True,
    )
    user_id = fields.Many2one(
        "res.users", string="Assignee", tracking=True, domain="[('share', '=', False)]"
    )
    acquirer_id = fields.Many2one("scs.acquirer", readonly=True, index=True)
    statement_id = fields.Many2one(
        "scs.supplier.statement", string="Supplier Statement", readonly=True, index="btree_not_null"
    )
    partner_id = fields.Many2one(
        related="statement_id.partner_id", store=True, string="Supplier", index="btree_not_null"
    )
    company_id = fields.Many2one(
        "res.company", compute="_compute_company_id", store=True, index=True, readonly=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    row_id = fields.Many2one(
        "scs.acquirer.registry.row", string="Registry Row", readonly=True, index="btree_not_null"
    )
    payment_id = fields.Many2one(
        "pos.payment", string="POS Payment", readonly=True, index="btree_not_null"
    )
    amount = fields.Monetary(readonly=True)
    difference = fields.Monetary(readonly=True)
    terminal_id = fields.Char(string="Terminal", readonly=True)
    rrn = fields.Char(string="RRN", readonly=True)
    day = fields.Date(readonly=True)
    statement_row_id = fields.Many2one(
        "scs.supplier.statement.row",
        string="Statement Row",
        readonly=True,
        index="btree_not_null",
    )
    order_line_id = fields.Many2one(
        "pos.order.line", string="Our Sales Line", readonly=True, index="btree_not_null"
    )
    document = fields.Char(readonly=True, help="Document number or item code.")
    resolution = fields.Text(tracking=True)
    move_id = fields.Many2one("account.move", string="Write-off Entry", readonly=True)
    reversal_row_id = fields.Many2one(
        "scs.acquirer.registry.row",
        string="Reversed By",
        readonly=True,
        index="btree_not_null",
        help="The chargeback reversal row that gave the disputed money back.",
    )
    suggestion_ids = fields.One2many(
        "scs.reconcile.suggestion", "case_id", string="Suggestions", readonly=True
    )

    _sql_constraints = [
        # a re-run of the matching never opens a second case for the same thing
        ("row_kind_uniq", "unique(row_id, kind)", "This registry row already has such a case."),
        ("payment_kind_uniq", "unique(payment_id, kind)", "This payment already has such a case."),
        (
            "statement_row_kind_uniq",
            "unique(statement_row_id, kind)",
            "This statement row already has such a case.",
        ),
        (
            "statement_missing_uniq",
            "EXCLUDE (order_line_id WITH =) WHERE (kind = 'STATEMENT_MISSING')",
            "This sales line already has a case for missing from a statement.",
        ),
        (
            "source_check",
            "CHECK (acquirer_id IS NOT NULL OR statement_id IS NOT NULL)",
            "A case belongs to an acquirer or to a supplier statement.",
        ),
    ]

    @api.depends("acquirer_id.company_id", "statement_id.company_id")
    def _compute_company_id(self):
        for case in self:
            case.company_id = case.acquirer_id.company_id or case.statement_id.company_id

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("scs.reconcile.case") or "/"
        return super().create(vals_list)

    @api.model
    def _scs_open_for_rows(self, found, suggestions):
        """Open a case for each registry row of ``found``, (row id, engine outcome)
        pairs, with the engine's ``suggestions`` {row line: [Suggestion]}, in one
        create. A row that has a case of its status already gets none (a re-run of
        the matching), and a chargeback reversal that closes its chargeback's dispute
        none either (``_scs_close_reversed``)."""
        Row = self.env["scs.acquirer.registry.row"]
        Row.flush_model()
        self.env.cr.execute(
            """
            SELECT id, acquirer_id, kind, amount, terminal_id, rrn, operation_at, difference
              FROM scs_acquirer_registry_row
             WHERE id = ANY(%s)
            """,
            [[row_id for row_id, _outcome in found]],
        )
        stored = {values[0]: values for values in self.env.cr.fetchall()}
        known = {
            (row.id, kind)
            for row, kind in self._read_group([("row_id", "in", list(stored))], ["row_id", "kind"])
        }
        # one dispute per sale (payment_kind_uniq): a second chargeback of it, or its
        # reversal, is a case of its row only
        disputed = {
            payment.id
            for [payment] in self._read_group(
                [
                    ("kind", "=", "CHARGEBACK"),
                    ("payment_id", "in", [k for _r, o in found for k in o.payment_keys]),
                ],
                ["payment_id"],
            )
        }
        vals_list, reversals = [], set()
        for row_id, outcome in found:
            _id, acquirer_id, kind, amount, terminal, rrn, at, difference = stored[row_id]
            if (row_id, outcome.status) in known:
                continue
            payment = max(outcome.payment_keys) if outcome.payment_keys else False
            if outcome.status != "CHARGEBACK":
                payment = False
            elif kind == CHARGEBACK_REVERSAL:
                reversals.add(row_id)  # its sale's dispute, when still free, further down
            elif payment in disputed:
                payment = False
            else:
                disputed.add(payment)
            vals_list.append(
                {
                    "kind": outcome.status,
                    "acquirer_id": acquirer_id,
                    "row_id": row_id,
                    "payment_id": payment,
                    "amount": float(amount or 0),
                    "difference": float(difference or 0),
                    "terminal_id": terminal,
                    "rrn": rrn,
                    "day": at.date() if at else False,
                    "suggestion_ids": [
                        fields.Command.create(
                            {
                                "payment_id": s.payment_key,
                                "score": s.score,
                                "reasons": ", ".join(s.reasons),
                            }
                        )
                        for s in suggestions.get(outcome.row_line, ())
                    ],
                }
            )
        cases = self.create([vals for vals in vals_list if vals["row_id"] not in reversals])
        # then the disputes the reversals close (this registry's too): those open no case
        closing = self._scs_close_reversed(Row.browse(sorted(reversals)))
        queued = [v for v in vals_list if v["row_id"] in reversals and v["row_id"] not in closing]
        for vals in queued:
            if vals["payment_id"] in disputed:
                vals["payment_id"] = False
            disputed.add(vals["payment_id"])
        return cases | self.create(queued)

    @api.model
    def _scs_close_reversed(self, reversals):
        """Resolve the open dispute of the chargeback each of the chargeback reversal
        rows ``reversals`` gives back (same acquirer, terminal and RRN, in this or an
        earlier registry; the one it nets out first, then the oldest). Returns the ids
        of the reversal rows that closed one; a reversal closes one dispute at most."""
        closing = set()
        if not reversals:
            return closing
        done = self.search([("reversal_row_id", "in", reversals.ids)])
        closing.update(done.reversal_row_id.ids)
        disputes = self.search(
            [
                ("kind", "=", "CHARGEBACK"),
                ("state", "in", ("open", "in_progress")),
                ("reversal_row_id", "=", False),
                ("acquirer_id", "in", reversals.acquirer_id.ids),
                ("rrn", "in", list(set(reversals.mapped("rrn")))),
                ("row_id.kind", "=", CHARGEBACK),
            ],
            order="day, id",
        )
        for reversal in reversals:
            if reversal.id in closing:
                continue
            same = disputes.filtered(
                lambda c, r=reversal: c.acquirer_id == r.acquirer_id
                and c.terminal_id == r.terminal_id
                and c.rrn == r.rrn
            )
            if not same:
                continue
            case = (
                same.filtered(lambda c, r=reversal: not round(c.row_id.amount + r.amount, 2))[:1]
                or same[:1]
            )
            disputes -= case
            amount = f"{reversal.amount:.2f}"  # babel cannot read an f-string in the call
            text = self.env._(
                "Chargeback reversed by line %(line)s of registry %(file)s: "
                "the bank gave %(amount)s back.",
                line=reversal.line,
                file=reversal.registry_id.name,
                amount=amount,
            )
            case.write({"state": "resolved", "resolution": text, "reversal_row_id": reversal.id})
            case.message_post(body=text, subtype_xmlid="mail.mt_note")
            closing.add(reversal.id)
        return closing

    @api.model
    def _cron_scs_pos_only(self, now=None, horizon_days=90):
        """Queue the POS card payments no registry has settled after the acquirer's
        number of days (the registry may simply be late until then), looking back
        ``horizon_days`` further."""
        Payment = self.env["pos.payment"].sudo()
        now = now or fields.Datetime.now()
        for acquirer in (
            self.env["scs.acquirer"].sudo().search([("payment_method_ids", "!=", False)])
        ):
            before = now - datetime.timedelta(days=acquirer.scs_pos_only_days)
            payments = Payment.search(
                [
                    ("payment_method_id", "in", acquirer.payment_method_ids.ids),
                    ("payment_date", "<", before),
                    ("payment_date", ">=", before - datetime.timedelta(days=horizon_days)),
                    ("scs_registry_row_ids", "=", False),
                    ("pos_order_id.state", "in", ("paid", "done", "invoiced")),
                ]
            )
            known = set(
                self.sudo()
                .search([("payment_id", "in", payments.ids), ("kind", "=", "POS_ONLY")])
                .mapped("payment_id")
                .ids
            )
            self.sudo().create(
                [
                    {
                        "kind": "POS_ONLY",
                        "acquirer_id": acquirer.id,
                        "payment_id": payment.id,
                        "amount": payment.amount,
                        "terminal_id": payment.scs_terminal_id,
                        "rrn": payment.scs_rrn,
                        "day": payment.payment_date.date(),
                    }
                    for payment in payments
                    if payment.id not in known
                ]
            )

    # -- resolutions ---------------------------------------------------------------

    def _scs_check_open(self):
        for case in self:
            if case.state in ("resolved", "written_off"):
                raise UserError(self.env._("Case %(case)s is closed.", case=case.name))

    def action_take(self):
        self._scs_check_open()
        self.write({"state": "in_progress", "user_id": self.env.user.id})

    def action_match(self, payment):
        """Match the case's registry row to ``payment`` by hand."""
        self.ensure_one()
        self._scs_check_open()
        if not self.row_id or not payment:
            raise UserError(self.env._("Pick the POS payment this registry row belongs to."))
        if payment.scs_acquirer_id != self.acquirer_id:
            raise UserError(
                self.env._(
                    "%(payment)s is not settled by %(acquirer)s.",
                    payment=payment.display_name,
                    acquirer=self.acquirer_id.name,
                )
            )
        self.row_id.sudo().write(
            {
                "status": "MATCHED",
                "rule": "by hand",
                "payment_ids": [fields.Command.set(payment.ids)],
            }
        )
        others = self.search(
            [
                ("payment_id", "=", payment.id),
                ("kind", "=", "POS_ONLY"),
                ("state", "in", ("open", "in_progress")),
            ]
        )
        (self | others).write(
            {
                "state": "resolved",
                "resolution": self.env._(
                    "Matched by hand to %(payment)s.", payment=payment.display_name
                ),
            }
        )

    def action_write_off(self, reason):
        """Close the case by an entry: what 57.03 (or the disputes account) holds for it
        goes to other income or expense, with the reason."""
        self.ensure_one()
        self._scs_check_open()
        if not (reason or "").strip():
            raise UserError(self.env._("Say why the case is written off."))
        if self.kind in STATEMENT_KINDS:
            return self._scs_write_off_statement(reason)
        acquirer = self.acquirer_id._scs_posting_accounts()
        if self.kind == "CHARGEBACK":
            # the dispute is lost: the deducted money is an expense
            held, account = -self.row_id.amount, acquirer.dispute_account_id
        elif self.kind == "POS_ONLY":
            # sold on the card, never paid by the bank
            held, account = self.payment_id.amount, acquirer.clearing_account_id
        elif self.kind == "AMOUNT_MISMATCH":
            held, account = -self.difference, acquirer.clearing_account_id
        elif self.kind == "UNMATCHED_REGISTRY":
            held, account = -self.row_id.amount, acquirer.clearing_account_id
        else:
            raise UserError(self.env._("A duplicate row is resolved, not written off."))
        held = round(held, 2)
        other = acquirer.fee_account_id if held > 0 else acquirer.writeoff_income_account_id
        if held and not other:
            raise UserError(
                self.env._(
                    "Set the write-off income account of %(acquirer)s.", acquirer=acquirer.name
                )
            )
        label = self.env._("%(case)s written off: %(reason)s", case=self.name, reason=reason)
        if held:
            # the money leaves ``account`` (credit when held > 0) for ``other``
            self._scs_post_write_off(acquirer.journal_id, label, account, other, -held)
        self.write({"state": "written_off", "resolution": reason})

    # -- supplier statements ------------------------------------------------------------

    def action_match_line(self, line):
        """Match the case's statement row to our sales ``line`` by hand."""
        self.ensure_one()
        self._scs_check_open()
        row = self.statement_row_id
        if not row or not line:
            raise UserError(self.env._("Pick our sales line this statement row belongs to."))
        supplier = self.statement_id.partner_id
        if line.product_id.scs_supplier_id != supplier:
            raise UserError(
                self.env._(
                    "%(line)s is not an agent sale of %(supplier)s.",
                    line=line.display_name,
                    supplier=supplier.name,
                )
            )
        row.sudo().write(
            {
                "status": "MATCHED",
                "rule": "by hand",
                "difference": row.amount - line.price_subtotal_incl,
                "order_line_ids": [fields.Command.set(line.ids)],
            }
        )
        missing = self.search(
            [
                ("order_line_id", "=", line.id),
                ("kind", "=", "STATEMENT_MISSING"),
                ("state", "in", ("open", "in_progress")),
            ]
        )
        (self | missing).write(
            {
                "state": "resolved",
                "resolution": self.env._("Matched by hand to %(line)s.", line=line.display_name),
            }
        )

    def _scs_write_off_statement(self, reason):
        """Accept the supplier's figure: the difference moves between the principal's
        account (76.05) and other expense (91.02) or income (91.01)."""
        source = self.statement_id.source_id
        row = self.statement_row_id
        if self.kind == "STATEMENT_AMOUNT":
            owed = row.difference  # the supplier claims more (+) or less (-) than we sold
        elif self.kind == "STATEMENT_UNMATCHED":
            owed = row.amount - row.commission  # a sale we never made, principal's share
        elif self.kind == "STATEMENT_COMMISSION":
            owed = -row.commission_difference  # a higher commission is less owed
        else:
            raise UserError(
                self.env._(
                    "A repeated row or a sale missing from the statement is settled with "
                    "the supplier: resolve the case with the outcome."
                )
            )
        owed = round(owed, 2)
        label = self.env._("%(case)s written off: %(reason)s", case=self.name, reason=reason)
        if owed:
            payable, expense, income, journal = source._scs_writeoff_accounts()
            other = expense if owed > 0 else income
            # owed more: credit the principal's account, the expense takes the debit
            self._scs_post_write_off(journal, label, payable, other, -owed, source.partner_id)
        self.write({"state": "written_off", "resolution": reason})

    def _scs_post_write_off(self, journal, label, account, other, amount, partner=None):
        """Post the write-off entry: ``amount`` on ``account`` (debit when positive),
        its opposite on ``other``, and link it to the case."""
        lines = [
            fields.Command.create(
                {
                    "account_id": acc.id,
                    "partner_id": partner.id if partner else False,
                    "name": label,
                    "debit": value if value > 0 else 0.0,
                    "credit": -value if value < 0 else 0.0,
                }
            )
            for acc, value in ((account, amount), (other, -amount))
        ]
        move = (
            self.env["account.move"]
            .sudo()
            .create(
                {"move_type": "entry", "journal_id": journal.id, "ref": label, "line_ids": lines}
            )
        )
        move.action_post()
        self.move_id = move
        return move

    def action_resolve(self, reason):
        """Close the case with a reason (e.g. the registry row arrived later)."""
        self._scs_check_open()
        if not (reason or "").strip():
            raise UserError(self.env._("Say why the case is resolved."))
        self.write({"state": "resolved", "resolution": reason})


class ScsReconcileSuggestion(models.Model):
    _name = "scs.reconcile.suggestion"
    _description = "Reconciliation Suggestion"
    _order = "case_id, score desc, id"

    case_id = fields.Many2one("scs.reconcile.case", required=True, ondelete="cascade", index=True)
    payment_id = fields.Many2one("pos.payment", ondelete="cascade")
    order_line_id = fields.Many2one("pos.order.line", string="Our Sales Line", ondelete="cascade")
    score = fields.Integer()
    reasons = fields.Char()
    currency_id = fields.Many2one(related="case_id.currency_id")
    amount = fields.Monetary(compute="_compute_amount")
    payment_date = fields.Datetime(related="payment_id.payment_date")
    document = fields.Char(related="order_line_id.scs_document_number")
    order_date = fields.Datetime(related="order_line_id.order_id.date_order", string="Order Date")

    @api.depends("payment_id.amount", "order_line_id.price_subtotal_incl")
    def _compute_amount(self):
        for suggestion in self:
            suggestion.amount = (
                suggestion.payment_id.amount
                if suggestion.payment_id
                else suggestion.order_line_id.price_subtotal_incl
            )

    def action_accept(self):
        self.ensure_one()
        if self.order_line_id:
            return self.case_id.action_match_line(self.order_line_id)
        return self.case_id.action_match(self.payment_id)
