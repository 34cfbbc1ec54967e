# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from dataclasses import replace
from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..adapters import relay
from ..adapters.driver import SHIFT_CLOSED, SHIFT_EXPIRED
from ..engine import agreement, ffd, queue

_logger = logging.getLogger(__name__)

STATES = [
    ("to_send", "To Send"),
    ("sent", "Sent"),
    ("unknown", "Fate Unknown"),
    ("done", "Done"),
    ("failed", "Failed"),
    ("correction", "Needs Correction"),
    ("corrected", "Corrected"),
]
OPEN_STATES = ("to_send", "sent", "unknown")
KINDS = [
    ("sale", "Sale"),
    ("refund", "Sale Refund"),
    ("correction", "Correction"),
    ("cash_in", "Cash In"),
    ("cash_out", "Cash Out"),
]
CASH_KINDS = ("cash_in", "cash_out")
BATCH = 20
#: documents a POS relays to its proxy after a sale, at most
RELAY_BATCH = 10


class ScsFiscalDocument(models.Model):
    """One fiscal document of one operation, from the queue to its fiscal sign."""

    _name = "scs.fiscal.document"
    _description = "Fiscal Document"
    _inherit = ["mail.thread"]
    _order = "id desc"

    name = fields.Char(required=True, readonly=True, default="/", copy=False)
    company_id = fields.Many2one(related="register_id.company_id", store=True, index=True)
    register_id = fields.Many2one(
        "scs.fiscal.register", required=True, readonly=True, index=True, ondelete="restrict"
    )
    kind = fields.Selection(KINDS, required=True, readonly=True)
    order_id = fields.Many2one("pos.order", readonly=True, index="btree_not_null")
    session_id = fields.Many2one("pos.session", readonly=True, index="btree_not_null")
    config_id = fields.Many2one("pos.config", readonly=True)
    cash_move_ref = fields.Char(readonly=True, help="The cash in/out this document records.")
    origin_id = fields.Many2one(
        "scs.fiscal.document", string="Corrects", readonly=True, index="btree_not_null"
    )
    correction_ids = fields.One2many("scs.fiscal.document", "origin_id", string="Corrections")
    external_id = fields.Char(
        required=True,
        readonly=True,
        copy=False,
        help="Sent with every try: the service or the proxy recognises a repeat by it.",
    )
    state = fields.Selection(
        STATES, required=True, default="to_send", readonly=True, tracking=True, index=True
    )
    payload = fields.Json(readonly=True, copy=False, help="The document exactly as it is sent.")
    amount_total = fields.Monetary(readonly=True, currency_field="currency_id")
    currency_id = fields.Many2one(related="register_id.company_id.currency_id")
    uuid = fields.Char(string="Service Id", readonly=True, copy=False)
    attempts = fields.Integer(readonly=True, copy=False)
    next_try = fields.Datetime(readonly=True, copy=False, index=True)
    last_error = fields.Char(readonly=True, copy=False, tracking=True)
    build_error = fields.Boolean(
        readonly=True, help="The document could not be built: it never reached a register."
    )
    shift_id = fields.Many2one("scs.fiscal.shift", readonly=True, index="btree_not_null")
    fn_number = fields.Char(string="Fiscal Drive", readonly=True, copy=False)
    fd_number = fields.Integer(string="Document No.", readonly=True, copy=False)
    fiscal_sign = fields.Char(readonly=True, copy=False)
    receipt_number = fields.Integer(string="Receipt No. in Shift", readonly=True, copy=False)
    shift_number = fields.Integer(readonly=True, copy=False)
    fiscal_moment = fields.Datetime(string="Fiscalized At", readonly=True, copy=False)
    ofd_url = fields.Char(string="Receipt Link", readonly=True, copy=False)
    qr_code = fields.Char(compute="_compute_qr_code", string="QR Content")
    agreement_state = fields.Selection(
        [("unchecked", "Not Checked"), ("ok", "Agrees"), ("mismatch", "Mismatch")],
        default="unchecked",
        readonly=True,
        copy=False,
        tracking=True,
    )
    mismatches = fields.Text(readonly=True, copy=False)

    _sql_constraints = [
        ("external_id_uniq", "unique(external_id)", "A fiscal document's external id is unique.")
    ]

    def init(self):
        # one receipt per order and kind, whatever retries or concurrent syncs do
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS scs_fiscal_document_order_kind_uniq
                ON scs_fiscal_document (order_id, kind)
             WHERE order_id IS NOT NULL AND kind IN ('sale', 'refund')
            """
        )

    @api.depends("fn_number", "fd_number", "fiscal_sign", "fiscal_moment", "amount_total", "kind")
    def _compute_qr_code(self):
        for document in self:
            if not document.fiscal_sign or document.kind not in ("sale", "refund", "correction"):
                document.qr_code = False
                continue
            moment = fields.Datetime.context_timestamp(
                document.with_context(tz=document.register_id.tz), document.fiscal_moment
            )
            operation = (document.payload or {}).get("1054", 1)
            document.qr_code = (
                f"t={moment:%Y%m%dT%H%M}&s={Decimal(str(document.amount_total)):.2f}"
                f"&fn={document.fn_number}&i={document.fd_number}"
                f"&fp={document.fiscal_sign}&n={operation}"
            )

    # queueing

    @api.model
    def _scs_external_id(self, kind, key):
        # the database uuid keeps test and production databases that share a
        # cloud group from answering each other's ids
        dbuuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid", "")
        return f"scs-{dbuuid[:8]}-{kind}-{key}"[:128]

    @api.model
    def _scs_queue_order(self, register, order, kind):
        """Queue the ``kind`` document of ``order``; a document that cannot be built is
        queued as failed, with the tag and the reason, so that nothing is lost."""
        vals = {
            "register_id": register.id,
            "kind": kind,
            "order_id": order.id,
            "session_id": order.session_id.id,
            "config_id": order.config_id.id,
            "external_id": self._scs_external_id(kind, order.uuid or order.id),
        }
        vals.update(self._scs_build_vals(order, kind, register))
        return self.create(vals)

    @api.model
    def _scs_build_vals(self, order, kind, register, correction=None):
        try:
            document = ffd.build(order._scs_fiscal_receipt(kind, register, correction))
        except ffd.FfdError as err:
            return {
                "state": "failed",
                "build_error": True,
                "payload": False,
                "last_error": str(err),
                "amount_total": abs(order.amount_total),
            }
        return {
            "state": "to_send",
            "build_error": False,
            "payload": ffd.to_json(document),
            "amount_total": Decimal(document[1020]) / 100,
            "last_error": False,
        }

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("scs.fiscal.document") or "/"
        return super().create(vals_list)

    # the queue

    def _scs_entry(self):
        return queue.Entry(
            external_id=self.external_id,
            state=self.state,
            uuid=self.uuid or "",
            attempts=self.attempts,
            next_try=self.next_try or None,
        )

    def _scs_lock(self):
        """Lock this document for one try; False when another worker holds it."""
        self.env.cr.execute(
            "SELECT id FROM scs_fiscal_document WHERE id = %s FOR UPDATE SKIP LOCKED", [self.id]
        )
        if not self.env.cr.fetchone():
            return False
        self.invalidate_recordset()
        return True

    def _scs_advance(self, force=False):
        """One try of each open document (due ones only unless ``force``); returns self."""
        now = fields.Datetime.now()
        for document in self:
            if not document._scs_lock() or document.state not in OPEN_STATES:
                continue
            if not force and not queue.due(document._scs_entry(), now):
                continue
            register = document.register_id
            try:
                driver = register._scs_driver()
            except UserError as err:
                document.write({"last_error": str(err), "next_try": now + queue.BACKOFF_MAX})
                continue
            if not driver.manages_shifts:
                try:
                    register._scs_ensure_shift(driver)
                except UserError as err:
                    # the register did not answer about its shift: nothing was printed
                    wait = queue.backoff(document.attempts + 1)
                    document.write({"last_error": str(err), "next_try": now + wait})
                    continue
            entry = queue.advance(
                document._scs_entry(),
                driver,
                ffd.from_json(document.payload),
                register._scs_company(),
                register._scs_clock(driver),
            )
            if entry.code in (SHIFT_CLOSED, SHIFT_EXPIRED) and not driver.manages_shifts:
                # the register's own view of its shift wins: fix it, then try again at once
                register._scs_shift_refused(driver, entry.code)
                entry = replace(entry, next_try=None)
            document._scs_apply(entry, driver)
        return self

    def _scs_apply(self, entry, driver):
        vals = {
            "state": entry.state,
            "uuid": entry.uuid or False,
            "attempts": entry.attempts,
            "next_try": entry.next_try,
            "last_error": entry.error or False,
        }
        if entry.state == queue.DONE_STATE:
            fiscal = entry.fiscal
            moment = fiscal.get("moment")
            vals.update(
                {
                    "fn_number": fiscal.get("fn_number"),
                    "fd_number": fiscal.get("document_number"),
                    "fiscal_sign": fiscal.get("fiscal_sign"),
                    "receipt_number": fiscal.get("receipt_number") or 0,
                    "shift_number": fiscal.get("shift_number") or 0,
                    "fiscal_moment": self.register_id._scs_to_utc(moment)
                    if moment
                    else fields.Datetime.now(),
                    "ofd_url": fiscal.get("ofd_url") or False,
                }
            )
            vals["shift_id"] = self.register_id._scs_note_shift(
                vals["shift_number"], vals["fiscal_moment"], driver
            ).id
        self.write(vals)
        if entry.state == queue.DONE_STATE:
            self._scs_check_agreement(entry.fiscal.get("total"))
            if self.origin_id and self.origin_id.state == "correction":
                self.origin_id.state = "corrected"

    @api.model
    def _cron_process_queue(self):
        now = fields.Datetime.now()
        domain = [
            # a local register is reached by its cash desk's POS only (scs_relay_result)
            ("register_id.kind", "!=", "local"),
            ("state", "in", OPEN_STATES),
            "|",
            ("next_try", "=", False),
            ("next_try", "<=", now),
        ]
        documents = self.search(domain, order="next_try asc nulls first, id", limit=BATCH)
        documents._scs_advance()
        remaining = self.search_count(domain) if len(documents) == BATCH else 0
        self.env["ir.cron"]._notify_progress(done=len(documents), remaining=remaining)

    # local registers: the POS relays to the hardware proxy

    def _scs_may_relay(self):
        """The current user works the session of this document, or manages the POS."""
        self.ensure_one()
        user = self.env.user
        if user.has_group("point_of_sale.group_pos_manager"):
            return True
        return user in (self.order_id.user_id | self.session_id.user_id)

    def _scs_relay_txns(self):
        """The request ids of the card payments the receipt covers: the proxy prints it only
        while their money stands, and commits that money once it is printed."""
        self.ensure_one()
        if self.kind not in ("sale", "refund") or not self.order_id:
            return []
        payments = self.order_id.payment_ids.filtered(
            lambda p: p.scs_terminal_request_id
            and not p.is_change
            and (p.amount > 0) == (self.kind == "sale")
        )
        return list(dict.fromkeys(payments.mapped("scs_terminal_request_id")))

    def _scs_relay_item(self):
        """What the POS sends to the hardware proxy for this document, and to whom."""
        self.ensure_one()
        if self.kind in CASH_KINDS:
            route = f"/scs/fiscal/{self.kind}"
            params = {"external_id": self.external_id, "amount": self.payload["sum"]}
        else:
            route = "/scs/fiscal/receipt"
            params = {
                "external_id": self.external_id,
                "document": self.payload,
                "txns": self._scs_relay_txns(),
            }
        if self.order_id:
            cashier, cashier_inn = self.order_id._scs_fiscal_cashier()
        else:
            user = self.session_id.user_id or self.env.user
            cashier, cashier_inn = user.name, user.scs_cashier_inn
        return {
            "document_id": self.id,
            "name": self.name,
            "kind": self.kind,
            "route": route,
            "params": params,
            # for the shift the POS opens when the register has none open
            "cashier": cashier or "",
            "cashier_inn": cashier_inn or "",
        }

    @api.model
    def scs_relay_pending(self, config_id):
        """The open documents of this cash desk's local register the POS may relay now:
        those a lost answer, a refusal or an empty paper roll left behind."""
        config = self.env["pos.config"].browse(config_id)
        config.check_access("read")
        now = fields.Datetime.now()
        documents = self.sudo().search(
            [
                ("config_id", "=", config.id),
                ("register_id.kind", "=", "local"),
                ("state", "in", OPEN_STATES),
                "|",
                ("next_try", "=", False),
                ("next_try", "<=", now),
            ],
            order="id",
        )
        documents = documents.filtered(lambda d: d._scs_may_relay())[:RELAY_BATCH]
        return [document._scs_relay_item() for document in documents]

    @api.model
    def scs_relay_result(self, document_id, answer):
        """Apply what the hardware proxy answered the POS about a local register's
        document, through the queue's state machine; return what the receipt prints.

        ``answer``: the proxy's result, or ``{"error": {"name", "message"}}`` for its
        refusal (``connection_lost`` when the POS got no answer). A document no longer
        open is left as it is: reporting the same answer twice changes nothing.
        """
        document = self.browse(document_id).exists()
        if not document:
            raise UserError(_("This fiscal document does not exist."))
        document.check_access("read")
        document = document.sudo()
        if not document._scs_may_relay():
            raise AccessError(
                _(
                    "Fiscal document %(name)s belongs to another cashier's session.",
                    name=document.name,
                )
            )
        if document.register_id.kind != "local":
            raise UserError(
                _("Only the documents of a local register are printed through the POS.")
            )
        if document.state not in OPEN_STATES:
            return document._scs_receipt_data()
        try:
            relayed = relay.outcome(
                answer,
                document.external_id,
                document.register_id.tz,
                needs_sign=document.kind not in CASH_KINDS,
            )
        except relay.BadAnswer as err:
            raise UserError(
                _(
                    "The hardware proxy's answer about %(name)s cannot be read: %(error)s",
                    name=document.name,
                    error=str(err),
                )
            ) from err
        # another report of the same document holds the lock: it applies its answer
        if document._scs_lock() and document.state in OPEN_STATES:
            document._scs_relay_apply(relayed)
        return document._scs_receipt_data()

    def _scs_relay_apply(self, relayed):
        driver = relay.RelayDriver(relayed)
        entry = queue.advance(self._scs_entry(), driver, None, None, fields.Datetime.now())
        self._scs_apply(entry, driver)
        shift = self.shift_id
        if self.state == queue.DONE_STATE and shift:
            # the POS opened this shift through the proxy: the ones before it are over
            self.env["scs.fiscal.shift"].search(
                [
                    ("register_id", "=", self.register_id.id),
                    ("state", "=", "open"),
                    ("number", "<", shift.number),
                ]
            ).write({"state": "closed", "closed_at": self.fiscal_moment})

    # agreement

    def _scs_check_agreement(self, fiscal_total=None):
        """Compare each document with its order; store and return the mismatches."""
        found = {}
        for document in self.filtered(lambda d: d.payload and d.order_id):
            kind = document.origin_id.kind if document.kind == "correction" else document.kind
            mismatches = agreement.check(
                ffd.from_json(document.payload),
                document.order_id._scs_fiscal_facts(kind, document.register_id),
                fiscal_total,
            )
            found[document] = mismatches
            document.write(
                {
                    "agreement_state": "mismatch" if mismatches else "ok",
                    "mismatches": "\n".join(str(m) for m in mismatches) or False,
                }
            )
        return found

    def action_check_agreement(self):
        self._scs_check_agreement()
        return True

    # a person's actions

    def action_retry(self):
        """Send a failed document again: rebuilt if it never reached a register, else
        asked about first (its external id is kept: a repeat can never duplicate it)."""
        self.check_access("write")
        for document in self:
            if document.state != "failed":
                raise UserError(_("Only a failed document can be retried."))
            if document.build_error and document.order_id:
                vals = self._scs_build_vals(document.order_id, document.kind, document.register_id)
                vals.update({"attempts": 0, "next_try": False})
                document.write(vals)
                if vals["state"] == "failed":
                    raise UserError(vals["last_error"])
            else:
                document.write(
                    {"state": "unknown" if document.attempts else "to_send", "attempts": 0,
                     "next_try": False}
                )  # fmt: skip
        # a local register's document waits for its cash desk's POS, which relays it
        self._scs_server_side()._scs_advance(force=True)
        return True

    def action_send_now(self):
        self.check_access("write")
        self._scs_server_side()._scs_advance(force=True)
        return True

    def _scs_server_side(self):
        """The documents the server sends itself: not those of a local register."""
        return self.filtered(lambda d: d.register_id.kind != "local")

    def action_correction(self):
        self.ensure_one()
        self.check_access("write")
        if self.state not in ("failed", "correction") or not self.order_id:
            raise UserError(
                _("A correction receipt corrects an order whose fiscal document failed.")
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "scs.fiscal.correction.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_document_id": self.id},
        }

    def _scs_queue_correction(self, kind, order_number):
        """Queue the correction receipt of this failed document (FFD 1173/1174)."""
        self.ensure_one()
        order = self.order_id
        correction = ffd.Correction(
            kind=kind, base_date=order._scs_fiscal_day(self.register_id), order_number=order_number
        )
        vals = self._scs_build_vals(order, self.kind, self.register_id, correction)
        if vals["state"] == "failed":
            raise UserError(vals["last_error"])
        number = len(self.correction_ids) + 1
        vals.update(
            {
                "register_id": self.register_id.id,
                "kind": "correction",
                "origin_id": self.id,
                "order_id": order.id,
                "session_id": order.session_id.id,
                "config_id": order.config_id.id,
                "external_id": self._scs_external_id("correction", f"{self.id}-{number}"),
            }
        )
        correction_doc = self.create(vals)
        self.state = "correction"
        self.message_post(body=_("Correction receipt %(name)s queued.", name=correction_doc.name))
        return correction_doc

    def _scs_receipt_data(self):
        """What the POS prints under the receipt."""
        self.ensure_one()
        return {
            "state": self.state,
            "kind": self.kind,
            "fn": self.fn_number or "",
            "fd": self.fd_number or 0,
            "fp": self.fiscal_sign or "",
            "moment": fields.Datetime.context_timestamp(
                self.with_context(tz=self.register_id.tz), self.fiscal_moment
            ).strftime("%d.%m.%Y %H:%M")
            if self.fiscal_moment
            else "",
            "shift": self.shift_number or 0,
            "receipt": self.receipt_number or 0,
            "qr": self.qr_code or "",
            "error": self.last_error or "",
        }
