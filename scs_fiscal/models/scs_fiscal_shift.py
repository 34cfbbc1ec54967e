# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime
from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..engine import atol

#: 54-FZ: a shift lasts at most 24 hours
SHIFT_LIMIT = datetime.timedelta(hours=24)
REGISTER_TIME = "%Y-%m-%d %H:%M:%S"


class ScsFiscalShift(models.Model):
    """A register's shift: opened and closed by the register (local) or the service (cloud)."""

    _name = "scs.fiscal.shift"
    _description = "Fiscal Shift"
    _inherit = ["mail.thread"]
    _order = "opened_at desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    register_id = fields.Many2one(
        "scs.fiscal.register", required=True, readonly=True, index=True, ondelete="restrict"
    )
    company_id = fields.Many2one(related="register_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    number = fields.Integer(required=True, readonly=True, help="Tag 1038.")
    state = fields.Selection(
        [("open", "Open"), ("closed", "Closed")],
        default="open",
        required=True,
        readonly=True,
        tracking=True,
    )
    opened_at = fields.Datetime(readonly=True, required=True)
    opened_clock = fields.Char(
        string="Opened (Register Clock)",
        readonly=True,
        help="The register's own time of opening: the 24-hour limit counts from it.",
    )
    closed_at = fields.Datetime(readonly=True)
    opened_by = fields.Many2one("res.users", readonly=True)
    closed_by = fields.Many2one("res.users", readonly=True)
    managed_by_service = fields.Boolean(
        readonly=True, help="The cloud service opens and closes this shift itself."
    )
    document_ids = fields.One2many("scs.fiscal.document", "shift_id", readonly=True)
    sale_count = fields.Integer(compute="_compute_counters")
    sale_total = fields.Monetary(compute="_compute_counters")
    refund_count = fields.Integer(compute="_compute_counters")
    refund_total = fields.Monetary(compute="_compute_counters")
    cash_total = fields.Monetary(
        compute="_compute_counters", help="Cash taken by sales less cash given back by refunds."
    )
    electronic_total = fields.Monetary(compute="_compute_counters")
    prepayment_total = fields.Monetary(compute="_compute_counters")
    cash_in_total = fields.Monetary(compute="_compute_counters")
    cash_out_total = fields.Monetary(compute="_compute_counters")
    z_report = fields.Json(readonly=True, help="The counters the register printed at closing.")

    _sql_constraints = [
        ("register_number_uniq", "unique(register_id, number)", "A shift number is unique.")
    ]

    @api.depends("register_id.name", "number")
    def _compute_name(self):
        for shift in self:
            shift.name = f"{shift.register_id.name} #{shift.number}"

    @api.depends("document_ids.state")
    def _compute_counters(self):
        for shift in self:
            values = dict.fromkeys(
                ("sale_count", "refund_count"), 0
            ) | dict.fromkeys(
                ("sale_total", "refund_total", "cash_total", "electronic_total",
                 "prepayment_total", "cash_in_total", "cash_out_total"), Decimal(0)
            )  # fmt: skip
            for document in shift.document_ids.filtered(lambda d: d.state in ("done", "corrected")):
                payload = document.payload or {}
                operation = payload.get("1054")
                sign = -1 if operation == 2 else 1
                if document.kind in ("cash_in", "cash_out"):
                    values[f"{document.kind}_total"] += Decimal(str(document.amount_total))
                    continue
                key = "refund" if operation == 2 else "sale"
                values[f"{key}_count"] += 1
                values[f"{key}_total"] += Decimal(payload.get("1020", 0)) / 100
                values["cash_total"] += sign * Decimal(payload.get("1031", 0)) / 100
                values["electronic_total"] += sign * Decimal(payload.get("1081", 0)) / 100
                values["prepayment_total"] += sign * Decimal(payload.get("1215", 0)) / 100
            shift.update({key: float(value) for key, value in values.items()})

    def _scs_age(self, driver=None):
        """How long the shift has been open, on the register's own clock."""
        self.ensure_one()
        now = self.register_id._scs_clock(driver)
        if self.opened_clock:
            opened = datetime.datetime.strptime(self.opened_clock, REGISTER_TIME)
        else:
            opened = self.register_id._scs_clock_of(self.opened_at)
        return now - opened

    def action_x_report(self):
        """Print the counters without closing: on the register, or ours for a cloud one."""
        self.ensure_one()
        if self.state != "open":
            raise UserError(_("An X report is printed for an open shift."))
        register = self.register_id
        driver = register._scs_driver()
        if driver.manages_shifts:
            counters = {
                "sales": self.sale_total,
                "refunds": self.refund_total,
                "cash": self.cash_total,
                "electronic": self.electronic_total,
            }
        else:
            result = driver.x_report()
            if result.action != atol.DONE:
                raise UserError(
                    _("The register did not print the X report: %(error)s", error=result.error_text)
                )
            counters = result.fiscal.get("counters") or {}
        self.message_post(
            body=_(
                "X report: %(counters)s",
                counters=", ".join(f"{k} {v}" for k, v in counters.items()),
            )
        )
        return True

    def action_close(self):
        """Close the shift with a Z report (local registers; the service closes its own)."""
        # checked before the register is told anything: it cannot be told to undo
        self.check_access("write")
        for shift in self:
            if shift.state != "open":
                continue
            if shift.managed_by_service:
                raise UserError(_("The cloud service closes its shifts itself."))
            shift.register_id._scs_close_shift(shift.register_id._scs_driver(), shift)
        return True
