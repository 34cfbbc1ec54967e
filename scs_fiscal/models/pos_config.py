# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

# cashiers may write pos.config (Odoo needs it) but must not switch fiscalization
PROTECTED_FIELDS = {"scs_fiscal_mode", "scs_fiscal_tax_system"}


class PosConfig(models.Model):
    _inherit = "pos.config"

    scs_fiscal_mode = fields.Selection(
        [
            ("none", "No fiscal register"),
            ("local", "Local register (hardware proxy)"),
            ("cloud", "Cloud fiscal service"),
        ],
        string="Fiscal Register",
        default="none",
        required=True,
        help="Where this cash desk fiscalizes its documents under 54-FZ.",
    )
    scs_fiscal_tax_system = fields.Selection(
        [
            ("osn", "General (OSN)"),
            ("usn_income", "Simplified, income"),
            ("usn_income_outcome", "Simplified, income minus expense"),
            ("esn", "Unified agricultural tax"),
            ("patent", "Patent"),
        ],
        string="Taxation System",
        default="osn",
        required=True,
        help="FFD 1.2 tag 1055, printed on every receipt of this cash desk.",
    )

    @api.constrains("scs_fiscal_mode", "scs_office_id")
    def _check_scs_fiscal_office(self):
        for config in self:
            if config.scs_fiscal_mode != "none" and not config.scs_office_id:
                raise ValidationError(
                    _(
                        "Cash desk %(config)s must belong to a sales office before it can "
                        "fiscalize: the receipt carries the office's address.",
                        config=config.name,
                    )
                )

    def write(self, vals):
        if PROTECTED_FIELDS.intersection(vals) and not self.env.su:
            if not self.env.user.has_group("point_of_sale.group_pos_manager"):
                raise AccessError(
                    _("Only a Point of Sale manager can change how a cash desk fiscalizes.")
                )
        return super().write(vals)
