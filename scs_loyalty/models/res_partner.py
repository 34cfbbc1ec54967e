# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    scs_loyalty_card_ids = fields.One2many(
        "loyalty.card",
        "partner_id",
        string="Certificates and Points",
        domain=[("scs_kind", "!=", False)],
        readonly=True,
    )
    scs_loyalty_code = fields.Char(
        string="Loyalty Card Number",
        compute="_compute_scs_loyalty",
        store=True,
        index="btree_not_null",
        help="The number of the customer's bonus points account: cashiers find the "
        "customer by it.",
    )
    scs_points_balance = fields.Float(
        string="Bonus Points", digits=(16, 2), compute="_compute_scs_loyalty", store=True
    )
    scs_money_balance = fields.Monetary(
        string="Certificates and Vouchers",
        compute="_compute_scs_loyalty",
        store=True,
        currency_field="scs_loyalty_currency_id",
        help="What the customer's active certificates and vouchers hold.",
    )
    scs_legacy_key = fields.Char(
        string="Legacy Customer Id",
        readonly=True,
        copy=False,
        help="The customer's id in the cash system of the office it came from, after "
        "that system's name (VVO:C00123): a second import of the same files finds it.",
    )
    scs_loyalty_currency_id = fields.Many2one(
        "res.currency", default=lambda self: self.env.ref("base.RUB", raise_if_not_found=False)
    )

    _sql_constraints = [
        (
            "scs_legacy_key_uniq",
            "unique(scs_legacy_key)",
            "Another customer was imported with this legacy id.",
        ),
    ]

    @api.depends(
        "scs_loyalty_card_ids.scs_balance",
        "scs_loyalty_card_ids.scs_state",
        "scs_loyalty_card_ids.active",
        "scs_loyalty_card_ids.code",
    )
    def _compute_scs_loyalty(self):
        for partner in self:
            cards = partner.scs_loyalty_card_ids.filtered("active")
            points = cards.filtered(lambda c: c.scs_kind == "points")
            money = cards.filtered(
                lambda c: c.scs_kind in ("certificate", "voucher") and c.scs_state == "active"
            )
            partner.scs_loyalty_code = points[:1].code or False
            partner.scs_points_balance = sum(points.mapped("scs_balance"))
            partner.scs_money_balance = sum(money.mapped("scs_balance"))

    @api.model
    def _load_pos_data_fields(self, config_id):
        return super()._load_pos_data_fields(config_id) + [
            "scs_loyalty_code",
            "scs_points_balance",
            "scs_money_balance",
        ]
