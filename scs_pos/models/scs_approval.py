# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import timedelta
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..engine import approval

_logger = logging.getLogger(__name__)

PIN_ATTEMPTS = 5
PIN_LOCK = timedelta(minutes=15)


class ScsApproval(models.Model):
    """A manager's approval of what a cashier may not do alone: who, when, why."""

    _name = "scs.approval"
    _description = "Manager Approval"
    _order = "approved_on desc, id desc"

    kind = fields.Selection(
        [
            (approval.DISCOUNT, "Discount"),
            (approval.REFUND, "Refund"),
            (approval.CARD_TO_CASH, "Card money as cash"),
        ],
        required=True,
        readonly=True,
    )
    # the POS asks before the order exists on the server: it is found by its uuid then
    order_uuid = fields.Char(string="Order UUID", index="btree_not_null", readonly=True)
    order_id = fields.Many2one("pos.order", string="Order", index="btree_not_null", readonly=True)
    config_id = fields.Many2one("pos.config", string="Cash Desk", readonly=True)
    office_id = fields.Many2one(
        "scs.office", related="config_id.scs_office_id", store=True, string="Office"
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(readonly=True, help="Refund, or card money given as cash.")
    discount = fields.Float(string="Discount (%)", digits=(5, 2), readonly=True)
    reason = fields.Text(required=True, readonly=True)
    requested_by_id = fields.Many2one(
        "res.users", string="Requested By", required=True, readonly=True
    )
    approved_by_id = fields.Many2one(
        "res.users", string="Approved By", required=True, readonly=True
    )
    approved_on = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    channel = fields.Selection(
        [("pos", "POS (PIN)"), ("back_office", "Back office"), ("remote", "Remote request")],
        required=True,
        readonly=True,
    )

    @api.depends("kind", "order_id", "order_uuid")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for record in self:
            record.display_name = (
                f"{kinds.get(record.kind)}: {record.order_id.name or record.order_uuid}"
            )

    @api.constrains("approved_by_id", "reason", "amount", "discount")
    def _check_approval(self):
        for record in self:
            if not record.approved_by_id.has_group("scs_pos.group_scs_manager"):
                raise ValidationError(
                    self.env._(
                        "Only a manager approves: %(user)s is not one.",
                        user=record.approved_by_id.name,
                    )
                )
            if not (record.order_uuid or record.order_id):
                raise ValidationError(self.env._("An approval is given for an order."))
            if not (record.reason or "").strip():
                raise ValidationError(self.env._("An approval needs a reason."))
            value = record.discount if record.kind == approval.DISCOUNT else record.amount
            if value <= 0:
                raise ValidationError(
                    self.env._("An approval needs the discount or the amount it allows.")
                )

    def write(self, vals):
        # the audit trail is kept as written; only the order is attached once synced
        if set(vals) - {"order_id"}:
            raise UserError(self.env._("An approval cannot be changed; record a new one."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Approvals are an audit trail and cannot be deleted."))

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            # in the back office the manager approves in person
            for vals in vals_list:
                vals.update(approved_by_id=self.env.uid, channel="back_office")
                vals.setdefault("requested_by_id", self.env.uid)
                order = self.env["pos.order"].browse(vals.get("order_id"))
                if order:
                    vals.update(
                        order_uuid=order.uuid,
                        config_id=order.config_id.id,
                        company_id=order.company_id.id,
                    )
        return super().create(vals_list)

    def _value(self):
        self.ensure_one()
        value = self.discount if self.kind == approval.DISCOUNT else self.amount
        return Decimal(str(value))

    @api.model
    def _for_order(self, order):
        domain = [("order_id", "=", order.id)]
        if order.uuid:
            domain = ["|", ("order_uuid", "=", order.uuid)] + domain
        return self.sudo().search(domain)

    # POS

    @api.model
    def pos_approvers(self, config_id):
        """Managers who may approve at this cash desk and have a PIN."""
        config = self.env["pos.config"].browse(config_id)
        config.check_access("read")
        managers = self._approvers(config)
        return [{"id": user.id, "name": user.name} for user in managers]

    def _approvers(self, config):
        office = config.sudo().scs_office_id
        users = office.user_ids | office.manager_id if office else self.env["res.users"]
        admins = self.env.ref("scs_pos.group_scs_admin").sudo().users
        return (users | admins).filtered(
            lambda u: u.active
            and u.sudo().scs_pin_hash
            and u.has_group("scs_pos.group_scs_manager")
            and config.company_id in u.company_ids
        )

    @api.model
    def pos_approve(self, config_id, order_uuid, kind, value, reason, approver_id, pin):
        """Record a manager's approval given with their PIN at the cash desk.

        Returns ``{"id": ...}`` or ``{"error": message}``: a wrong PIN is
        answered, not raised, so that the failed attempt stays counted.
        """
        config = self.env["pos.config"].browse(config_id)
        config.check_access("read")
        if not self.env.user.has_group("point_of_sale.group_pos_user"):
            raise AccessError(self.env._("Only cash desk staff ask for approvals."))
        if kind not in dict(self._fields["kind"].selection):
            raise UserError(self.env._("Unknown approval: %(kind)s", kind=kind))
        if not (reason or "").strip():
            return {"error": self.env._("Give the reason for the approval.")}
        approver = self.env["res.users"].sudo().browse(approver_id).exists()
        if not approver or approver not in self._approvers(config):
            return {"error": self.env._("This manager cannot approve at this cash desk.")}
        problem = approver._scs_check_pin(pin)
        if problem:
            return {"error": problem}
        limit = self.env["scs.role.limit"]._limit_for(approver, config.company_id)
        value = Decimal(str(value))
        ceiling = limit.max_discount if kind == approval.DISCOUNT else limit.max_refund
        if kind != approval.CARD_TO_CASH and ceiling is not None and value > ceiling:
            return {
                "error": self.env._(
                    "%(value)s is above %(manager)s's own limit of %(limit)s.",
                    value=value,
                    manager=approver.name,
                    limit=ceiling,
                )
            }
        record = self.sudo().create(
            {
                "kind": kind,
                "order_uuid": order_uuid,
                "config_id": config.id,
                "company_id": config.company_id.id,
                "amount": float(value) if kind != approval.DISCOUNT else 0.0,
                "discount": float(value) if kind == approval.DISCOUNT else 0.0,
                "reason": reason.strip(),
                "requested_by_id": self.env.uid,
                "approved_by_id": approver.id,
                "channel": "pos",
            }
        )
        _logger.info(
            "SCS approval %s of %s %s for order %s by %s",
            record.id,
            kind,
            value,
            order_uuid,
            approver.login,
        )
        return {"id": record.id}
