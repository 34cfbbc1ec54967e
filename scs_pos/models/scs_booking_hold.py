# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models

HOLD_HOURS = 24


class ScsBookingHold(models.Model):
    """A booking added to a POS order, before that order reaches the server.

    Lets two cashiers who add the same booking in two orders be warned before
    payment, although an unpaid POS order stays on its cash desk.
    """

    _name = "scs.booking.hold"
    _description = "Booking in an Open POS Order"
    _order = "create_date desc"

    reference = fields.Char(required=True, index=True)
    order_uuid = fields.Char(required=True)
    config_id = fields.Many2one("pos.config", required=True, ondelete="cascade")
    user_id = fields.Many2one("res.users", required=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")

    # a lookup retried for the same order is one hold
    _sql_constraints = [
        ("reference_order_uniq", "unique(reference, order_uuid)", "This booking is already held."),
    ]

    @api.model
    def _hold(self, reference, order_uuid, config):
        """Record that ``order_uuid`` holds ``reference`` (idempotent)."""
        if not order_uuid:
            return
        self.env.cr.execute(
            """
            INSERT INTO scs_booking_hold
                   (reference, order_uuid, config_id, user_id, company_id,
                    create_uid, write_uid, create_date, write_date)
            VALUES (%s, %s, %s, %s, %s, %s, %s, now() at time zone 'UTC', now() at time zone 'UTC')
            ON CONFLICT (reference, order_uuid) DO NOTHING
            """,
            (
                reference,
                order_uuid,
                config.id,
                self.env.uid,
                config.company_id.id,
                self.env.uid,
                self.env.uid,
            ),
        )

    @api.model
    def _others(self, reference, order_uuid, company):
        """Holds of ``reference`` by other open orders of the last day."""
        since = fields.Datetime.now() - timedelta(hours=HOLD_HOURS)
        holds = self.search(
            [
                ("reference", "=", reference),
                ("order_uuid", "!=", order_uuid or ""),
                ("company_id", "=", company.id),
                ("create_date", ">=", since),
            ]
        )
        if not holds:
            return holds
        synced = set(
            self.env["pos.order"]
            .search([("uuid", "in", holds.mapped("order_uuid"))])
            .mapped("uuid")
        )
        # an order that reached the server is reported as an order, not as a hold
        return holds.filtered(lambda h: h.order_uuid not in synced)

    @api.autovacuum
    def _gc_old_holds(self):
        since = fields.Datetime.now() - timedelta(hours=HOLD_HOURS * 7)
        self.search([("create_date", "<", since)]).unlink()
