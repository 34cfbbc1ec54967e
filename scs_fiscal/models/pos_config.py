# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

from odoo.addons.scs_pos.models.pos_payment_method import PROXY_TERMINAL

# cashiers may write pos.config (Odoo needs it) but must not switch fiscalization
PROTECTED_FIELDS = {"scs_fiscal_register_id"}


class PosConfig(models.Model):
    _inherit = "pos.config"

    scs_fiscal_register_id = fields.Many2one(
        "scs.fiscal.register",
        string="Fiscal Register",
        domain="[('company_id', '=', company_id)]",
        help="Where this cash desk fiscalizes its documents under 54-FZ. Without one, "
        "orders are not fiscalized.",
    )
    scs_fiscal_mode = fields.Selection(
        [
            ("none", "No fiscal register"),
            ("local", "Local register (hardware proxy)"),
            ("cloud", "Cloud fiscal service"),
        ],
        string="Fiscalization",
        compute="_compute_scs_fiscal_mode",
        store=True,
    )

    @api.depends("scs_fiscal_register_id.kind")
    def _compute_scs_fiscal_mode(self):
        for config in self:
            config.scs_fiscal_mode = config.scs_fiscal_register_id.kind or "none"

    @api.constrains("scs_fiscal_register_id", "scs_office_id")
    def _check_scs_fiscal_office(self):
        for config in self:
            if config.scs_fiscal_register_id and not config.scs_office_id:
                raise ValidationError(
                    _(
                        "Cash desk %(config)s must belong to a sales office before it can "
                        "fiscalize: the receipt carries the office's address.",
                        config=config.name,
                    )
                )

    @api.constrains("scs_mobile", "scs_fiscal_register_id")
    def _check_scs_mobile_register(self):
        for config in self.filtered("scs_mobile"):
            if config.scs_fiscal_register_id.kind != "cloud":
                raise ValidationError(
                    _(
                        "Mobile terminal %(config)s has no office PC with a register: its "
                        "receipts are fiscalized by a cloud fiscal register. Choose one.",
                        config=config.name,
                    )
                )

    @api.constrains("payment_method_ids", "scs_fiscal_register_id")
    def _check_scs_proxy_terminal_register(self):
        for config in self:
            terminal = config.payment_method_ids.filtered(
                lambda m: m.use_payment_terminal == PROXY_TERMINAL
            )
            if terminal and config.scs_fiscal_register_id.kind != "local":
                raise ValidationError(
                    _(
                        "Cash desk %(config)s takes cards on the terminal of the hardware "
                        "proxy (%(method)s): it needs a local fiscal register on the same "
                        "proxy. The proxy gives card money back when no fiscal receipt of "
                        "its own follows.",
                        config=config.name,
                        method=", ".join(terminal.mapped("name")),
                    )
                )

    def write(self, vals):
        if PROTECTED_FIELDS.intersection(vals) and not self.env.su:
            if not self.env.user.has_group("point_of_sale.group_pos_manager"):
                raise AccessError(
                    _("Only a Point of Sale manager can change how a cash desk fiscalizes.")
                )
        return super().write(vals)
