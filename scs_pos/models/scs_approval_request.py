# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..engine import approval

_logger = logging.getLogger(__name__)

CASH_DIFFERENCE = "cash_difference"


class ScsApprovalRequest(models.Model):
    """A cashier's request for an approval no manager at the desk can give.

    It waits on the managers' dashboard; an approved request records the
    approval (``scs.approval``) the order's payment or the session's close checks.
    """

    _name = "scs.approval.request"
    _description = "Approval Request"
    _inherit = ["mail.thread"]
    _order = "state desc, id desc"
    _check_company_auto = True

    kind = fields.Selection(
        [
            (approval.DISCOUNT, "Discount"),
            (approval.REFUND, "Refund"),
            (approval.CARD_TO_CASH, "Card money as cash"),
            (CASH_DIFFERENCE, "Cash count difference"),
        ],
        required=True,
        readonly=True,
    )
    state = fields.Selection(
        [
            ("waiting", "Waiting"),
            ("approved", "Approved"),
            ("refused", "Refused"),
            ("withdrawn", "Withdrawn"),
        ],
        default="waiting",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    order_uuid = fields.Char(string="Order UUID", readonly=True, index="btree_not_null")
    session_id = fields.Many2one("pos.session", readonly=True, index="btree_not_null")
    config_id = fields.Many2one("pos.config", string="Cash Desk", required=True, readonly=True)
    office_id = fields.Many2one(
        "scs.office", related="config_id.scs_office_id", store=True, index=True, string="Office"
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(readonly=True, help="Refund, card money as cash, or cash difference.")
    discount = fields.Float(string="Discount (%)", digits=(5, 2), readonly=True)
    reason = fields.Text(required=True, readonly=True)
    requested_by_id = fields.Many2one(
        "res.users", string="Requested By", required=True, readonly=True
    )
    decided_by_id = fields.Many2one("res.users", string="Decided By", readonly=True, tracking=True)
    decided_on = fields.Datetime(readonly=True)
    decision_note = fields.Text(
        string="Manager's Note", help="Why the request is refused, or what the manager checked."
    )
    approval_id = fields.Many2one("scs.approval", string="Approval", readonly=True)

    # one waiting request per order (or session) and kind: a retried request is the same one
    def init(self):
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS scs_approval_request_waiting_uniq "
            "ON scs_approval_request (kind, COALESCE(order_uuid, ''), COALESCE(session_id, 0)) "
            "WHERE state = 'waiting'"
        )

    def write(self, vals):
        # the decision is taken by the buttons; a manager only writes the note
        if not self.env.su:
            if set(vals) - {"decision_note"}:
                raise UserError(self.env._("An approval request is decided with its buttons."))
            self._check_decider()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Approval requests are an audit trail and cannot be deleted."))

    @api.depends("kind", "order_uuid", "session_id", "config_id")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for request in self:
            what = request.session_id.name or request.order_uuid or request.config_id.name
            request.display_name = f"{kinds.get(request.kind)}: {what}"

    def _value(self):
        self.ensure_one()
        return Decimal(str(self.discount if self.kind == approval.DISCOUNT else self.amount))

    def _shown_value(self):
        self.ensure_one()
        if self.kind == approval.DISCOUNT:
            return f"{self.discount:g}%"
        return self.currency_id.format(self.amount)

    # -- asking ---------------------------------------------------------------------

    @api.model
    def _ask(self, config, kind, value, reason, order_uuid=False, session=False):
        """The waiting request for this order (or session) and kind, made or updated.

        The same value asked again is the same request; a new value withdraws the
        old request (the cashier changed the order) and asks afresh.
        """
        value = Decimal(str(value))
        if value == 0 or (kind != CASH_DIFFERENCE and value < 0):
            raise UserError(self.env._("A request needs the discount or the amount it asks for."))
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for the approval."))
        Request = self.sudo()
        domain = [("kind", "=", kind), ("state", "=", "waiting")]
        domain += (
            [("session_id", "=", session.id)] if session else [("order_uuid", "=", order_uuid)]
        )
        waiting = Request.search(domain, limit=1)
        if waiting and waiting._value() == value:
            return waiting
        if waiting:
            waiting._decide("withdrawn", self.env._("Asked again for another value."))
        request = Request.create(
            {
                "kind": kind,
                "order_uuid": order_uuid or False,
                "session_id": session.id if session else False,
                "config_id": config.id,
                "company_id": config.company_id.id,
                "amount": float(value) if kind != approval.DISCOUNT else 0.0,
                "discount": float(value) if kind == approval.DISCOUNT else 0.0,
                "reason": reason.strip(),
                "requested_by_id": self.env.uid,
            }
        )
        _logger.info(
            "SCS approval request %s: %s %s at %s by %s",
            request.id,
            kind,
            value,
            config.name,
            self.env.user.login,
        )
        return request

    def _decide(self, state, note=False):
        self.write(
            {
                "state": state,
                "decided_by_id": self.env.uid,
                "decided_on": fields.Datetime.now(),
                "decision_note": note or self.decision_note,
            }
        )

    # -- deciding (back office) ------------------------------------------------------

    def _check_decider(self):
        user = self.env.user
        if not user.has_group("scs_pos.group_scs_manager"):
            raise AccessError(self.env._("Only a manager decides an approval request."))
        for request in self:
            if request.state != "waiting":
                raise UserError(
                    self.env._(
                        "Request %(request)s is already decided.", request=request.display_name
                    )
                )
            office = request.office_id
            if (
                office
                and not user.has_group("scs_pos.group_scs_head_office")
                and office.id not in user._scs_office_ids()
            ):
                raise AccessError(
                    self.env._(
                        "%(manager)s is not a manager of %(office)s.",
                        manager=user.name,
                        office=office.name,
                    )
                )

    def action_approve(self):
        self._check_decider()
        for request in self:
            if request.kind != CASH_DIFFERENCE:
                limit = self.env["scs.role.limit"]._limit_for(self.env.user, request.company_id)
                ceiling = (
                    limit.max_discount if request.kind == approval.DISCOUNT else limit.max_refund
                )
                if (
                    request.kind != approval.CARD_TO_CASH
                    and ceiling is not None
                    and request._value() > ceiling
                ):
                    raise UserError(
                        self.env._(
                            "%(value)s is above your own limit of %(limit)s.",
                            value=request._shown_value(),
                            limit=ceiling,
                        )
                    )
                record = (
                    self.env["scs.approval"]
                    .sudo()
                    .create(
                        {
                            "kind": request.kind,
                            "order_uuid": request.order_uuid,
                            "config_id": request.config_id.id,
                            "company_id": request.company_id.id,
                            "amount": request.amount,
                            "discount": request.discount,
                            "reason": request.reason,
                            "requested_by_id": request.requested_by_id.id,
                            "approved_by_id": self.env.uid,
                            "channel": "remote",
                        }
                    )
                )
                request.sudo().approval_id = record
            request.sudo()._decide("approved")
            request.sudo().message_post(
                body=self.env._(
                    "%(manager)s approved %(value)s.",
                    manager=self.env.user.name,
                    value=request._shown_value(),
                )
            )
        return True

    def action_refuse(self):
        self._check_decider()
        for request in self:
            if not (request.decision_note or "").strip():
                raise UserError(self.env._("Write in the note why the request is refused."))
            request.sudo()._decide("refused")
        return True

    # -- POS --------------------------------------------------------------------------

    @api.model
    def pos_request(self, config_id, order_uuid, kind, value, reason):
        """A cashier asks the managers for an approval: ``{"id", "state"}``."""
        config = self.env["pos.config"].browse(config_id)
        config.check_access("read")
        if not self.env.user.has_group("point_of_sale.group_pos_user"):
            raise AccessError(self.env._("Only cash desk staff ask for approvals."))
        if kind not in (approval.DISCOUNT, approval.REFUND, approval.CARD_TO_CASH):
            raise UserError(self.env._("Unknown approval: %(kind)s", kind=kind))
        if not order_uuid:
            raise UserError(self.env._("An approval is given for an order."))
        request = self._ask(config, kind, value, reason, order_uuid=order_uuid)
        return {"id": request.id, "state": request.state}

    @api.model
    def pos_request_state(self, request_id):
        """The decision on a cashier's own request: ``{"state", "manager", "note"}``."""
        request = self.sudo().browse(request_id).exists()
        if not request or request.requested_by_id != self.env.user:
            raise AccessError(self.env._("This is not your request."))
        return {
            "state": request.state,
            "manager": request.decided_by_id.name or "",
            "note": request.decision_note or "",
        }

    @api.model
    def pos_withdraw(self, request_id):
        request = self.sudo().browse(request_id).exists()
        if not request or request.requested_by_id != self.env.user:
            raise AccessError(self.env._("This is not your request."))
        if request.state == "waiting":
            request._decide("withdrawn")
        return {"state": request.state}
