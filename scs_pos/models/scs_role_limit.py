# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine import approval


class ScsRoleLimit(models.Model):
    """What a role may give without a manager: a discount and a refund."""

    _name = "scs.role.limit"
    _description = "Role Limit"
    _inherit = ["mail.thread"]
    _order = "company_id, group_id"
    _rec_name = "group_id"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    group_id = fields.Many2one(
        "res.groups",
        string="Role",
        required=True,
        ondelete="cascade",
        domain=lambda self: [("category_id", "=", self.env.ref("scs_pos.module_category_scs").id)],
    )
    max_discount = fields.Float(
        string="Max. Discount (%)",
        digits=(5, 2),
        tracking=True,
        help="The largest line discount this role gives without a manager's approval.",
    )
    no_discount_limit = fields.Boolean(string="Any Discount", tracking=True)
    max_refund = fields.Monetary(
        string="Max. Refund",
        tracking=True,
        help="The largest refund of one order this role makes without a manager's approval.",
    )
    no_refund_limit = fields.Boolean(string="Any Refund", tracking=True)

    _sql_constraints = [
        (
            "group_company_uniq",
            "unique(group_id, company_id)",
            "A role has one limit per company.",
        ),
    ]

    @api.constrains("max_discount", "max_refund")
    def _check_values(self):
        for limit in self:
            if not 0 <= limit.max_discount <= 100 or limit.max_refund < 0:
                raise ValidationError(
                    self.env._(
                        "Limits of %(role)s: the discount must be within 0-100%% "
                        "and the refund not negative.",
                        role=limit.group_id.name,
                    )
                )

    def _as_limit(self):
        self.ensure_one()
        return approval.Limit(
            max_discount=None if self.no_discount_limit else Decimal(str(self.max_discount)),
            max_refund=None if self.no_refund_limit else Decimal(str(self.max_refund)),
        )

    @api.model
    def _limit_for(self, user, company):
        """The most generous limit of ``user``'s roles in ``company``."""
        rows = self.sudo().search(
            [("company_id", "=", company.id), ("group_id", "in", user.groups_id.ids)]
        )
        return approval.combine(row._as_limit() for row in rows)
