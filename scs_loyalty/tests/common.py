# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Certificate, voucher and points programs with their tenders, on the SCS desk of
``ScsPosCommon``: no demo data."""

from odoo import Command

from odoo.addons.scs_pos.tests.common import ScsPosCommon


class ScsLoyaltyCommon(ScsPosCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.chart.ref
        cls.acc_advances = ref("ru_62_02")
        cls.acc_vouchers = ref("ru_76_09")
        cls.acc_points = ref("ru_98_01")
        cls.acc_other_income = ref("ru_91_01")
        cls.acc_other_expense = ref("ru_91_02")
        cls.acc_selling = ref("ru_44")
        cls.acc_vat = ref("ru_68_02")
        cls.misc_journal = cls.env["account.journal"].create(
            {
                "name": "Loyalty TST",
                "code": "LYTST",
                "type": "general",
                "company_id": cls.company.id,
            }
        )
        cls.certificate_product = cls.env["product.product"].create(
            {
                "name": "Gift certificate",
                "type": "service",
                "list_price": 5000.0,
                "available_in_pos": True,
                "taxes_id": [Command.set(cls.vat22.ids)],
                "scs_service_kind": "own",
                "scs_ffd_item_subject": "10",
                "scs_ffd_payment_method": "3",
                "property_account_income_id": cls.acc_advances.id,
            }
        )
        Program = cls.env["loyalty.program"]
        common = {
            "company_id": cls.company.id,
            "scs_journal_id": cls.misc_journal.id,
            "scs_breakage_account_id": cls.acc_other_income.id,
        }
        cls.certificates = Program.create(
            {
                **common,
                "name": "Gift certificates",
                "scs_kind": "certificate",
                "scs_liability_account_id": cls.acc_advances.id,
                "scs_vat_account_id": cls.acc_vat.id,
                "scs_product_id": cls.certificate_product.id,
            }
        )
        cls.vouchers = Program.create(
            {
                **common,
                "name": "Compensation vouchers",
                "scs_kind": "voucher",
                "scs_liability_account_id": cls.acc_vouchers.id,
                "scs_expense_account_id": cls.acc_other_expense.id,
            }
        )
        cls.points = Program.create(
            {
                **common,
                "name": "Bonus miles",
                "scs_kind": "points",
                "scs_liability_account_id": cls.acc_points.id,
                "scs_expense_account_id": cls.acc_selling.id,
                "scs_point_value": 1.0,
                "scs_accrual_rate": 0.05,
                "scs_max_share": 50.0,
                "scs_min_balance": 100.0,
            }
        )
        cls.pm_certificate = cls._loyalty_method("Certificate TST", "CETST", cls.certificates)
        cls.pm_voucher = cls._loyalty_method("Voucher TST", "VOTST", cls.vouchers)
        cls.pm_points = cls._loyalty_method("Points TST", "PTTST", cls.points)
        cls.pos_config.write(
            {
                "payment_method_ids": [
                    Command.link(m.id) for m in (cls.pm_certificate, cls.pm_voucher, cls.pm_points)
                ],
                "scs_points_program_id": cls.points.id,
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Ivanova Anna", "phone": "+79161234567"}
        )
        cls.other_customer = cls.env["res.partner"].create({"name": "Petrov Pavel"})

    @classmethod
    def _loyalty_method(cls, name, code, program):
        journal = cls.env["account.journal"].create(
            {
                "name": name,
                "code": code,
                "type": "bank",
                "company_id": cls.company.id,
                "default_account_id": program.scs_liability_account_id.id,
            }
        )
        return cls.env["pos.payment.method"].create(
            {
                "name": name,
                "journal_id": journal.id,
                "company_id": cls.company.id,
                "scs_tender_kind": program.scs_kind,
                "scs_loyalty_program_id": program.id,
                "outstanding_account_id": program.scs_liability_account_id.id,
            }
        )

    def open_session(self):
        self.pos_config.with_user(self.cashier).open_ui()
        return self.pos_config.current_session_id

    def sell_certificate(self, amount=5000.0, qty=1, partner=None):
        payload = self.order_payload([(self.certificate_product, amount, qty)])
        payload["partner_id"] = (partner or self.customer).id
        order = self.sync(payload)
        return order, order.lines.scs_certificate_ids

    def loyalty_payment(self, pm, amount, card=None, **extra):
        return self.payment_vals(
            pm, amount, scs_loyalty_card_id=card.id if card else False, **extra
        )

    def balance_of(self, account):
        lines = self.env["account.move.line"].search(
            [
                ("account_id", "=", account.id),
                ("parent_state", "=", "posted"),
                ("company_id", "=", self.company.id),
            ]
        )
        return round(sum(lines.mapped("balance")), 2)
