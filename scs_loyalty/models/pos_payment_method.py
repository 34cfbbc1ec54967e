# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.scs_pos.engine import refund

LOYALTY_KINDS = (refund.CERTIFICATE, refund.VOUCHER, refund.POINTS)


class PosPaymentMethod(models.Model):
    _inherit = "pos.payment.method"

    scs_tender_kind = fields.Selection(
        selection_add=[
            (refund.CERTIFICATE, "Gift Certificate"),
            (refund.VOUCHER, "Voucher"),
            (refund.POINTS, "Bonus Points"),
        ],
        ondelete={
            refund.CERTIFICATE: "set other",
            refund.VOUCHER: "set other",
            refund.POINTS: "set other",
        },
    )
    scs_loyalty_program_id = fields.Many2one(
        "loyalty.program",
        string="Redeems",
        check_company=True,
        domain="[('scs_kind', '=', scs_tender_kind)]",
        help="The certificates, vouchers or points this payment method takes.",
    )

    @api.depends("journal_id.type", "split_transactions")
    def _compute_scs_tender_kind(self):
        # a loyalty tender stays what it was set to: its bank journal is not a card's
        loyalty = self.filtered(lambda m: m.scs_tender_kind in LOYALTY_KINDS)
        return super(PosPaymentMethod, self - loyalty)._compute_scs_tender_kind()

    @api.constrains("scs_tender_kind", "scs_loyalty_program_id", "outstanding_account_id")
    def _check_scs_loyalty_program(self):
        for method in self:
            program = method.scs_loyalty_program_id
            problem = None
            if method.scs_tender_kind in LOYALTY_KINDS:
                if program.scs_kind != method.scs_tender_kind:
                    problem = self.env._("choose the program of its kind that it redeems")
                elif method.journal_id.type != "bank":
                    problem = self.env._("it needs a bank-type journal (no cash moves)")
                elif method.outstanding_account_id != program.scs_liability_account_id:
                    # Odoo posts a method's takings to its outstanding account: for a
                    # loyalty tender that is the release of the liability
                    problem = (
                        self.env._(
                            "its outstanding account must be the program's liability account %s"
                        )
                        % program.scs_liability_account_id.display_name
                    )
                elif method.use_payment_terminal:
                    problem = self.env._("it takes no card terminal")
            elif program:
                problem = self.env._(
                    "only certificate, voucher and points methods redeem a program"
                )
            if problem:
                raise ValidationError(
                    self.env._(
                        "Payment method %(method)s: %(problem)s.",
                        method=method.name,
                        problem=problem,
                    )
                )

    @api.model
    def _load_pos_data_fields(self, config_id):
        return super()._load_pos_data_fields(config_id) + ["scs_loyalty_program_id"]
