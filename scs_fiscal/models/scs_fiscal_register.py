# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.scs_pos.models.scs_office import _tz_selection

from ..adapters.atol_client import AtolClient
from ..adapters.driver import SHIFT_CLOSED
from ..engine import atol, ffd
from .scs_fiscal_shift import REGISTER_TIME, SHIFT_LIMIT

TAX_SYSTEMS = [
    ("osn", "General (OSN)"),
    ("usn_income", "Simplified, income"),
    ("usn_income_outcome", "Simplified, income minus expense"),
    ("esn", "Unified agricultural tax"),
    ("patent", "Patent"),
]


class ScsFiscalRegister(models.Model):
    """A fiscal register: a cloud service's register group, or a local register via the proxy."""

    _name = "scs.fiscal.register"
    _description = "Fiscal Register"
    _inherit = ["mail.thread"]
    _order = "name"

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    kind = fields.Selection(
        [("cloud", "Cloud fiscal service"), ("local", "Local register (hardware proxy)")],
        required=True,
        default="cloud",
        tracking=True,
    )
    tax_system = fields.Selection(
        TAX_SYSTEMS,
        string="Taxation System",
        required=True,
        default="osn",
        tracking=True,
        help="FFD 1.2 tag 1055, as registered with the tax service.",
    )
    inn = fields.Char(
        string="Seller INN",
        required=True,
        default=lambda self: self.env.company.vat,
        tracking=True,
        help="Tag 1018: the INN the register is registered to.",
    )
    email = fields.Char(
        string="Seller E-mail",
        required=True,
        default=lambda self: self.env.company.email,
        help="Tag 1117: the sender of electronic receipts.",
    )
    payment_address = fields.Char(
        required=True,
        tracking=True,
        help="Tag 1187: the address of the office where the settlement takes place.",
    )
    tz = fields.Selection(
        _tz_selection,
        string="Register Clock",
        required=True,
        default=lambda self: self.env.user.tz or "Europe/Moscow",
        help="The time zone of the register's own clock: shifts and their 24-hour limit "
        "are counted on it, and the times it reports are read in it, wherever the server or "
        "the cashier is. A local register keeps the office's time; a cloud service usually "
        "keeps Moscow time.",
    )
    cloud_url = fields.Char(
        string="Service URL",
        default="https://online.atol.ru/possystem/v5/",
        groups="scs_pos.group_scs_admin",
    )
    cloud_group = fields.Char(string="Group Code", groups="scs_pos.group_scs_admin")
    cloud_login = fields.Char(string="Login", groups="scs_pos.group_scs_admin")
    cloud_password = fields.Char(string="Password", groups="scs_pos.group_scs_admin")
    electronic_receipts = fields.Boolean(
        help="Send the receipt to the customer's e-mail or phone (tag 1008) when the order "
        "names a customer who has one.",
    )
    config_ids = fields.One2many("pos.config", "scs_fiscal_register_id", string="Cash Desks")
    shift_ids = fields.One2many("scs.fiscal.shift", "register_id", string="Shifts")
    current_shift_id = fields.Many2one(
        "scs.fiscal.shift", compute="_compute_current_shift_id", string="Current Shift"
    )
    document_ids = fields.One2many("scs.fiscal.document", "register_id")
    pending_count = fields.Integer(compute="_compute_document_counts", string="Pending")
    failed_count = fields.Integer(compute="_compute_document_counts", string="Need Action")

    _sql_constraints = [
        ("name_company_uniq", "unique(name, company_id)", "A register name is unique per company.")
    ]

    @api.constrains("inn")
    def _check_inn(self):
        for register in self:
            if not ffd.INN.match((register.inn or "").strip()):
                raise ValidationError(
                    _("Seller INN %(inn)s must be 10 or 12 digits.", inn=register.inn)
                )

    @api.constrains("kind", "cloud_url", "cloud_group", "cloud_login", "cloud_password")
    def _check_cloud(self):
        for register in self.sudo().filtered(lambda r: r.kind == "cloud"):
            if not all(
                (
                    register.cloud_url,
                    register.cloud_group,
                    register.cloud_login,
                    register.cloud_password,
                )
            ):
                raise ValidationError(
                    _(
                        "Cloud register %(name)s needs the service URL, group code, login "
                        "and password.",
                        name=register.name,
                    )
                )

    @api.depends("shift_ids.state")
    def _compute_current_shift_id(self):
        for register in self:
            register.current_shift_id = self.env["scs.fiscal.shift"].search(
                [("register_id", "=", register.id), ("state", "=", "open")],
                order="opened_at desc",
                limit=1,
            )

    def _compute_document_counts(self):
        groups = self.env["scs.fiscal.document"]._read_group(
            [("register_id", "in", self.ids)], ["register_id", "state"], ["__count"]
        )
        counts = {}
        for register, state, count in groups:
            key = "failed" if state in ("failed", "correction") else "pending"
            if state in ("to_send", "sent", "unknown", "failed", "correction"):
                counts[(register.id, key)] = counts.get((register.id, key), 0) + count
        for register in self:
            register.pending_count = counts.get((register.id, "pending"), 0)
            register.failed_count = counts.get((register.id, "failed"), 0)

    # the register's world

    def _scs_company(self):
        self.ensure_one()
        return atol.Company(
            inn=self.inn.strip(),
            email=self.email,
            payment_address=self.payment_address,
            sno=self.tax_system,
        )

    def _scs_driver(self):
        """The driver of this register; local registers are driven by scs_hw_proxy."""
        self.ensure_one()
        if self.kind == "cloud":
            register = self.sudo()
            return AtolClient(
                register.cloud_url,
                register.cloud_group,
                register.cloud_login,
                register.cloud_password,
                timeout=int(
                    self.env["ir.config_parameter"].sudo().get_param("scs_fiscal.timeout", 10)
                ),
            )
        raise UserError(
            _(
                "Register %(name)s is local: only its cash desk's POS reaches it, through the "
                "hardware proxy of the office PC. The POS sends its documents after each sale.",
                name=self.name,
            )
        )

    def _scs_clock(self, driver=None):
        """The register's local time now: its own clock when the driver has one."""
        self.ensure_one()
        moment = driver.clock() if driver else None
        if moment is None:
            moment = (
                pytz.utc.localize(fields.Datetime.now())
                .astimezone(pytz.timezone(self.tz))
                .replace(tzinfo=None)
            )
        return moment

    def _scs_clock_of(self, moment_utc):
        """A naive UTC time on the register's clock."""
        return pytz.utc.localize(moment_utc).astimezone(pytz.timezone(self.tz)).replace(tzinfo=None)

    def _scs_to_utc(self, local):
        """A naive register-clock time as naive UTC, for storing."""
        return (
            pytz.timezone(self.tz)
            .localize(local)
            .astimezone(pytz.utc)
            .replace(tzinfo=None, microsecond=0)
        )

    # shifts

    def _scs_note_shift(self, number, moment, driver):
        """The shift a fiscalized document belongs to; a cloud service's new number closes
        the shifts before it."""
        self.ensure_one()
        shifts = self.env["scs.fiscal.shift"]
        if not number:
            return shifts
        shift = shifts.search([("register_id", "=", self.id), ("number", "=", number)])
        if not shift:
            shift = shifts.create(
                {
                    "register_id": self.id,
                    "number": number,
                    "opened_at": moment,
                    "opened_clock": self._scs_clock_of(moment).strftime(REGISTER_TIME),
                    "managed_by_service": driver.manages_shifts,
                }
            )
        if driver.manages_shifts:
            shifts.search(
                [("register_id", "=", self.id), ("state", "=", "open"), ("number", "<", number)]
            ).write({"state": "closed", "closed_at": moment})
        return shift

    def _scs_open_shift(self, driver):
        self.ensure_one()
        user = self.env.user
        result = driver.open_shift(user.name, user.scs_cashier_inn or "")
        if result.action != atol.DONE:
            raise UserError(
                _("Register %(name)s did not open a shift: %(error)s", name=self.name,
                  error=result.error_text)
            )  # fmt: skip
        fiscal = result.fiscal
        opened = fiscal.get("opened") or fiscal.get("moment") or self._scs_clock(driver)
        shift = self.env["scs.fiscal.shift"].search(
            [("register_id", "=", self.id), ("number", "=", fiscal["shift_number"])]
        )
        if not shift:
            shift = shift.create(
                {
                    "register_id": self.id,
                    "number": fiscal["shift_number"],
                    "opened_at": self._scs_to_utc(opened),
                    "opened_clock": opened.strftime(REGISTER_TIME),
                    "opened_by": user.id,
                }
            )
        return shift

    def _scs_close_shift(self, driver, shift, reason=""):
        user = self.env.user
        result = driver.close_shift(user.name, user.scs_cashier_inn or "")
        if result.action != atol.DONE and result.error_code != SHIFT_CLOSED:
            raise UserError(
                _("Register %(name)s did not close the shift: %(error)s", name=self.name,
                  error=result.error_text)
            )  # fmt: skip
        counters = result.fiscal.get("counters") or {}
        shift.write(
            {
                "state": "closed",
                "closed_at": fields.Datetime.now(),
                "closed_by": user.id,
                "z_report": {str(key): value for key, value in counters.items()},
            }
        )
        if reason:
            shift.message_post(body=reason)
        return shift

    @api.model
    def scs_relay_z_report(self, config_id, answer):
        """Record the Z report the POS had the office PC's register print when the cashier
        closed the session: the register's open shift is closed with its counters.

        ``answer``: the proxy's ``/scs/fiscal/close_shift`` result. A refusal that the
        shift is closed already closes nothing; the same report twice changes nothing.
        """
        config = self.env["pos.config"].browse(config_id).exists()
        if not config:
            raise UserError(_("This cash desk does not exist."))
        config.check_access("read")
        register = config.sudo().scs_fiscal_register_id
        if register.kind != "local":
            raise UserError(_("Only a local register's shift is closed through the POS."))
        user = self.env.user
        session = config.sudo().current_session_id
        if not (user.has_group("point_of_sale.group_pos_manager") or user == session.user_id):
            raise AccessError(
                _("Only the cashier of the open session closes its register's shift.")
            )
        if not isinstance(answer, dict) or answer.get("status") != "done":
            error = answer.get("error_text") if isinstance(answer, dict) else ""
            return {"closed": False, "error": error or _("The register printed no Z report.")}
        fiscal = answer.get("fiscal") or {}
        number = fiscal.get("shift_number")
        shifts = (
            self.env["scs.fiscal.shift"]
            .sudo()
            .search(
                [("register_id", "=", register.id), ("state", "=", "open")]
                + ([("number", "<=", number)] if isinstance(number, int) and number > 0 else [])
            )
        )
        counters = {
            key: fiscal[key] for key in ("document_number", "checks", "fn_number") if key in fiscal
        }
        shifts.write(
            {
                "state": "closed",
                "closed_at": fields.Datetime.now(),
                "closed_by": user.id,
                "z_report": counters,
            }
        )
        for shift in shifts:
            shift.message_post(body=_("Closed by the Z report of the session's closing."))
        return {"closed": bool(shifts), "shifts": shifts.mapped("number")}

    def _scs_ensure_shift(self, driver):
        """An open shift younger than 24 hours on the register's clock, before a document."""
        self.ensure_one()
        shift = self.current_shift_id
        if shift and shift._scs_age(driver) >= SHIFT_LIMIT:
            self._scs_close_shift(
                driver, shift, _("Closed automatically: the shift reached 24 hours.")
            )
            shift = False
        return shift or self._scs_open_shift(driver)

    def _scs_shift_refused(self, driver, code):
        """The register refused a document for its shift: close what it thinks is expired,
        forget what it thinks is closed, and open a fresh shift."""
        shift = self.current_shift_id
        if shift and code == SHIFT_CLOSED:
            shift.write({"state": "closed", "closed_at": fields.Datetime.now()})
            shift.message_post(body=_("The register reports this shift closed."))
        elif shift:
            self._scs_close_shift(
                driver, shift, _("Closed: the register reports the shift over 24 hours.")
            )
        return self._scs_open_shift(driver)

    def action_open_shift(self):
        self.env["scs.fiscal.shift"].check_access("create")
        for register in self:
            driver = register._scs_driver()
            if driver.manages_shifts:
                raise UserError(_("The cloud service opens its shifts itself."))
            register._scs_ensure_shift(driver)
        return True

    # actions

    def action_test_connection(self):
        self.ensure_one()
        driver = self._scs_driver()
        if isinstance(driver, AtolClient) and not driver.token(refresh=True):
            raise UserError(_("The service refused the login or did not answer."))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"message": _("The register answers."), "type": "success"},
        }

    def action_open_documents(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id("scs_fiscal.scs_fiscal_document_action")
        action["domain"] = [("register_id", "=", self.id)]
        return action
