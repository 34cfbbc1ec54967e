# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

BOOKING_LINE_FIELDS = [
    "scs_booking_ref",
    "scs_passenger_id",
    "scs_passenger_name",
    "scs_passenger_ptc",
    "scs_document_number",
]


class PosOrderLine(models.Model):
    _inherit = "pos.order.line"

    scs_booking_ref = fields.Char(string="Booking", index="btree_not_null", readonly=True)
    scs_passenger_id = fields.Char(string="Passenger Key", readonly=True)
    scs_passenger_name = fields.Char(string="Passenger", readonly=True)
    scs_passenger_ptc = fields.Char(
        string="Passenger Type", readonly=True, help="ADT adult, CHD child, INF infant."
    )
    scs_document_number = fields.Char(
        string="Document", readonly=True, help="E-ticket or EMD number from the booking."
    )

    @api.model
    def _load_pos_data_fields(self, config_id):
        return super()._load_pos_data_fields(config_id) + BOOKING_LINE_FIELDS
