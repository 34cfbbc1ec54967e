# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    pos_scs_office_id = fields.Many2one(
        related="pos_config_id.scs_office_id", readonly=False, string="Sales Office"
    )
    pos_scs_mobile = fields.Boolean(related="pos_config_id.scs_mobile", readonly=False)
    scs_agent_payable_account_id = fields.Many2one(
        related="company_id.scs_agent_payable_account_id", readonly=False
    )
    scs_booking_endpoint = fields.Char(
        string="Booking Service URL",
        config_parameter="scs_pos.booking_endpoint",
        help="SOAP endpoint of the booking system (the SCS booking WSDL).",
    )
    scs_booking_username = fields.Char(
        string="Booking Service User", config_parameter="scs_pos.booking_username"
    )
    scs_booking_password = fields.Char(
        string="Booking Service Password", config_parameter="scs_pos.booking_password"
    )
    scs_booking_timeout = fields.Integer(
        string="Booking Service Timeout (s)",
        config_parameter="scs_pos.booking_timeout",
        default=10,
        help="How long a cash desk waits for a booking before telling the cashier.",
    )

    @api.constrains("scs_booking_timeout", "scs_booking_endpoint")
    def _check_scs_booking(self):
        for settings in self:
            if not 1 <= settings.scs_booking_timeout <= 60:
                raise ValidationError(_("The booking service timeout must be 1 to 60 seconds."))
            url = settings.scs_booking_endpoint or ""
            if url and not url.startswith(("http://", "https://")):
                raise ValidationError(
                    _("The booking service URL must start with http:// or https://.")
                )
