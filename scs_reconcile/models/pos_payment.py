# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from decimal import Decimal

from odoo import api, fields, models

from ..engine import rows
from .scs_acquirer_registry import SETTLING


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

    @api.model
    def _scs_engine_payments(self, methods, since, until, zones, exclude=None, wanted=None):
        """The POS payments taken with ``methods`` between ``since`` and ``until`` (UTC),
        as the matching engine sees them, newest first; ``reconciled``: an earlier
        registry (not ``exclude``) already settled it. ``wanted``: the (terminal, RRN)
        keys of the rows to match (``matching.row_keys``): a reconciled payment of
        another key is left out, the engine would never look at it.

        Read by SQL: a registry's window holds a hundred thousand payments, records
        of them would take seconds and hundreds of MiB."""
        self.flush_model(
            [
                "payment_method_id",
                "payment_date",
                "amount",
                "scs_terminal_id",
                "scs_rrn",
                "scs_auth_code",
                "scs_card_mask",
                "scs_refunded_payment_id",
            ]
        )
        self.env["scs.acquirer.registry.row"].flush_model(["registry_id", "status", "payment_ids"])
        self.env.cr.execute(
            """
            SELECT p.id, p.scs_terminal_id, p.scs_rrn, p.amount, p.payment_date,
                   p.scs_auth_code, p.scs_card_mask, o.scs_rrn,
                   EXISTS (
                       SELECT 1
                         FROM scs_registry_row_pos_payment_rel rel
                         JOIN scs_acquirer_registry_row r ON r.id = rel.row_id
                        WHERE rel.payment_id = p.id
                          AND r.status IN %s
                          AND r.registry_id IS DISTINCT FROM %s
                   )
              FROM pos_payment p
              LEFT JOIN pos_payment o ON o.id = p.scs_refunded_payment_id
             WHERE p.payment_method_id = ANY(%s)
               AND p.payment_date >= %s
               AND p.payment_date <= %s
             ORDER BY p.id DESC
            """,
            [SETTLING, exclude.id if exclude else None, list(methods.ids), since, until],
        )
        clock = self.env["scs.acquirer"]._scs_clock(zones)
        cent = Decimal("0.01")
        facts = []
        while batch := self.env.cr.fetchmany(10_000):
            for pid, terminal, rrn, amount, at, auth, mask, original, reconciled in batch:
                terminal, rrn = terminal or "", rrn or ""
                if reconciled and wanted is not None and (terminal, rrn) not in wanted:
                    continue
                # numeric comes as float (Odoo's typecaster), as the ORM reads it
                amount = Decimal(str(amount or 0))
                facts.append(
                    rows.Payment(
                        key=pid,
                        terminal_id=terminal,
                        rrn=rrn,
                        amount=amount.quantize(cent),
                        at=clock.local(at, terminal),
                        auth_code=auth or "",
                        kind="refund" if amount < 0 else "sale",
                        original_rrn=original or "",
                        reconciled=reconciled,
                        extra={"card_mask": mask or ""},
                    )
                )
        return facts
