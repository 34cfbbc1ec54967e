# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .inn_messages import inn_message

# FFD 1.2 tag 1212, the subject of a receipt line
FFD_ITEM_SUBJECTS = [
    ("1", "Goods"),
    ("2", "Excise goods"),
    ("3", "Work"),
    ("4", "Service"),
    ("9", "Intellectual property rights"),
    ("10", "Payment (advance, prepayment, credit)"),
    ("11", "Agent commission"),
    ("12", "Composite payment (penalty, fee, bonus)"),
    ("13", "Other subject"),
    ("14", "Property right"),
    ("15", "Non-operating income"),
    ("17", "Trade fee"),
    ("18", "Resort fee"),
    ("19", "Deposit"),
]
# FFD 1.2 tag 1214, the way of settlement
FFD_PAYMENT_METHODS = [
    ("1", "Full prepayment"),
    ("2", "Partial prepayment"),
    ("3", "Advance"),
    ("4", "Full payment"),
    ("5", "Partial payment and credit"),
    ("6", "Credit"),
    ("7", "Credit payment"),
]
# FFD 1.2 tag 1222 (bit values), the agent's role for one line
FFD_AGENT_TYPES = [
    ("1", "Bank paying agent"),
    ("2", "Bank paying subagent"),
    ("4", "Paying agent"),
    ("8", "Paying subagent"),
    ("16", "Attorney"),
    ("32", "Commission agent"),
    ("64", "Other agent"),
]


class ProductTemplate(models.Model):
    _inherit = "product.template"

    scs_service_kind = fields.Selection(
        [("own", "Own service"), ("agent", "Agent service")],
        string="Service Kind",
        help="Own services are the airline's revenue; agent services are sold on "
        "behalf of a supplier (principal) and only the commission is revenue.",
    )
    scs_supplier_id = fields.Many2one(
        "res.partner",
        string="Supplier (Principal)",
        help="The principal of an agent service: printed on the fiscal receipt "
        "(FFD 1.2 tags 1224/1226) and credited in account 76.05.",
    )
    scs_ffd_item_subject = fields.Selection(
        FFD_ITEM_SUBJECTS,
        string="Fiscal Item Subject",
        default="4",
        help="FFD 1.2 tag 1212. Tickets and services: Service.",
    )
    scs_ffd_payment_method = fields.Selection(
        FFD_PAYMENT_METHODS,
        string="Fiscal Payment Method",
        default="4",
        help="FFD 1.2 tag 1214, the default for this service's receipt lines.",
    )
    scs_ffd_agent_type = fields.Selection(
        FFD_AGENT_TYPES,
        string="Agent Attribute",
        compute="_compute_scs_ffd_agent_type",
        store=True,
        readonly=False,
        help="FFD 1.2 tag 1222 on the receipt line of an agent service "
        "(an airline office usually sells as 'Other agent').",
    )
    scs_booking_code = fields.Char(
        string="Booking Service Code",
        index="btree_not_null",
        help="Code of this service in the booking system (e.g. RFISC 0B5 for a seat): "
        "a booking's items are matched to the catalogue by it.",
    )
    scs_analytic_service_id = fields.Many2one(
        "account.analytic.account",
        string="Service (Analytic)",
        help="'Service' dimension of the analytic distribution of this service's postings.",
    )

    @api.depends("scs_service_kind")
    def _compute_scs_ffd_agent_type(self):
        for template in self:
            if template.scs_service_kind != "agent":
                template.scs_ffd_agent_type = False
            elif not template.scs_ffd_agent_type:
                template.scs_ffd_agent_type = "64"

    @api.constrains("scs_service_kind", "scs_supplier_id", "scs_ffd_agent_type")
    def _check_scs_supplier(self):
        for template in self.filtered(lambda t: t.scs_service_kind == "agent"):
            supplier = template.scs_supplier_id
            if not supplier:
                raise ValidationError(
                    _(
                        "Agent service %(name)s needs a supplier: "
                        "the receipt must name the principal.",
                        name=template.display_name,
                    )
                )
            error = inn_message(self.env, supplier.vat)
            if error:
                raise ValidationError(
                    _(
                        "Supplier %(supplier)s of agent service %(name)s has no valid INN "
                        "(%(error)s): the receipt must carry the principal's INN (tag 1226).",
                        supplier=supplier.display_name,
                        name=template.display_name,
                        error=error,
                    )
                )
            if not template.scs_ffd_agent_type:
                raise ValidationError(
                    _(
                        "Agent service %(name)s needs its agent attribute (FFD tag 1222).",
                        name=template.display_name,
                    )
                )
