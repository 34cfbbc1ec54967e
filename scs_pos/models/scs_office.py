# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import pytz

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


def _tz_selection(self):
    return [(tz, tz) for tz in sorted(pytz.all_timezones)]


class ScsOffice(models.Model):
    """A sales office: one place with its cash desks, staff and time zone."""

    _name = "scs.office"
    _description = "Sales Office"
    _inherit = ["mail.thread"]
    _order = "name"

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(
        required=True,
        tracking=True,
        help="Short code of the office (IATA city code or internal number), "
        "used in document numbers and reports.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    tz = fields.Selection(
        _tz_selection,
        string="Time Zone",
        required=True,
        default=lambda self: self.env.user.tz or "Europe/Moscow",
        help="Business days, shifts and the cash book of the office follow this time zone.",
    )
    partner_id = fields.Many2one(
        "res.partner", string="Address", help="Address printed on fiscal and cash documents."
    )
    analytic_account_id = fields.Many2one(
        "account.analytic.account",
        string="Analytic Account",
        check_company=True,
        help="'Office' dimension of the analytic distribution of every posting of this office.",
    )
    manager_id = fields.Many2one("res.users", string="Manager", tracking=True)
    user_ids = fields.Many2many(
        "res.users",
        "scs_office_res_users_rel",
        "office_id",
        "user_id",
        string="Staff",
        help="Cashiers and managers who work in this office.",
    )
    pos_config_ids = fields.One2many("pos.config", "scs_office_id", string="Cash Desks")
    pos_config_count = fields.Integer(compute="_compute_pos_config_count")

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "An office code must be unique per company.",
        ),
    ]

    @api.depends("pos_config_ids")
    def _compute_pos_config_count(self):
        for office in self:
            office.pos_config_count = len(office.pos_config_ids)

    @api.constrains("code")
    def _check_code(self):
        for office in self:
            code = (office.code or "").strip()
            if not code or len(code) > 16 or not code.replace("-", "").isalnum():
                raise ValidationError(
                    _(
                        "Office code %(code)r must be 1 to 16 letters, digits or dashes.",
                        code=office.code,
                    )
                )

    @api.constrains("analytic_account_id", "company_id")
    def _check_analytic_company(self):
        for office in self:
            account = office.analytic_account_id
            if account.company_id and account.company_id != office.company_id:
                raise ValidationError(
                    _(
                        "The analytic account of office %(office)s belongs to another company.",
                        office=office.display_name,
                    )
                )

    def action_view_pos_configs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "point_of_sale.action_pos_config_kanban"
        )
        action["domain"] = [("scs_office_id", "=", self.id)]
        action["context"] = {"default_scs_office_id": self.id}
        return action
