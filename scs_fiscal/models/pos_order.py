# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
from decimal import ROUND_HALF_UP, Decimal

from odoo import api, fields, models

from ..engine import agreement, ffd
from .scs_fiscal_document import OPEN_STATES

#: the FFD payment form of each tender kind: certificates and vouchers are an advance
#: offset (1215), loyalty points a counter-provision (1217)
FORMS = {
    "cash": 1031,
    "card": 1081,
    "certificate": 1215,
    "voucher": 1215,
    "points": 1217,
    "other": 1217,
}


#: tries a POS waits for before printing a receipt as pending (a cloud service
#: usually answers "wait" once, then "done")
FISCALIZE_TRIES = 3


def kopecks(amount):
    return int((Decimal(str(amount)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _phone(value):
    digits = re.sub(r"[^\d+]", "", value or "")
    return digits if ffd.PHONE.match(digits) else ""


class PosOrder(models.Model):
    _inherit = "pos.order"

    scs_fiscal_document_ids = fields.One2many(
        "scs.fiscal.document", "order_id", string="Fiscal Documents", readonly=True
    )
    scs_fiscal_state = fields.Selection(
        [
            ("none", "Not fiscalized"),
            ("pending", "In the fiscal queue"),
            ("done", "Fiscalized"),
            ("failed", "Needs action"),
        ],
        string="Fiscal Status",
        compute="_compute_scs_fiscal_state",
        store=True,
        index=True,
    )

    @api.depends("scs_fiscal_document_ids.state")
    def _compute_scs_fiscal_state(self):
        for order in self:
            states = set(order.scs_fiscal_document_ids.mapped("state"))
            if not states:
                order.scs_fiscal_state = "none"
            elif states & {"failed", "correction"}:
                order.scs_fiscal_state = "failed"
            elif states <= {"done", "corrected"}:
                order.scs_fiscal_state = "done"
            else:
                order.scs_fiscal_state = "pending"

    @api.model
    def scs_fiscalize(self, order_ids):
        """Try the fiscal queue now for these just-synced orders and return what their
        receipts print: ``{order id: [fiscal data of each document]}``. A document still
        open stays with the queue's cron; the POS prints it as pending.

        The server cannot reach a local register: an open document of one also carries
        ``relay``, what the POS sends to the hardware proxy and then reports to
        ``scs.fiscal.document.scs_relay_result`` (see ``_scs_relay_item``)."""
        orders = self.browse(order_ids).exists()
        orders.check_access("read")
        documents = orders.sudo().scs_fiscal_document_ids
        local = documents.filtered(lambda d: d.register_id.kind == "local")
        for _attempt in range(FISCALIZE_TRIES):
            pending = (documents - local).filtered(lambda d: d.state in OPEN_STATES)
            if not pending:
                break
            pending._scs_advance(force=True)
        result = {}
        for order in orders:
            result[str(order.id)] = []
            for document in documents.filtered(lambda d, o=order: d.order_id == o):
                data = document._scs_receipt_data()
                if document in local and document.state in OPEN_STATES:
                    if document._scs_may_relay():
                        data["relay"] = document._scs_relay_item()
                result[str(order.id)].append(data)
        return result

    def action_pos_order_paid(self):
        result = super().action_pos_order_paid()
        self._scs_fiscal_enqueue()
        return result

    # the fiscal documents of an order

    def _scs_fiscal_kinds(self):
        """``refund`` for returned lines, ``sale`` for sold ones: an exchange has both."""
        self.ensure_one()
        kinds = []
        if any(line.qty < 0 for line in self.lines):
            kinds.append("refund")
        if any(line.qty > 0 for line in self.lines):
            kinds.append("sale")
        return kinds

    def _scs_fiscal_enqueue(self):
        documents = self.env["scs.fiscal.document"].sudo()
        for order in self:
            register = order.config_id.scs_fiscal_register_id
            if not register:
                continue
            done = set(order.sudo().scs_fiscal_document_ids.mapped("kind"))
            for kind in order._scs_fiscal_kinds():
                if kind not in done:
                    documents |= documents._scs_queue_order(register, order, kind)
        return documents

    def _scs_fiscal_lines(self, kind):
        return self.lines.filtered(lambda line: line.qty and (line.qty < 0) == (kind == "refund"))

    def _scs_fiscal_forms(self, kind):
        """FFD payment sums (tag -> kopecks) of this order's own payments for ``kind``."""
        forms = {}
        for payment in self.payment_ids:
            if kind == "sale" and (payment.amount > 0 or payment.is_change):
                amount = kopecks(payment.amount)
            elif kind == "refund" and payment.amount < 0 and not payment.is_change:
                amount = -kopecks(payment.amount)
            else:
                continue
            tag = FORMS.get(payment.payment_method_id.scs_tender_kind or "other", 1217)
            forms[tag] = forms.get(tag, 0) + amount
        return {tag: amount for tag, amount in forms.items() if amount}

    def _scs_fiscal_payments(self, kind):
        """The payment sums of the ``kind`` document; an exchange's offset in the original forms."""
        forms = self._scs_fiscal_forms(kind)
        if len(self._scs_fiscal_kinds()) == 2:
            returned = sum(
                -kopecks(line.price_subtotal_incl) for line in self._scs_fiscal_lines("refund")
            )
            bought = sum(
                kopecks(line.price_subtotal_incl) for line in self._scs_fiscal_lines("sale")
            )
            original = self._scs_refunded_order()[:1]
            spread = ffd.offset_forms(
                min(returned, bought), original._scs_fiscal_forms("sale") if original else {}
            )
            for tag, amount in spread.items():
                forms[tag] = forms.get(tag, 0) + amount
        return forms

    def _scs_fiscal_day(self, register):
        """The operation's day (it decides the VAT rates): the office's local day."""
        return self._scs_local_day(register.tz)

    def _scs_fiscal_cashier(self):
        employee = self.employee_id if "employee_id" in self._fields else False
        return (
            employee.name if employee else self.user_id.name
        ) or "", self.user_id.scs_cashier_inn

    def _scs_fiscal_contact(self, register):
        if not register.electronic_receipts or not self.partner_id:
            return ""
        partner = self.partner_id
        return partner.email or _phone(partner.mobile or partner.phone)

    def _scs_fiscal_receipt(self, kind, register, correction=None):
        """The ``ffd.Receipt`` of the ``kind`` document of this order (raises ``FfdError``)."""
        self.ensure_one()
        original = self._scs_refunded_order()[:1] if kind == "refund" else self.browse()
        items = []
        for line in self._scs_fiscal_lines(kind):
            items.extend(line._scs_fiscal_items())
        forms = self._scs_fiscal_payments(kind)
        cashier, cashier_inn = self._scs_fiscal_cashier()
        return ffd.Receipt(
            operation=ffd.SALE_REFUND if kind == "refund" else ffd.SALE,
            tax_system=register.tax_system,
            day=self._scs_fiscal_day(register),
            items=tuple(items),
            payments=ffd.Payments(
                cash=forms.get(1031, 0),
                electronic=forms.get(1081, 0),
                prepayment=forms.get(1215, 0),
                credit=forms.get(1216, 0),
                other=forms.get(1217, 0),
            ),
            cashier=cashier,
            cashier_inn=cashier_inn or "",
            customer_contact=self._scs_fiscal_contact(register),
            reference=(self.pos_reference or "").removeprefix("Order ")[:16],
            original_day=original._scs_fiscal_day(register) if original else None,
            correction=correction,
        )

    def _scs_fiscal_facts(self, kind, register):
        """What the order says the ``kind`` document must say, line by line (agreement check)."""
        self.ensure_one()
        return agreement.Order(
            operation=ffd.SALE_REFUND if kind == "refund" else ffd.SALE,
            lines=tuple(line._scs_fiscal_fact() for line in self._scs_fiscal_lines(kind)),
            payments=self._scs_fiscal_payments(kind),
            customer_contact=self._scs_fiscal_contact(register),
        )
