# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..engine.agent import CommissionError, Contract, check_contracts, commission_percent


class ScsAgentContract(models.Model):
    """The agent contract with a supplier: the commission percent and its validity."""

    _name = "scs.agent.contract"
    _description = "Agent Contract"
    _inherit = ["mail.thread"]
    _order = "partner_id, date_from desc"

    name = fields.Char(string="Contract", required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner", string="Supplier", required=True, index=True, tracking=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    commission_percent = fields.Float(
        string="Commission (%)", digits=(5, 2), required=True, tracking=True
    )
    date_from = fields.Date(string="Valid From", tracking=True)
    date_to = fields.Date(string="Valid To", tracking=True)
    active = fields.Boolean(default=True, tracking=True)

    def _commission_error_message(self, err):
        if err.code == "percent":
            return self.env._(
                "commission %(percent)s%% of %(contract)s is not within 0-100%%", **err.params
            )
        if err.code == "inverted":
            return self.env._("contract %(contract)s ends before it starts", **err.params)
        if err.code == "overlap":
            return self.env._("contracts %(contract)s and %(other)s overlap", **err.params)
        return self.env._("no commission contract covers %(day)s", **err.params)

    def _engine_contracts(self):
        return [
            Contract(
                percent=Decimal(str(c.commission_percent)),
                date_from=c.date_from or None,
                date_to=c.date_to or None,
                name=c.name,
            )
            for c in self
        ]

    @api.constrains(
        "partner_id", "company_id", "commission_percent", "date_from", "date_to", "active"
    )
    def _check_periods(self):
        for partner, company in {(c.partner_id, c.company_id) for c in self}:
            contracts = self.search(
                [("partner_id", "=", partner.id), ("company_id", "=", company.id)]
            )
            try:
                check_contracts(contracts._engine_contracts())
            except CommissionError as err:
                raise ValidationError(
                    _(
                        "Agent contracts of %(partner)s: %(error)s.",
                        partner=partner.name,
                        error=self._commission_error_message(err),
                    )
                ) from err

    @api.model
    def _commission_percent(self, partner, company, day):
        """The commission percent (Decimal) of ``partner`` in force on ``day``."""
        contracts = self.search([("partner_id", "=", partner.id), ("company_id", "=", company.id)])
        try:
            return commission_percent(contracts._engine_contracts(), day)
        except CommissionError as err:
            raise UserError(
                _(
                    "No commission for %(partner)s: %(error)s.",
                    partner=partner.name,
                    error=self._commission_error_message(err),
                )
            ) from err
