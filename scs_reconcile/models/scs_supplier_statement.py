# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.scs_pos.engine.agent import split_agent_amount
from odoo.addons.scs_pos.engine.money import from_kopecks, to_kopecks

from ..engine import agent_match, registry, statement

STATUSES = [
    (agent_match.MATCHED, "Matched"),
    (agent_match.SPLIT, "Matched to several lines"),
    (agent_match.COMMISSION_MISMATCH, "Commission differs"),
    (agent_match.AMOUNT_MISMATCH, "Amount differs"),
    (agent_match.DUPLICATE, "Duplicate"),
    (agent_match.UNMATCHED, "Not in our sales"),
]
#: row status -> the kind of the case it opens
CASE_KINDS = {
    agent_match.AMOUNT_MISMATCH: "STATEMENT_AMOUNT",
    agent_match.COMMISSION_MISMATCH: "STATEMENT_COMMISSION",
    agent_match.DUPLICATE: "STATEMENT_DUPLICATE",
    agent_match.UNMATCHED: "STATEMENT_UNMATCHED",
}
SOLD = ("paid", "done", "invoiced")
#: a document number as the engine compares it (statement.document_key), in SQL;
#: pos.order.line has an index on it
DOCUMENT_KEY_SQL = r"upper(regexp_replace(scs_document_number, '[\s\-/]+', '', 'g'))"


class ScsSupplierStatement(models.Model):
    """One statement file of a supplier, imported whole or not at all, and checked
    against our agent sales of that supplier in its period."""

    _name = "scs.supplier.statement"
    _description = "Supplier Statement"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="File", required=True, readonly=True)
    source_id = fields.Many2one(
        "scs.statement.source", required=True, readonly=True, index=True, check_company=True
    )
    partner_id = fields.Many2one(related="source_id.partner_id", store=True, string="Supplier")
    company_id = fields.Many2one(related="source_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    profile_id = fields.Many2one("scs.reconcile.profile", required=True, readonly=True)
    sha256 = fields.Char(required=True, readonly=True, index=True)
    user_id = fields.Many2one(
        "res.users", string="Imported By", readonly=True, default=lambda self: self.env.user
    )
    date_from = fields.Date(string="Period From", required=True, readonly=True)
    date_to = fields.Date(string="Period To", required=True, readonly=True)
    row_ids = fields.One2many("scs.supplier.statement.row", "statement_id", readonly=True)
    missing_line_ids = fields.Many2many(
        "pos.order.line",
        "scs_statement_missing_line_rel",
        "statement_id",
        "line_id",
        string="Missing from the Statement",
        readonly=True,
        help="Our agent sales of the period that the statement does not list.",
    )
    row_count = fields.Integer(readonly=True)
    matched_count = fields.Integer(readonly=True)
    open_count = fields.Integer(string="To Review", readonly=True)
    missing_count = fields.Integer(string="Missing Sales", readonly=True)
    skipped_count = fields.Integer(
        string="Rows Already Imported",
        readonly=True,
        help="Rows of this file that an earlier statement had already brought in.",
    )
    amount_total = fields.Monetary(string="Statement Total", readonly=True)
    our_total = fields.Monetary(
        string="Our Sales in the Period",
        readonly=True,
        help="Our agent sales of the supplier in the statement's period, refunds deducted.",
    )
    case_ids = fields.One2many("scs.reconcile.case", "statement_id", string="Cases")

    _sql_constraints = [
        (
            "sha256_uniq",
            "unique(source_id, sha256)",
            "This statement file has already been imported.",
        ),
    ]

    @api.model
    def _scs_import(self, source, data, filename, date_from=None, date_to=None):
        """Parse ``data`` with the source's profile, match it with our agent lines of
        the period (the rows' first and last day unless given) and store it with
        its cases; or raise a ``UserError`` naming the line and column and write
        nothing. Returns the statement, or an empty recordset for a file imported
        before."""
        _ = self.env._
        source.check_access("read")
        self.check_access("create")
        try:
            parsed = statement.parse(data, source.profile_id._scs_engine_profile(), filename)
        except registry.RegistryError as err:
            raise UserError(
                _("%(file)s was not imported: %(error)s", file=filename, error=err)
            ) from None
        currency = source.company_id.currency_id.name
        alien = next((r for r in parsed.rows if r.currency not in (currency, "RUB")), None)
        if alien:
            raise UserError(
                _(
                    "%(file)s was not imported: line %(line)s is in %(currency)s, "
                    "the company keeps %(ours)s.",
                    file=filename,
                    line=alien.line,
                    currency=alien.currency,
                    ours=currency,
                )
            )
        if not parsed.rows:
            raise UserError(_("%(file)s lists no sales.", file=filename))
        Self = self.sudo()
        if Self.search_count([("source_id", "=", source.id), ("sha256", "=", parsed.sha256)]):
            return self.browse()
        days = [r.day for r in parsed.rows]
        date_from = date_from or min(days)
        date_to = date_to or max(days)
        if date_from > date_to:
            raise UserError(_("The statement's period ends before it starts."))
        Row = self.env["scs.supplier.statement.row"].sudo()
        known = set(
            Row.search(
                [("source_id", "=", source.id), ("key", "in", [r.key for r in parsed.rows])]
            ).mapped("key")
        )
        new = [r for r in parsed.rows if r.key not in known]
        lines = self._scs_agent_lines(
            source, date_from, date_to, {r.document_key for r in new if r.document_key}
        )
        ours = self._scs_engine_lines(source, lines)
        result = agent_match.match(
            new,
            ours,
            source._scs_tolerance(),
            (date_from, date_to),
        )
        outcomes = {o.row_line: o for o in result.outcomes}
        missing = lines.browse(result.missing)
        reg = Self.create(
            {
                "name": filename,
                "user_id": self.env.user.id,
                "source_id": source.id,
                "profile_id": source.profile_id.id,
                "sha256": parsed.sha256,
                "date_from": date_from,
                "date_to": date_to,
                "skipped_count": len(parsed.rows) - len(new),
                "row_count": len(new),
                "matched_count": sum(
                    o.status in (agent_match.MATCHED, agent_match.SPLIT) for o in result.outcomes
                ),
                "open_count": sum(o.status in CASE_KINDS for o in result.outcomes),
                "missing_count": len(missing),
                "amount_total": float(sum((r.amount for r in parsed.rows), Decimal(0))),
                "our_total": float(
                    sum((o.amount for o in ours if date_from <= o.day <= date_to), Decimal(0))
                ),
                "missing_line_ids": [fields.Command.set(missing.ids)],
                "row_ids": [
                    fields.Command.create(Row._scs_values(r, source, outcomes[r.line])) for r in new
                ],
            }
        )
        reg.message_post(
            body=_(
                "%(rows)s rows imported from %(file)s (%(skipped)s already known): "
                "%(matched)s matched, %(open)s to review, %(missing)s of our sales missing.",
                rows=len(new),
                file=filename,
                skipped=len(parsed.rows) - len(new),
                matched=reg.matched_count,
                open=reg.open_count,
                missing=len(missing),
            ),
            attachments=[(filename, data)],
        )
        reg._scs_open_cases(result, missing)
        return reg.with_env(self.env)

    @api.model
    def _scs_agent_lines(self, source, date_from, date_to, documents):
        """Our sold agent lines of the supplier around the period (a day either side
        covers every office's offset from UTC, the day window the item rows' dates),
        and those of the statement's ``documents`` (normalised) whenever sold, with
        their refunds: a policy sold last month may be refunded in this one."""
        Line = self.env["pos.order.line"].sudo()
        margin = datetime.timedelta(days=source.day_window + 1)
        start = datetime.datetime.combine(date_from - margin, datetime.time())
        end = datetime.datetime.combine(
            date_to + margin + datetime.timedelta(days=1), datetime.time()
        )
        mine = [
            ("product_id.scs_service_kind", "=", "agent"),
            ("product_id.scs_supplier_id", "=", source.partner_id.id),
            ("order_id.company_id", "=", source.company_id.id),
            ("order_id.state", "in", SOLD),
        ]
        lines = Line.search(
            mine + [("order_id.date_order", ">=", start), ("order_id.date_order", "<", end)]
        )
        if documents:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM pos_order_line"
                    " WHERE scs_document_number IS NOT NULL AND %s = ANY(%s)",
                    SQL(DOCUMENT_KEY_SQL),
                    list(documents),
                )
            )
            sold = Line.search(mine + [("id", "in", [r[0] for r in self.env.cr.fetchall()])])
            lines |= sold | Line.search(mine + [("refunded_orderline_id", "in", sold.ids)])
        return lines.sorted("id")

    @api.model
    def _scs_engine_lines(self, source, lines):
        Contract = self.env["scs.agent.contract"].sudo()
        percents = {}
        settled = set(
            self.env["scs.supplier.statement.row"]
            .sudo()
            .search(
                [
                    ("order_line_ids", "in", lines.ids),
                    ("status", "in", list(agent_match.SETTLING)),
                ]
            )
            .order_line_ids.ids
        )
        found = []
        for line in lines:
            day = _local_day(line)
            if day not in percents:
                try:
                    percents[day] = Contract._commission_percent(
                        source.partner_id, source.company_id, day
                    )
                except UserError:
                    percents[day] = None  # no contract: the commission is not checked
            amount = Decimal(str(line.price_subtotal_incl)).quantize(Decimal("0.01"))
            commission = None
            if percents[day] is not None:
                commission = from_kopecks(split_agent_amount(to_kopecks(amount), percents[day])[0])
            found.append(
                agent_match.AgentLine(
                    key=line.id,
                    day=day,
                    amount=amount,
                    # a refund line carries no document: it is its sale's
                    document=line.scs_document_number
                    or line.refunded_orderline_id.scs_document_number
                    or "",
                    item=line.product_id.default_code or line.product_id.barcode or "",
                    quantity=Decimal(str(abs(line.qty))),
                    commission=commission,
                    booking=line.scs_booking_ref or "",
                    settled=line.id in settled,
                )
            )
        return found

    def _scs_open_cases(self, result, missing):
        """A case per row to review and per line missing from the statement; a line
        that this statement lists closes the missing case an earlier one opened."""
        self.ensure_one()
        Case = self.env["scs.reconcile.case"].sudo()
        suggestions = {}
        for suggestion in result.suggestions:
            suggestions.setdefault(suggestion.row_line, []).append(suggestion)
        values = []
        for row in self.row_ids.filtered(lambda r: r.status in CASE_KINDS):
            values.append(
                {
                    "kind": CASE_KINDS[row.status],
                    "statement_id": self.id,
                    "statement_row_id": row.id,
                    "order_line_id": row.order_line_ids[:1].id,
                    "amount": row.amount,
                    "difference": row.commission_difference
                    if row.status == agent_match.COMMISSION_MISMATCH
                    else row.difference,
                    "document": row.document or row.item,
                    "day": row.day,
                    "suggestion_ids": [
                        fields.Command.create(
                            {
                                "order_line_id": s.line_key,
                                "score": s.score,
                                "reasons": ", ".join(s.reasons),
                            }
                        )
                        for s in suggestions.get(row.line, [])
                    ],
                }
            )
        already = set(
            Case.search([("order_line_id", "in", missing.ids), ("kind", "=", "STATEMENT_MISSING")])
            .mapped("order_line_id")
            .ids
        )
        for line in missing.filtered(lambda m: m.id not in already):
            values.append(
                {
                    "kind": "STATEMENT_MISSING",
                    "statement_id": self.id,
                    "order_line_id": line.id,
                    "amount": line.price_subtotal_incl,
                    "document": line.scs_document_number or line.product_id.default_code,
                    "day": _local_day(line),
                }
            )
        Case.create(values)
        listed = self.row_ids.filtered(lambda r: r.status in agent_match.SETTLING).order_line_ids
        Case.search(
            [
                ("order_line_id", "in", listed.ids),
                ("kind", "=", "STATEMENT_MISSING"),
                ("state", "in", ("open", "in_progress")),
            ]
        ).write(
            {
                "state": "resolved",
                "resolution": self.env._("Listed in the statement %(file)s.", file=self.name),
            }
        )

    def action_view_cases(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "scs_reconcile.scs_reconcile_case_action"
        )
        action["domain"] = [("statement_id", "=", self.id)]
        action["context"] = {}
        return action


def _local_day(line):
    return line.order_id._scs_local_day(line.order_id.user_id.tz)
