# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .inn_messages import inn_message, kpp_message


class ResPartner(models.Model):
    _inherit = "res.partner"

    scs_kpp = fields.Char(
        string="KPP",
        size=9,
        help="Tax registration reason code of a Russian organisation (9 characters).",
    )
    scs_analytic_account_id = fields.Many2one(
        "account.analytic.account",
        string="Analytic Account (Supplier)",
        company_dependent=True,
        help="'Supplier' dimension of the analytic distribution of agent sales.",
    )
    scs_agent_contract_ids = fields.One2many(
        "scs.agent.contract", "partner_id", string="Agent Contracts"
    )

    @api.constrains("scs_kpp")
    def _check_scs_kpp(self):
        for partner in self.filtered("scs_kpp"):
            error = kpp_message(self.env, partner.scs_kpp)
            if error:
                raise ValidationError(
                    _("Partner %(partner)s: %(error)s.", partner=partner.name, error=error)
                )

    @api.constrains("vat")
    def _check_scs_supplier_inn(self):
        # a principal whose INN breaks would make every receipt of its services invalid
        Template = self.env["product.template"].sudo().with_context(active_test=False)
        for partner in self:
            if not Template.search_count(
                [("scs_supplier_id", "=", partner.id), ("scs_service_kind", "=", "agent")], limit=1
            ):
                continue
            error = inn_message(self.env, partner.vat)
            if error:
                raise ValidationError(
                    _(
                        "%(partner)s supplies agent services, "
                        "so its INN must stay valid: %(error)s.",
                        partner=partner.name,
                        error=error,
                    )
                )
