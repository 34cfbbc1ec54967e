# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
import secrets

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

#: what the hardware proxy accepts as a pairing token (scs_hw_proxy.engine.auth)
PROXY_TOKEN_MIN_LENGTH = 32
PROXY_TOKEN = re.compile(r"^[\x21-\x7e]+$")  # printable ASCII: it travels in an HTTP header
PROXY_ADMIN_GROUP = "scs_pos.group_scs_admin"


class PosConfig(models.Model):
    _inherit = "pos.config"

    scs_office_id = fields.Many2one(
        "scs.office",
        string="Sales Office",
        index=True,
        check_company=True,
        help="Office this cash desk belongs to: its time zone, staff and analytics.",
    )

    scs_proxy_token = fields.Char(
        string="Proxy Pairing Token",
        copy=False,
        help="The token of the hardware proxy of this cash desk (scs_hw_proxy_token in its "
        "proxy.conf): the POS sends it with every call to the proxy, which refuses calls "
        "without it.",
    )

    scs_mobile = fields.Boolean(
        string="Mobile Terminal",
        help="A phone or handheld of an agent at the gate or in the queue: its POS shows "
        "only the categories chosen under Restrict Categories (the extra services), finds "
        "bookings by reference or boarding pass, records card payments of the handheld's "
        "own terminal by their slip, and sells offline when the network drops.",
    )

    scs_user_max_discount = fields.Float(
        string="My Discount Limit (%)",
        compute="_compute_scs_user_max_discount",
        help="The largest discount the current user gives without approval; -1: any. "
        "The POS uses it when the server cannot be asked.",
    )

    @api.depends_context("uid")
    def _compute_scs_user_max_discount(self):
        for config in self:
            limit = self.env["scs.role.limit"]._limit_for(self.env.user, config.company_id)
            config.scs_user_max_discount = (
                -1 if limit.max_discount is None else float(limit.max_discount)
            )

    @api.constrains("scs_office_id", "company_id")
    def _check_scs_office_company(self):
        for config in self:
            if config.scs_office_id and config.scs_office_id.company_id != config.company_id:
                raise ValidationError(
                    _(
                        "Cash desk %(config)s and office %(office)s belong to different companies.",
                        config=config.name,
                        office=config.scs_office_id.name,
                    )
                )

    @api.constrains(
        "scs_mobile", "limit_categories", "iface_available_categ_ids", "payment_method_ids"
    )
    def _check_scs_mobile(self):
        for config in self.filtered("scs_mobile"):
            if not (config.limit_categories and config.iface_available_categ_ids):
                raise ValidationError(
                    _(
                        "Mobile terminal %(config)s sells extra services only: restrict it to "
                        "their categories (Restrict Categories).",
                        config=config.name,
                    )
                )
            for method in config.payment_method_ids:
                if method.use_payment_terminal:
                    raise ValidationError(
                        _(
                            "Mobile terminal %(config)s takes cards on the handheld's own "
                            "terminal: %(method)s must not drive a payment terminal.",
                            config=config.name,
                            method=method.name,
                        )
                    )
                if method.scs_tender_kind == "card" and not method.scs_card_reference_required:
                    raise ValidationError(
                        _(
                            "Mobile terminal %(config)s records each card payment by its slip: "
                            "%(method)s must require the RRN and the authorisation code.",
                            config=config.name,
                            method=method.name,
                        )
                    )

    def _scs_not_sold(self, products):
        """The ``products`` this desk does not sell (a mobile terminal: its categories)."""
        self.ensure_one()
        if not self.scs_mobile:
            return products.browse()
        return products.filtered(lambda p: not (p.pos_categ_ids & self.iface_available_categ_ids))

    @api.constrains("scs_proxy_token")
    def _check_scs_proxy_token(self):
        for config in self:
            token = config.scs_proxy_token
            if token and (len(token) < PROXY_TOKEN_MIN_LENGTH or not PROXY_TOKEN.match(token)):
                raise ValidationError(
                    _(
                        "The pairing token of %(config)s must be at least %(length)s "
                        "characters, without spaces.",
                        config=config.name,
                        length=PROXY_TOKEN_MIN_LENGTH,
                    )
                )

    def _scs_check_proxy_admin(self):
        # cashiers may write pos.config (Odoo needs it) but must not re-pair a desk
        if not self.env.su and not self.env.user.has_group(PROXY_ADMIN_GROUP):
            raise AccessError(_("Only an SCS administrator pairs a cash desk with its proxy."))

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("scs_proxy_token") for vals in vals_list):
            self._scs_check_proxy_admin()
        return super().create(vals_list)

    def write(self, vals):
        if "scs_proxy_token" in vals:
            self._scs_check_proxy_admin()
        return super().write(vals)

    def action_scs_generate_proxy_token(self):
        """A new random pairing token: copy it into the proxy's scs_hw_proxy_token."""
        self._scs_check_proxy_admin()
        for config in self:
            config.scs_proxy_token = secrets.token_urlsafe(32)
        return True
