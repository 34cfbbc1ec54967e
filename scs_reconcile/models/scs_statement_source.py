# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine import agent_match


class ScsStatementSource(models.Model):
    """A supplier (principal) whose statements of our agent sales we check: an
    insurer, a lounge, another carrier, the corporate shop."""

    _name = "scs.statement.source"
    _description = "Supplier Statement Source"
    _inherit = ["mail.thread"]
    _order = "partner_id"
    _check_company_auto = True

    name = fields.Char(related="partner_id.name", store=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Supplier",
        required=True,
        index=True,
        tracking=True,
        domain="[('is_company', '=', True)]",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    active = fields.Boolean(default=True)
    profile_id = fields.Many2one(
        "scs.reconcile.profile",
        string="Mapping Profile",
        required=True,
        tracking=True,
        domain="[('scope', '=', 'supplier')]",
    )
    amount_tolerance = fields.Monetary(
        tracking=True, help="A difference up to this amount still counts as equal."
    )
    day_window = fields.Integer(
        default=3,
        tracking=True,
        help="Goods listed by item code: how many days the supplier's date may differ "
        "from the day of our sale.",
    )
    payable_account_id = fields.Many2one(
        "account.account",
        string="Principal's Account",
        check_company=True,
        help="Where our agent sales owe the principal (76.05): a difference accepted "
        "in the supplier's favour or ours is posted here. Empty: the company's.",
    )
    expense_account_id = fields.Many2one(
        "account.account",
        string="Write-off Expense",
        check_company=True,
        help="A difference accepted in the supplier's favour (91.02).",
    )
    income_account_id = fields.Many2one(
        "account.account",
        string="Write-off Income",
        check_company=True,
        help="A difference accepted in our favour (91.01).",
    )
    journal_id = fields.Many2one(
        "account.journal",
        check_company=True,
        domain="[('type', '=', 'general')]",
        help="Journal of the write-off entries.",
    )
    statement_ids = fields.One2many("scs.supplier.statement", "source_id", string="Statements")

    _sql_constraints = [
        (
            "partner_company_uniq",
            "unique(partner_id, company_id)",
            "The supplier already has its statement settings in this company.",
        ),
    ]

    @api.constrains("amount_tolerance", "day_window", "profile_id")
    def _check_settings(self):
        for source in self:
            if source.amount_tolerance < 0 or source.day_window < 0:
                raise ValidationError(self.env._("Tolerances are never negative."))
            if source.profile_id.scope != "supplier":
                raise ValidationError(
                    self.env._(
                        "%(profile)s reads acquirer registries, not supplier statements.",
                        profile=source.profile_id.name,
                    )
                )

    def _scs_tolerance(self):
        self.ensure_one()
        return agent_match.Tolerance(
            amount=Decimal(str(self.amount_tolerance)).quantize(Decimal("0.01")),
            days=self.day_window,
        )

    def _scs_writeoff_accounts(self):
        """(principal's account, expense, income, journal), or a clear error."""
        self.ensure_one()
        payable = self.payable_account_id or self.company_id.scs_agent_payable_account_id
        missing = [
            self._fields[name].string
            for name in ("expense_account_id", "income_account_id", "journal_id")
            if not self[name]
        ]
        if not payable:
            missing.insert(0, self._fields["payable_account_id"].string)
        if missing:
            raise ValidationError(
                self.env._(
                    "Set the %(fields)s of the statements of %(supplier)s first.",
                    fields=", ".join(missing),
                    supplier=self.partner_id.name,
                )
            )
        return payable, self.expense_account_id, self.income_account_id, self.journal_id
