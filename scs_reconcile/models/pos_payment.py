# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from decimal import Decimal

from odoo import api, fields, models

from ..engine import rows


class PosPayment(models.Model):
    _inherit = "pos.payment"

    # fixed when the payment is taken: the registry that settles it comes from this bank
    scs_acquirer_id = fields.Many2one(
        "scs.acquirer",
        string="Acquirer",
        compute="_compute_scs_acquirer_id",
        store=True,
        readonly=True,
        index="btree_not_null",
    )
    scs_registry_row_ids = fields.Many2many(
        "scs.acquirer.registry.row",
        "scs_registry_row_pos_payment_rel",
        "payment_id",
        "row_id",
        string="Registry Rows",
        readonly=True,
    )

    @api.depends("payment_method_id")
    def _compute_scs_acquirer_id(self):
        # one search for all the payments of a sync, not one per payment
        acquirers = (
            self.env["scs.acquirer"]
            .sudo()
            .search([("payment_method_ids", "in", self.payment_method_id.ids)])
        )
        for payment in self:
            payment.scs_acquirer_id = acquirers.filtered(
                lambda a, p=payment: p.payment_method_id in a.payment_method_ids
                and a.company_id == p.company_id
            )[:1]

    def _scs_engine_payments(self, zones, exclude=None):
        """These payments as the matching engine sees them; ``reconciled``: an earlier
        registry (not ``exclude``) already settled it."""
        settled = (
            self.env["scs.acquirer.registry.row"]
            .sudo()
            .search(
                [
                    ("payment_ids", "in", self.ids),
                    ("status", "in", ("MATCHED", "REVERSED_PAIR", "SPLIT")),
                    ("registry_id", "!=", exclude.id if exclude else False),
                ]
            )
            .payment_ids
        )
        # a set: a recordset's ``in`` walks its ids, once per payment
        settled_ids = set(settled.ids)
        facts = []
        for payment in self:
            acquirer = payment.scs_acquirer_id
            terminal = payment.scs_terminal_id or ""
            facts.append(
                rows.Payment(
                    key=payment.id,
                    terminal_id=terminal,
                    rrn=payment.scs_rrn or "",
                    amount=Decimal(str(payment.amount)).quantize(Decimal("0.01")),
                    at=acquirer._scs_local(payment.payment_date, terminal, zones),
                    auth_code=payment.scs_auth_code or "",
                    kind="refund" if payment.amount < 0 else "sale",
                    original_rrn=payment.scs_original_rrn or "",
                    reconciled=payment.id in settled_ids,
                    extra={"card_mask": payment.scs_card_mask or ""},
                )
            )
        return facts
