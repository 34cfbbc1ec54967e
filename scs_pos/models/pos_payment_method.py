# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine import refund

TERMINAL_ID = re.compile(r"^[0-9A-Za-z]{8}$")
#: the card terminal behind the office PC's hardware proxy (scs_hw_proxy)
PROXY_TERMINAL = "scs_proxy"


class PosPaymentMethod(models.Model):
    _inherit = "pos.payment.method"

    # Loyalty adds voucher, certificate and points with selection_add and their
    # refund rules by overriding _scs_tender_rules: this model needs no change.
    scs_tender_kind = fields.Selection(
        [
            (refund.CASH, "Cash"),
            (refund.CARD, "Card"),
            (refund.OTHER, "Other"),
        ],
        string="Tender Kind",
        compute="_compute_scs_tender_kind",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
        help="Decides how refunds go back: card money to the same card, cash last.",
    )
    scs_terminal_id = fields.Char(
        string="Terminal ID",
        size=8,
        help="The card terminal's 8-character id, as the bank printed it on the slip.",
    )
    scs_card_reference_required = fields.Boolean(
        string="Slip Details Required",
        default=True,
        help="Card payments must carry the terminal's RRN and authorisation code: the "
        "refund goes back to the same card by the RRN and the bank registry is matched by it.",
    )

    def _get_payment_terminal_selection(self):
        return super()._get_payment_terminal_selection() + [
            (PROXY_TERMINAL, self.env._("Card terminal via SCS proxy"))
        ]

    @api.depends("journal_id.type", "split_transactions")
    def _compute_scs_tender_kind(self):
        for method in self:
            if method.journal_id.type == "cash":
                method.scs_tender_kind = refund.CASH
            elif method.journal_id.type == "bank":
                method.scs_tender_kind = method.scs_tender_kind or refund.CARD
            else:
                method.scs_tender_kind = refund.OTHER

    @api.constrains("scs_tender_kind", "journal_id")
    def _check_scs_tender_kind(self):
        for method in self:
            if (method.scs_tender_kind == refund.CASH) != (method.journal_id.type == "cash"):
                raise ValidationError(
                    self.env._(
                        "Payment method %(method)s: the tender kind Cash needs a cash journal, "
                        "and a cash journal can only be a Cash tender.",
                        method=method.name,
                    )
                )

    @api.constrains("use_payment_terminal", "scs_tender_kind")
    def _check_scs_proxy_terminal(self):
        for method in self:
            if (
                method.use_payment_terminal == PROXY_TERMINAL
                and method.scs_tender_kind != refund.CARD
            ):
                raise ValidationError(
                    self.env._(
                        "Payment method %(method)s: the card terminal of the SCS proxy takes "
                        "card payments only; set its tender kind to Card.",
                        method=method.name,
                    )
                )

    @api.constrains("use_payment_terminal", "scs_tender_kind", "scs_card_reference_required")
    def _check_scs_mobile_configs(self):
        # a mobile terminal's own rules hold whichever side is changed
        self.config_ids.filtered("scs_mobile")._check_scs_mobile()

    @api.constrains("scs_terminal_id")
    def _check_scs_terminal_id(self):
        for method in self:
            if method.scs_terminal_id and not TERMINAL_ID.match(method.scs_terminal_id):
                raise ValidationError(
                    self.env._(
                        "Terminal ID %(terminal)s of %(method)s must be 8 letters or digits.",
                        terminal=method.scs_terminal_id,
                        method=method.name,
                    )
                )

    @api.model
    def _scs_tender_rules(self):
        """Refund rules per tender kind (engine.refund policy); add-ons extend them."""
        return dict(refund.DEFAULT_RULES)

    @api.model
    def _load_pos_data_fields(self, config_id):
        return super()._load_pos_data_fields(config_id) + [
            "scs_tender_kind",
            "scs_terminal_id",
            "scs_card_reference_required",
        ]
