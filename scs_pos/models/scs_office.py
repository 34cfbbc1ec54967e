# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL


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
    # cash discipline (Bank of Russia 3210-U): the office's cash book, orders and limit
    scs_cash_limit = fields.Monetary(
        string="Cash Limit",
        tracking=True,
        help="The cash a desk may keep at the end of a day, by the company's order; "
        "above it the rest goes to the bank.",
    )
    scs_cash_limit_applies = fields.Boolean(
        string="Cash Limit Applies",
        default=True,
        tracking=True,
        help="Off for a small business, which may keep any cash.",
    )
    scs_salary_days = fields.Char(
        string="Salary Days",
        help="Days of the month (e.g. 5,20) on which cash above the limit is allowed.",
    )
    scs_cash_difference_threshold = fields.Monetary(
        string="Count Difference without a Manager",
        tracking=True,
        help="A cash count that differs from the expected cash by more than this needs a "
        "manager's approval; any difference needs a reason.",
    )
    scs_session_max_hours = fields.Integer(
        string="Session Open Too Long After (hours)",
        default=14,
        help="The manager's dashboard shows a session still open this many hours after it "
        "was opened.",
    )
    scs_cash_grace_hours = fields.Integer(
        string="Day Closes After (hours)",
        default=2,
        help="Hours after local midnight at which the previous day's cash book closes, "
        "so that sales made offline sync into their own day.",
    )
    scs_cash_sales_account_id = fields.Many2one(
        "account.account",
        string="Register Sales Account",
        check_company=True,
        help="Corresponding account printed on the daily register cash orders (90.01 or 62).",
    )
    scs_cash_refunds_account_id = fields.Many2one(
        "account.account", string="Register Refunds Account", check_company=True
    )
    scs_ko1_sequence_id = fields.Many2one(
        "ir.sequence", string="Receipt Orders Series", readonly=True, copy=False
    )
    scs_ko2_sequence_id = fields.Many2one(
        "ir.sequence", string="Payment Orders Series", readonly=True, copy=False
    )
    pos_config_count = fields.Integer(compute="_compute_pos_config_count")

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "An office code must be unique per company.",
        ),
    ]

    @api.depends("pos_config_ids")
    @api.model_create_multi
    def create(self, vals_list):
        offices = super().create(vals_list)
        # record rules read a user's offices: their cached domains must follow
        self.env.registry.clear_cache()
        return offices

    def write(self, vals):
        result = super().write(vals)
        if {"user_ids", "manager_id", "active"} & set(vals):
            self.env.registry.clear_cache()
        return result

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

    @api.constrains("scs_salary_days", "scs_cash_limit", "scs_cash_grace_hours")
    def _check_scs_cash(self):
        for office in self:
            if office.scs_cash_limit < 0 or not 0 <= office.scs_cash_grace_hours <= 12:
                raise ValidationError(
                    _("The cash limit is never negative and a day closes 0 to 12 hours late.")
                )
            office._scs_salary_days()

    def _scs_salary_days(self):
        try:
            days = {int(d) for d in (self.scs_salary_days or "").replace(" ", "").split(",") if d}
        except ValueError:
            days = {0}
        if any(not 1 <= d <= 31 for d in days):
            raise ValidationError(
                _("Salary days are days of the month separated by commas, e.g. 5,20.")
            )
        return days

    def _scs_limit_exempt(self, day):
        """Cash above the limit is allowed on salary days, and on weekends and public
        holidays when the desk works (the bank takes no deposits)."""
        self.ensure_one()
        if day.day in self._scs_salary_days() or day.weekday() >= 5:
            return True
        start = datetime.datetime.combine(day, datetime.time())
        return bool(
            self.env["resource.calendar.leaves"]
            .sudo()
            .search_count(
                [
                    ("resource_id", "=", False),
                    ("company_id", "in", [False, self.company_id.id]),
                    ("date_from", "<", start + datetime.timedelta(days=1)),
                    ("date_to", ">", start),
                ]
            )
        )

    def _scs_cash_sequence(self, kind):
        """The office's gapless series of cash orders of one form, restarting each year."""
        self.ensure_one()
        field = "scs_ko1_sequence_id" if kind == "in" else "scs_ko2_sequence_id"
        if self[field]:
            return self[field].sudo()
        self.env.cr.execute(SQL("SELECT id FROM scs_office WHERE id = %s FOR UPDATE", self.id))
        self.invalidate_recordset([field])
        if not self[field]:
            form = "KO-1" if kind == "in" else "KO-2"
            self.sudo()[field] = (
                self.env["ir.sequence"]
                .sudo()
                .create(
                    {
                        "name": f"{form} {self.code}",
                        "code": f"scs.cash.order.{kind}.{self.id}",
                        "implementation": "no_gap",
                        "use_date_range": True,
                        "padding": 1,
                        "company_id": self.company_id.id,
                    }
                )
            )
        return self[field].sudo()

    def action_view_pos_configs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "point_of_sale.action_pos_config_kanban"
        )
        action["domain"] = [("scs_office_id", "=", self.id)]
        action["context"] = {"default_scs_office_id": self.id}
        return action
