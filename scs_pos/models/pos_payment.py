# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine import refund
from .pos_payment_method import TERMINAL_ID

RRN = re.compile(r"^\d{12}$")
AUTH_CODE = re.compile(r"^[0-9A-Z]{6}$")
# PCI DSS: at most the first six and the last four digits may be shown
CARD_MASK = re.compile(r"^(\d{6})?[*X]{2,9}\d{4}$")
#: the hardware proxy's id of one terminal operation (scs_hw_proxy.engine.requests)
REQUEST_ID = re.compile(r"^[0-9a-f]{8}$")


class PosPayment(models.Model):
    _inherit = "pos.payment"

    scs_tender_kind = fields.Selection(
        related="payment_method_id.scs_tender_kind", store=True, string="Tender Kind"
    )
    scs_rrn = fields.Char(
        string="RRN", size=12, index="btree_not_null", help="Retrieval reference number (12)."
    )
    scs_auth_code = fields.Char(string="Authorisation Code", size=6)
    scs_terminal_id = fields.Char(string="Terminal ID", size=8)
    scs_card_mask = fields.Char(string="Card", size=19, help="Masked card number.")
    scs_refunded_payment_id = fields.Many2one(
        "pos.payment",
        string="Refunded Payment",
        index="btree_not_null",
        readonly=True,
        help="The payment of the original order whose money this refund gives back.",
    )
    scs_refund_payment_ids = fields.One2many(
        "pos.payment", "scs_refunded_payment_id", string="Refunds", readonly=True
    )
    scs_original_rrn = fields.Char(related="scs_refunded_payment_id.scs_rrn", string="Original RRN")
    scs_terminal_request_id = fields.Char(
        string="Terminal Request",
        size=8,
        copy=False,
        readonly=True,
        help="The id under which the POS asked the card terminal of the hardware proxy for "
        "this payment: the proxy answers a repeated id with what the terminal did, and the "
        "fiscal receipt names it, so that the money and the receipt stand or fall together.",
    )
    scs_cash_order_id = fields.Many2one(
        "scs.cash.order",
        string="Cash Order",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The daily register cash order (KO-1 or KO-2) this cash payment is booked in.",
    )
    scs_as_cash = fields.Boolean(
        string="Given as Cash",
        readonly=True,
        help="This refund gives out as cash money that was paid by another tender.",
    )

    def init(self):
        # one terminal operation is one payment: a replayed or copied request id is refused.
        # Per session: UPOS ids have 32 bits, so over years a desk meets an old id again
        # (the proxy's journal refuses it while it remembers it), and that must not block a sync
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS pos_payment_scs_terminal_request_session_uniq
                ON pos_payment (session_id, payment_method_id, scs_terminal_request_id)
             WHERE scs_terminal_request_id IS NOT NULL
            """
        )

    @api.model_create_multi
    def create(self, vals_list):
        Method = self.env["pos.payment.method"]
        for vals in vals_list:
            for field in ("scs_auth_code", "scs_card_mask"):
                if vals.get(field):
                    vals[field] = vals[field].replace(" ", "").upper()
            # the desk's terminal, unless the terminal itself reported one
            method = Method.browse(vals.get("payment_method_id"))
            if not vals.get("scs_terminal_id") and method.scs_tender_kind == refund.CARD:
                vals["scs_terminal_id"] = method.scs_terminal_id
        return super().create(vals_list)

    @api.constrains(
        "scs_rrn", "scs_auth_code", "scs_terminal_id", "scs_card_mask", "scs_terminal_request_id"
    )
    def _check_scs_card_details(self):
        _ = self.env._
        checks = (
            (
                "scs_terminal_request_id",
                REQUEST_ID,
                _("the terminal request id must be 8 lower-case hex digits"),
            ),
            ("scs_rrn", RRN, _("the RRN must be 12 digits")),
            ("scs_auth_code", AUTH_CODE, _("the authorisation code must be 6 letters or digits")),
            ("scs_terminal_id", TERMINAL_ID, _("the terminal ID must be 8 letters or digits")),
            ("scs_card_mask", CARD_MASK, _("the card number must show at most 6+4 digits")),
        )
        for payment in self:
            for field, pattern, message in checks:
                value = payment[field]
                if value and not pattern.match(value):
                    raise ValidationError(
                        self.env._(
                            "Payment %(payment)s: %(problem)s (%(value)s).",
                            payment=payment.display_name,
                            problem=message,
                            value=value,
                        )
                    )

    def _scs_missing_card_details(self):
        """Card payments taken without the slip details a refund and the registry need.

        A payment the terminal itself reported is identified by its RRN (some cards
        are approved without an authorisation code)."""
        return self.filtered(
            lambda p: p.scs_tender_kind == refund.CARD
            and p.amount > 0
            and p.payment_method_id.scs_card_reference_required
            and not (p.scs_rrn and (p.scs_auth_code or p.scs_terminal_request_id))
        )
