# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.scs_pos.models.pos_order import PAID_STATES

from ..engine import codes, ledger
from .loyalty_card import dec
from .pos_payment_method import LOYALTY_KINDS


class PosOrder(models.Model):
    _inherit = "pos.order"

    scs_loyalty_entry_ids = fields.One2many(
        "scs.loyalty.entry", "order_id", string="Loyalty Ledger", readonly=True
    )
    scs_points_earned = fields.Integer(
        string="Points Earned", compute="_compute_scs_points_earned", store=True
    )

    @api.depends("lines.scs_points")
    def _compute_scs_points_earned(self):
        for order in self:
            order.scs_points_earned = sum(order.lines.mapped("scs_points"))

    def _scs_check_payment(self):
        result = super()._scs_check_payment()
        self._scs_loyalty_process()
        return result

    def _scs_loyalty_day(self):
        return self._scs_local_day()

    def _scs_loyalty_key(self):
        return self.uuid or f"order-{self.id}"

    def _scs_loyalty_process(self):
        """Certificates sold and refunded, loyalty tenders spent and given back, points
        earned and taken back: each one ledger entry under its own idempotency key, so
        that an order processed twice changes nothing the second time."""
        self.ensure_one()
        day = self._scs_loyalty_day()
        self._scs_issue_certificates(day)
        self._scs_void_certificates(day)
        self._scs_redeem(day)
        self._scs_recredit(day)
        self._scs_accrue(day)
        self._scs_reverse_points(day)

    # -- certificates sold -------------------------------------------------------

    def _scs_issue_certificates(self, day):
        Card = self.env["loyalty.card"]
        programs = self.env["loyalty.program"]._scs_certificate_programs(self.company_id)
        for line in self.lines.filtered(lambda line: line.qty > 0):
            program = programs.get(line.product_id)
            if not program:
                continue
            if line.discount:
                raise UserError(
                    self.env._("A gift certificate is sold at its face value, with no discount.")
                )
            vat_amount, vat_rate = line._scs_vat()
            Card._scs_issue_certificates(
                program,
                self.partner_id,
                line.qty,
                line.price_subtotal_incl,
                vat_amount,
                vat_rate,
                f"issue:{line._scs_key()}",
                day,
                line.sudo().scs_certificate_ids,
                {"scs_sale_line_id": line.id},
                {"order_id": self.id, "order_line_id": line.id},
            )

    def _scs_void_certificates(self, day):
        for line in self.lines.filtered(lambda line: line.qty < 0 and line.refunded_orderline_id):
            sold = line.refunded_orderline_id.sudo().scs_certificate_ids
            if not sold:
                continue
            wanted = int(-line.qty)
            already = sold.filtered(lambda c: c.scs_state == "void")
            mine = already.scs_entry_ids.filtered(
                lambda e, line=line: e.kind == "void" and e.order_line_id == line
            ).card_id
            todo = wanted - len(mine)
            unused = (sold - already).filtered(
                lambda c: c.scs_state == "active" and dec(c.scs_balance) == dec(c.scs_nominal)
            )
            if todo > len(unused):
                raise UserError(
                    self.env._(
                        "Only %(count)s of the certificates sold on this line are unused: a "
                        "certificate that has paid for something cannot be refunded.",
                        count=len(unused),
                    )
                )
            for card in unused[:todo]:
                card._scs_debit(
                    "void",
                    dec(card.scs_balance),
                    f"void:{line._scs_key()}:{card.id}",
                    day,
                    order_id=self.id,
                    order_line_id=line.id,
                )
                card.with_context(scs_loyalty_post=True).scs_state = "void"

    # -- loyalty tenders -----------------------------------------------------------

    def _scs_loyalty_payments(self):
        return self.payment_ids.filtered(
            lambda p: p.payment_method_id.scs_tender_kind in LOYALTY_KINDS and not p.is_change
        )

    def _scs_payment_points(self, payment, amount):
        program = payment.payment_method_id.scs_loyalty_program_id
        try:
            return ledger.money_points(amount, Decimal(str(program.scs_point_value)))
        except ledger.LoyaltyError as err:
            raise UserError(
                self.env._("Payment %(payment)s: %(why)s.", payment=payment.name or "", why=err)
            ) from None

    def _scs_redeem(self, day):
        for payment in self._scs_loyalty_payments().filtered(lambda p: p.amount > 0):
            method = payment.payment_method_id
            card = payment.sudo().scs_loyalty_card_id
            kind = method.scs_tender_kind
            if not card and payment.scs_loyalty_code and kind != "points":
                card = card._scs_find(payment.scs_loyalty_code, kinds=(kind,))
                payment.sudo().scs_loyalty_card_id = card
            if kind == "points" and not card and self.partner_id:
                card = card._scs_points_account(
                    self.partner_id, method.scs_loyalty_program_id, create=False
                )
                payment.sudo().scs_loyalty_card_id = card
            problem = self._scs_tender_problem(payment, card, day)
            if problem:
                raise UserError(
                    self.env._(
                        "%(method)s payment of %(amount)s cannot be taken: %(problem)s.",
                        method=method.name,
                        amount=payment.amount,
                        problem=problem,
                    )
                )
            amount = dec(payment.amount)
            if kind == "points":
                amount = Decimal(self._scs_payment_points(payment, amount))
                self._scs_check_points_cap(card, amount, day)
            card._scs_debit(
                "redemption",
                amount,
                f"redeem:{payment.uuid or payment.id}",
                day,
                order_id=self.id,
                payment_id=payment.id,
            )

    def _scs_tender_problem(self, payment, card, day):
        _ = self.env._
        method = payment.payment_method_id
        if not card:
            if method.scs_tender_kind == "points":
                return _("the order's customer has no points account")
            return _("it names no certificate or voucher")
        if card.program_id != method.scs_loyalty_program_id:
            return _(
                "%(card)s is not one of %(program)s",
                card=card.scs_code_display,
                program=method.scs_loyalty_program_id.name,
            )
        if card.company_id and card.company_id != self.company_id:
            return _("%(card)s belongs to another company", card=card.scs_code_display)
        if card.scs_state not in ("active",) or not card.active:
            return _(
                "%(card)s is %(state)s",
                card=card.scs_code_display,
                state=dict(card._fields["scs_state"]._description_selection(self.env))[
                    card.scs_state
                ],
            )
        if (
            card.scs_kind in ("voucher", "points")
            and card.partner_id
            and (card.partner_id.commercial_partner_id != self.partner_id.commercial_partner_id)
        ):
            return _(
                "%(card)s is %(partner)s's, so the order must be for that customer",
                card=card.scs_code_display,
                partner=card.partner_id.name,
            )
        return None

    def _scs_check_points_cap(self, card, points, day):
        program = card.program_id
        cap = ledger.redemption_cap(
            max(dec(self.amount_total), Decimal("0.01")),
            card._scs_usable(day),
            Decimal(str(program.scs_max_share)),
            dec(program.scs_min_balance),
            Decimal(str(program.scs_point_value)),
        )
        if points > cap.points:
            raise UserError(
                self.env._(
                    "%(points)s points cannot pay this order: at most %(cap)s points "
                    "(%(money)s) may be spent on it.",
                    points=int(points),
                    cap=cap.points,
                    money=cap.money,
                )
            )

    def _scs_recredit(self, day):
        Entry = self.env["scs.loyalty.entry"].sudo()
        for payment in self._scs_loyalty_payments().filtered(lambda p: p.amount < 0):
            original = payment.scs_refunded_payment_id
            source = Entry.search(
                [("payment_id", "=", original.id), ("kind", "=", "redemption")], limit=1
            )
            if not source:
                raise UserError(
                    self.env._(
                        "%(method)s refund of %(amount)s gives back no redemption of the "
                        "refunded order.",
                        method=payment.payment_method_id.name,
                        amount=-payment.amount,
                    )
                )
            amount = dec(-payment.amount)
            if source.scs_kind == "points":
                amount = Decimal(self._scs_payment_points(payment, amount))
            payment.sudo().scs_loyalty_card_id = source.card_id
            source.card_id._scs_recredit(
                source,
                amount,
                f"recredit:{payment.uuid or payment.id}",
                day,
                order_id=self.id,
                payment_id=payment.id,
            )
            if source.card_id.scs_state == "used":
                source.card_id.with_context(scs_loyalty_post=True).scs_state = "active"

    # -- bonus points ----------------------------------------------------------------

    def _scs_points_program(self):
        return self.config_id.sudo().scs_points_program_id

    def _scs_accrue(self, day):
        program = self._scs_points_program()
        if not program or not self.partner_id:
            return
        lines = self.lines.filtered(lambda line: line.qty > 0 and not line.scs_points)
        if not lines:
            return
        certificate_products = self.env["loyalty.program"]._scs_certificate_programs(
            self.company_id
        )
        points = ledger.accrue(
            [
                ledger.AccrualLine(
                    line.id,
                    dec(line.price_subtotal_incl),
                    excluded=bool(
                        line.product_id.scs_no_points or line.product_id in certificate_products
                    ),
                )
                for line in lines
            ],
            Decimal(str(program.scs_accrual_rate)),
        )
        total = sum(points.values())
        if not total:
            return
        card = self.env["loyalty.card"]._scs_points_account(self.partner_id, program)
        card._scs_credit(
            "accrual", total, f"accrual:{self._scs_loyalty_key()}", day, order_id=self.id
        )
        by_points = {}
        for line in lines:
            if points[line.id]:
                by_points.setdefault(points[line.id], []).append(line.id)
        # one write per value, not per line: a 100-line order has few distinct values
        for value, ids in by_points.items():
            self.env["pos.order.line"].sudo().browse(ids).scs_points = value

    def _scs_reverse_points(self, day):
        refund_lines = self.lines.filtered(
            lambda line: line.qty < 0 and line.refunded_orderline_id.scs_points > 0
        )
        if not refund_lines:
            return
        takes = {}
        for line in refund_lines:
            original = line.refunded_orderline_id
            before = original.refund_orderline_ids.filtered(
                lambda r, line=line: r != line and r.order_id.state in PAID_STATES
            )
            points = ledger.reversal(
                original.scs_points,
                Decimal(str(original.qty)),
                -Decimal(str(sum(before.mapped("qty")))),
                -Decimal(str(line.qty)),
                -sum(before.mapped("scs_points")),
            )
            if points:
                line.sudo().scs_points = -points
                account = original.order_id.scs_loyalty_entry_ids.filtered(
                    lambda e: e.kind == "accrual"
                ).card_id
                takes[account] = takes.get(account, 0) + points
        for account, points in takes.items():
            program = account.program_id
            back = ledger.take_back(
                dec(account.scs_balance),
                points,
                program.scs_refund_shortfall,
                Decimal(str(program.scs_point_value)),
            )
            if back.money:
                self._scs_check_kept_back(back)
            # "negative": all of them, spent or not; "from_refund": what is left, the
            # value of the rest having been kept back from the refund
            taken = back.points + (back.shortfall if back.money == 0 else 0)
            if taken:
                account._scs_debit(
                    "reversal",
                    Decimal(taken),
                    f"reversal:{self._scs_loyalty_key()}:{account.id}",
                    day,
                    allow_negative=True,
                    order_id=self.id,
                )

    def _scs_check_kept_back(self, back):
        """``from_refund``: the points spent are paid for by refunding less money."""
        full = sum(
            dec(line.refunded_orderline_id.price_subtotal_incl)
            * Decimal(str(-line.qty))
            / Decimal(str(line.refunded_orderline_id.qty))
            for line in self.lines.filtered("refunded_orderline_id")
        )
        kept = full.quantize(Decimal("0.01")) + dec(self.amount_total)
        if kept < back.money:
            raise UserError(
                self.env._(
                    "The customer has spent %(points)s of the points this refund takes back: "
                    "%(money)s of their value is kept back from the refund (refund "
                    "%(refund)s instead of %(full)s).",
                    points=back.shortfall,
                    money=back.money,
                    refund=full - back.money,
                    full=full,
                )
            )

    # -- the POS -----------------------------------------------------------------------

    @api.model
    def scs_loyalty_receipt(self, order_ids):
        """What the receipts of these synced orders print: certificates sold (their
        codes), loyalty balances left and points earned."""
        orders = self.browse(order_ids).exists()
        orders.check_access("read")
        result = {}
        for order in orders.sudo():
            certificates = order.lines.scs_certificate_ids
            spent = order.payment_ids.scs_loyalty_card_id
            account = order.scs_loyalty_entry_ids.filtered(
                lambda e: e.kind in ("accrual", "reversal")
            ).card_id[:1]
            result[str(order.id)] = {
                "certificates": [
                    {
                        "code": codes.display(c.code),
                        "amount": c.scs_nominal,
                        "expires": fields.Date.to_string(
                            c.scs_entry_ids.filtered(lambda e: e.kind == "issue")[:1].expires
                        )
                        or "",
                    }
                    for c in certificates
                ],
                "balances": [
                    {
                        "name": c.program_id.name,
                        "code": c.scs_code_display,
                        "kind": c.scs_kind,
                        "balance": c.scs_balance,
                    }
                    for c in spent | account
                ],
                "points": order.scs_points_earned,
            }
        return result
