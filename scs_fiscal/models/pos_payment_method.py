# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class PosPaymentMethod(models.Model):
    _inherit = "pos.payment.method"

    @api.constrains("use_payment_terminal")
    def _check_scs_proxy_terminal_desks(self):
        # switching a desk's method to the proxy's terminal needs the desk's local register
        self.config_ids._check_scs_proxy_terminal_register()
