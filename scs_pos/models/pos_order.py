# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from decimal import Decimal

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare

from ..engine import approval, cashbook, refund
from .refund_messages import refund_message

PAID_STATES = ("paid", "done", "invoiced")


def _dec(value):
    return Decimal(str(value)).quantize(Decimal("0.01"))


class PosOrder(models.Model):
    _inherit = "pos.order"

    scs_office_id = fields.Many2one(
        "scs.office",
        string="Sales Office",
        related="session_id.config_id.scs_office_id",
        store=True,
        index=True,
    )
    # bumped under a row lock by every refund of this order: two cashiers
    # refunding it at once are serialized (the later one retries and sees the first)
    scs_refund_seq = fields.Integer(string="Refund Lock Counter", copy=False, readonly=True)
    scs_approval_ids = fields.One2many("scs.approval", "order_id", string="Approvals")
    scs_business_day = fields.Date(
        string="Business Day",
        related="session_id.scs_business_day",
        store=True,
        index=True,
    )
    # how the order was built, kept when it is paid: the manager's speed figures
    scs_booking_lookup_at = fields.Datetime(
        string="Booking Found At",
        readonly=True,
        copy=False,
        help="When the first booking of the order was found by its reference.",
    )
    scs_seconds_to_pay = fields.Integer(
        string="Seconds from Booking to Payment",
        readonly=True,
        copy=False,
        aggregator="avg",
    )
    scs_one_click = fields.Boolean(
        string="Built in One Click",
        readonly=True,
        copy=False,
        help="Every service of the order came with its booking: nothing was added by hand.",
    )

    # A POS retries an order sync until it gets an answer: the uuid is the
    # idempotency key, so a replay that slips past sync_from_ui's lookup (two
    # concurrent requests) fails in the database instead of making a twin order.
    _sql_constraints = [
        ("scs_uuid_uniq", "unique(uuid)", "A POS order with this UUID already exists."),
    ]

    @api.model
    def sync_from_ui(self, orders):
        # a user disabled in the directory sends no more orders (the POS keeps them)
        self.env.user._scs_check_directory_for_sync()
        return super().sync_from_ui(orders)

    def _scs_local_day(self, fallback_tz=None):
        """The order's day in its office's time zone (else ``fallback_tz``, the user's,
        Moscow): a sale at 01:00 in Irkutsk is that day's, not the previous UTC day's."""
        self.ensure_one()
        tz = self.config_id.scs_office_id.tz or fallback_tz or self.env.user.tz or "Europe/Moscow"
        return cashbook.local_day(self.date_order or fields.Datetime.now(), pytz.timezone(tz))

    def _prepare_tax_base_line_values(self):
        # set by pos.session._accumulate_amounts when SCS builds the sales itself
        if self.env.context.get("scs_skip_sales"):
            return []
        return super()._prepare_tax_base_line_values()

    # tenders, refunds and approvals

    def _process_saved_order(self, draft):
        if not draft and self.state != "cancel":
            # Odoo logs and swallows errors of action_pos_order_paid during a sync and
            # keeps the order paid: a broken SCS rule must refuse the sync instead, so
            # that the POS keeps the order and the cashier sees why.
            self._scs_check_payment()
            self._scs_record_speed()
            self = self.with_context(scs_payment_checked=True)
        return super()._process_saved_order(draft)

    def _scs_record_speed(self):
        """Keep when the order's booking was found and how long payment took after it."""
        self.ensure_one()
        if not self.uuid or self.amount_total < 0:
            return
        self.env.cr.execute(
            SQL(
                "SELECT min(create_date) FROM scs_booking_hold WHERE order_uuid = %s",
                self.uuid,
            )
        )
        found_at = self.env.cr.fetchone()[0]
        sold = self.lines.filtered(lambda line: line.qty > 0)
        paid_at = max(self.payment_ids.mapped("payment_date") or [fields.Datetime.now()])
        self.write(
            {
                "scs_booking_lookup_at": found_at,
                "scs_seconds_to_pay": max(0, int((paid_at - found_at).total_seconds()))
                if found_at
                else 0,
                "scs_one_click": bool(found_at and sold)
                and all(line.scs_booking_ref for line in sold),
            }
        )

    def action_pos_order_paid(self):
        if not self.env.context.get("scs_payment_checked"):
            self._scs_check_payment()
        return super().action_pos_order_paid()

    def _scs_refunded_order(self):
        return self.lines.refunded_orderline_id.order_id

    def _scs_lock_refunded(self, originals):
        if originals:
            self.env.cr.execute(
                "UPDATE pos_order SET scs_refund_seq = COALESCE(scs_refund_seq, 0) + 1 "
                "WHERE id IN %s",
                [tuple(originals.ids)],
            )

    def _scs_check_payment(self):
        """Tender rules, refund caps and role limits of an order being paid."""
        self.ensure_one()
        foreign = self.config_id._scs_not_sold(self.lines.product_id)
        if foreign:
            raise UserError(
                self.env._(
                    "Mobile terminal %(config)s does not sell %(products)s: it sells the "
                    "extra services of its categories.",
                    config=self.config_id.name,
                    products=", ".join(foreign.mapped("display_name")),
                )
            )
        original = self._scs_refunded_order()
        self._scs_lock_refunded(original)
        self._scs_check_tenders()
        card_to_cash = Decimal(0)
        if original:
            self._scs_check_refund_lines()
            card_to_cash = self._scs_link_refund_payments(original)
        elif self.payment_ids.filtered(lambda p: p.amount < 0 and not p.is_change):
            raise UserError(
                self.env._("Order %(order)s gives money back but refunds nothing.", order=self.name)
            )
        self._scs_check_approvals(card_to_cash)

    def _scs_check_tenders(self):
        payments = self.payment_ids
        change = payments.filtered("is_change")
        if change.filtered(lambda p: p.scs_tender_kind != refund.CASH):
            raise UserError(self.env._("Change is given in cash only."))
        non_cash = sum(
            payments.filtered(lambda p: p.scs_tender_kind != refund.CASH and p.amount > 0).mapped(
                "amount"
            )
        )
        if (
            self.amount_total >= 0
            and float_compare(
                non_cash, self.amount_total, precision_rounding=self.currency_id.rounding
            )
            > 0
        ):
            raise UserError(
                self.env._(
                    "Order %(order)s: non-cash tenders pay %(paid)s of %(total)s; "
                    "change is given in cash only.",
                    order=self.name,
                    paid=non_cash,
                    total=self.amount_total,
                )
            )
        missing = payments._scs_missing_card_details()
        if missing:
            raise UserError(
                self.env._(
                    "Card payment %(payment)s needs the RRN and the authorisation code "
                    "from the terminal's slip.",
                    payment=", ".join(missing.mapped("payment_method_id.name")),
                )
            )

    def _scs_check_refund_lines(self):
        refund_lines = self.lines.filtered("refunded_orderline_id")
        for original in refund_lines.refunded_orderline_id:
            mine = refund_lines.filtered(lambda line, o=original: line.refunded_orderline_id == o)
            if any(line.qty >= 0 for line in mine):
                raise UserError(
                    self.env._(
                        "A refund line of %(line)s must have a negative quantity.",
                        line=original.full_product_name,
                    )
                )
            earlier = original.refund_orderline_ids.filtered(
                lambda line: line.order_id != self and line.order_id.state in PAID_STATES
            )
            try:
                refund.check_line(
                    Decimal(str(original.qty)),
                    Decimal(str(-sum(earlier.mapped("qty")))),
                    _dec(original.price_subtotal_incl),
                    -_dec(sum(earlier.mapped("price_subtotal_incl"))),
                    Decimal(str(-sum(mine.mapped("qty")))),
                    -_dec(sum(mine.mapped("price_subtotal_incl"))),
                    line=original.full_product_name,
                )
            except refund.RefundError as err:
                raise UserError(refund_message(self.env, err)) from err

    def _scs_tenders(self, original, exclude=None):
        """The original order's payments as engine tenders, less earlier refunds."""
        payments = original.payment_ids
        tenders = []
        change = -_dec(sum(payments.filtered("is_change").mapped("amount")))
        for payment in payments.filtered(lambda p: p.amount > 0 and not p.is_change):
            paid = _dec(payment.amount)
            if change and payment.scs_tender_kind == refund.CASH:
                # the change came out of the cash that was handed over
                taken = min(change, paid)
                paid -= taken
                change -= taken
            refunds = payment.scs_refund_payment_ids.filtered(
                lambda r: r.pos_order_id != exclude and r.pos_order_id.state in PAID_STATES
            )
            tenders.append(
                refund.Tender(
                    payment.id,
                    payment.scs_tender_kind,
                    paid,
                    -_dec(sum(refunds.mapped("amount"))),
                    label=payment.payment_method_id.name
                    + (f" {payment.scs_card_mask or payment.scs_rrn}" if payment.scs_rrn else ""),
                )
            )
        return tenders

    def _scs_link_refund_payments(self, original):
        """Tie each refund payment to the tender it gives back; return card money given as cash."""
        refund_payments = self.payment_ids.filtered(lambda p: p.amount < 0 and not p.is_change)
        if self.amount_total >= 0:
            if refund_payments:
                raise UserError(
                    self.env._(
                        "In an exchange the customer pays only the difference: "
                        "order %(order)s must not give money back.",
                        order=self.name,
                    )
                )
            return Decimal(0)
        try:
            shares, card_to_cash = self._scs_refund_split(
                original,
                [
                    (p.scs_tender_kind, -_dec(p.amount), p.scs_refunded_payment_id.id or None)
                    for p in refund_payments
                ],
                exclude=self,
            )
        except refund.RefundError as err:
            raise UserError(refund_message(self.env, err)) from err
        self._scs_write_links(refund_payments, shares)
        return card_to_cash

    @api.model
    def _scs_refund_split(self, original, payments, exclude=None):
        """Link refund ``payments`` (kind, amount, tender id or None) to the tenders of
        ``original`` and check the split; return the shares and the card money given as
        cash. Raises ``engine.refund.RefundError``."""
        rules = self.env["pos.payment.method"]._scs_tender_rules()
        tenders = self._scs_tenders(original, exclude=exclude)
        shares = refund.link_payments(payments, tenders, rules)
        total = sum((share.amount for share in shares), Decimal(0))
        needed = refund.check_split(total, tenders, shares, rules)
        return shares, sum((share.amount for share in needed), Decimal(0))

    def _scs_write_links(self, refund_payments, shares):
        # link_payments returns the shares in payment order: one or more per payment
        queue = list(shares)
        for payment in refund_payments:
            rest = -_dec(payment.amount)
            mine = []
            while rest > 0:
                share = queue.pop(0)
                mine.append(share)
                rest -= share.amount
            first, *others = mine
            payment.write(
                {
                    "amount": -float(first.amount),
                    "scs_refunded_payment_id": first.tender_key,
                    "scs_as_cash": first.as_cash,
                }
            )
            for share in others:
                payment.copy(
                    {
                        "pos_order_id": self.id,
                        "amount": -float(share.amount),
                        "scs_refunded_payment_id": share.tender_key,
                        "scs_as_cash": share.as_cash,
                    }
                )

    def _scs_needs(self, card_to_cash):
        discount = Decimal(
            str(max(self.lines.filtered(lambda line: line.qty > 0).mapped("discount"), default=0))
        )
        refund_amount = max(Decimal(0), -_dec(self.amount_total))
        if not (discount or refund_amount or card_to_cash):
            # a plain sale: no limit to look up
            return []
        limit = self.env["scs.role.limit"]._limit_for(self.env.user, self.company_id)
        return approval.needs(
            limit, max_discount=discount, refund=refund_amount, card_to_cash=card_to_cash
        )

    def _scs_check_approvals(self, card_to_cash):
        needs = self._scs_needs(card_to_cash)
        if not needs:
            return
        approvals = self.env["scs.approval"]._for_order(self)
        missing = approval.uncovered(needs, [(a.kind, a._value()) for a in approvals])
        if missing:
            raise UserError(
                self.env._(
                    "Order %(order)s needs a manager's approval: %(needs)s. "
                    "A manager approves it at the cash desk with their PIN, "
                    "or in the back office with Approve on the order.",
                    order=self.name,
                    needs=", ".join(self._scs_need_label(need) for need in missing),
                )
            )
        approvals.filtered(lambda a: not a.order_id).write({"order_id": self.id})

    def _scs_need_label(self, need):
        if need.kind == approval.DISCOUNT:
            return self.env._("discount of %(value)s%%", value=need.value)
        if need.kind == approval.REFUND:
            return self.env._("refund of %(value)s", value=need.value)
        return self.env._("card money of %(value)s given as cash", value=need.value)

    def action_scs_approve(self):
        """Back office: a manager approves what this order needs."""
        self.ensure_one()
        if not self.env.user.has_group("scs_pos.group_scs_manager"):
            raise UserError(self.env._("Only a manager approves."))
        refund_amount = max(Decimal(0), -_dec(self.amount_total))
        needs = self._scs_needs(Decimal(0))
        if needs:
            kind, value = needs[0].kind, needs[0].value
        else:
            # a refund's tenders are chosen at payment: card money as cash is the usual case
            kind, value = approval.CARD_TO_CASH, refund_amount
        return {
            "type": "ir.actions.act_window",
            "res_model": "scs.approval",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_order_id": self.id,
                "default_kind": kind,
                "default_amount": float(value) if kind != approval.DISCOUNT else 0.0,
                "default_discount": float(value) if kind == approval.DISCOUNT else 0.0,
            },
        }

    # POS

    @api.model
    def scs_refund_proposal(self, config_id, refunded_order_id, amount):
        """The policy's split of a refund of ``amount`` over the order's tenders."""
        self.env["pos.config"].browse(config_id).check_access("read")
        original = self.browse(refunded_order_id)
        original.check_access("read")
        rules = self.env["pos.payment.method"]._scs_tender_rules()
        tenders = self._scs_tenders(original)
        try:
            shares = refund.allocate(_dec(amount), tenders, rules)
        except refund.RefundError as err:
            return {"error": refund_message(self.env, err)}
        payments = self.env["pos.payment"].browse([share.tender_key for share in shares])
        return {
            "shares": [
                {
                    "payment_id": payment.id,
                    "payment_method_id": payment.payment_method_id.id,
                    "amount": float(share.amount),
                    "rrn": payment.scs_rrn or "",
                }
                for payment, share in zip(payments, shares, strict=True)
            ]
        }

    @api.model
    def scs_pos_needs(self, config_id, data):
        """Approvals the POS must collect before it pays ``data`` (uuid, lines, payments).

        ``data``: ``{"uuid", "amount_total", "max_discount", "refunded_order_id",
        "payments": [{"payment_method_id", "amount", "refunded_payment_id"}]}``.
        """
        config = self.env["pos.config"].browse(config_id)
        config.check_access("read")
        card_to_cash = Decimal(0)
        original = self.browse(data.get("refunded_order_id") or [])
        refunds = [p for p in data.get("payments", []) if p["amount"] < 0]
        if original and refunds and data["amount_total"] < 0:
            methods = self.env["pos.payment.method"].browse(
                [p["payment_method_id"] for p in refunds]
            )
            kinds = {m.id: m.scs_tender_kind for m in methods}
            try:
                _shares, card_to_cash = self._scs_refund_split(
                    original,
                    [
                        (
                            kinds[p["payment_method_id"]],
                            -_dec(p["amount"]),
                            p.get("refunded_payment_id") or None,
                        )
                        for p in refunds
                    ],
                )
            except refund.RefundError as err:
                return {"error": refund_message(self.env, err)}
        limit = self.env["scs.role.limit"]._limit_for(self.env.user, config.company_id)
        needs = approval.needs(
            limit,
            max_discount=Decimal(str(data.get("max_discount") or 0)),
            refund=max(Decimal(0), -_dec(data.get("amount_total") or 0)),
            card_to_cash=card_to_cash,
        )
        approvals = self.env["scs.approval"].sudo().search([("order_uuid", "=", data["uuid"])])
        missing = approval.uncovered(needs, [(a.kind, a._value()) for a in approvals])
        return {
            "needs": [
                {"kind": need.kind, "value": float(need.value), "label": self._scs_need_label(need)}
                for need in missing
            ]
        }
