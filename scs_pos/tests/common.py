# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A Russian company with the SCS chart, one office with a cash desk, and its staff.

Built from scratch in every test class: no test relies on demo data.
"""

import uuid

from odoo import Command, fields, http
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class ScsPosCommon(AccountTestInvoicingCommon):
    @classmethod
    @AccountTestInvoicingCommon.setup_country("ru")
    @AccountTestInvoicingCommon.setup_chart_template("ru_scs")
    def setUpClass(cls):
        super().setUpClass()
        # set-up runs as the SCS administrator; each test acts as the role it checks
        cls.env.user.groups_id += cls.env.ref("scs_pos.group_scs_admin")
        cls.company = cls.company_data["company"]
        cls.chart = cls.env["account.chart.template"].with_company(cls.company)
        cls.vat22 = cls.chart.ref("ru_vat_sale_22")
        cls.vat0 = cls.chart.ref("ru_vat_sale_0")
        cls.vat_none = cls.chart.ref("ru_vat_sale_none")

        plan = cls.env["account.analytic.plan"].create({"name": "Office"})
        cls.analytic_office = cls.env["account.analytic.account"].create(
            {"name": "Test office", "plan_id": plan.id, "company_id": cls.company.id}
        )
        cls.office = cls.env["scs.office"].create(
            {
                "name": "Test office",
                "code": "TST",
                "tz": "Asia/Irkutsk",
                "company_id": cls.company.id,
                "analytic_account_id": cls.analytic_office.id,
            }
        )
        Journal = cls.env["account.journal"]
        cls.cash_journal = Journal.create(
            {"name": "Cash TST", "code": "CSTST", "type": "cash", "company_id": cls.company.id}
        )
        cls.card_journal = Journal.create(
            {
                "name": "Card TST",
                "code": "CRTST",
                "type": "bank",
                "company_id": cls.company.id,
                "default_account_id": cls.chart.ref("ru_57_03").id,
            }
        )
        cls.pos_journal = Journal.create(
            {"name": "POS TST", "code": "PSTST", "type": "general", "company_id": cls.company.id}
        )
        cls.pm_cash = cls.env["pos.payment.method"].create(
            {"name": "Cash TST", "journal_id": cls.cash_journal.id, "company_id": cls.company.id}
        )
        cls.pm_card = cls.env["pos.payment.method"].create(
            {"name": "Card TST", "journal_id": cls.card_journal.id, "company_id": cls.company.id}
        )
        cls.pos_config = cls.env["pos.config"].create(
            {
                "name": "TST desk 1",
                "company_id": cls.company.id,
                "scs_office_id": cls.office.id,
                "journal_id": cls.pos_journal.id,
                "invoice_journal_id": cls.company_data["default_journal_sale"].id,
                "payment_method_ids": [Command.set([cls.pm_cash.id, cls.pm_card.id])],
            }
        )
        cls.supplier = cls.env["res.partner"].create(
            {"name": "Insurer JSC", "is_company": True, "vat": "3811012348"}
        )
        cls.seat = cls.env["product.product"].create(
            {
                "name": "Seat selection",
                "type": "service",
                "list_price": 1220.0,
                "available_in_pos": True,
                "taxes_id": [Command.set(cls.vat22.ids)],
                "scs_service_kind": "own",
            }
        )
        cls.insurance = cls.env["product.product"].create(
            {
                "name": "Travel insurance",
                "type": "service",
                "list_price": 890.0,
                "available_in_pos": True,
                "taxes_id": [Command.set(cls.vat_none.ids)],
                "scs_service_kind": "agent",
                "scs_supplier_id": cls.supplier.id,
            }
        )
        cls.cashier = cls._scs_user("tst.cashier", "scs_pos.group_scs_cashier")
        cls.manager = cls._scs_user("tst.manager", "scs_pos.group_scs_manager")
        cls.accountant = cls._scs_user("tst.accountant", "scs_pos.group_scs_accountant")
        cls.scs_admin = cls._scs_user("tst.admin", "scs_pos.group_scs_admin")
        cls.office.user_ids = cls.cashier + cls.manager
        cls.manager.scs_pin = "4321"
        Limit = cls.env["scs.role.limit"]
        Limit.create(
            {
                "company_id": cls.company.id,
                "group_id": cls.env.ref("scs_pos.group_scs_cashier").id,
                "max_discount": 5,
                "max_refund": 5000,
            }
        )
        Limit.create(
            {
                "company_id": cls.company.id,
                "group_id": cls.env.ref("scs_pos.group_scs_manager").id,
                "max_discount": 30,
                "no_refund_limit": True,
            }
        )

    def enable_cash_counts(self, threshold):
        """Cash control on the test desk, counts above ``threshold`` need a manager."""
        self.pos_config.cash_control = True
        self.office.scs_cash_difference_threshold = threshold
        self.cash_journal.write(
            {
                "profit_account_id": self.chart.ref("ru_91_01").id,
                "loss_account_id": self.chart.ref("ru_91_02").id,
            }
        )

    @classmethod
    def _scs_user(cls, login, group):
        return new_test_user(
            cls.env,
            login=login,
            password=login,
            groups=f"base.group_user,{group}",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
            tz="Asia/Irkutsk",
        )

    def payment_vals(self, pm, amount, **extra):
        """A payment line as the POS sends it; card lines carry the slip's details."""
        vals = {"amount": amount, "name": fields.Datetime.now(), "payment_method_id": pm.id}
        if pm.scs_tender_kind == "card" and amount > 0:
            vals.update(
                scs_rrn=f"{uuid.uuid4().int % 10**12:012d}",
                scs_auth_code="A1B2C3",
                scs_card_mask="427600******1234",
            )
        vals.update(extra)
        return (0, 0, vals)

    def order_payload(
        self, lines, pm=None, order_uuid=None, session=None, user=None, payments=None
    ):
        """A paid order as the POS sends it: ``lines`` are (product, price, qty) or
        (product, price, qty, extra line values); ``payments`` are payment_vals()."""
        order_uuid = order_uuid or str(uuid.uuid4())
        session = session or self.pos_config.current_session_id
        lines = [line if len(line) == 4 else (*line, {}) for line in lines]
        total = sum(
            round(price * qty * (1 - extra.get("discount", 0) / 100), 2)
            for _product, price, qty, extra in lines
        )
        if payments is None:
            payments = [self.payment_vals(pm or self.pm_cash, total)]
        paid = sum(payment[2]["amount"] for payment in payments)
        return {
            "amount_paid": paid,
            "amount_return": round(paid - total, 2) if total >= 0 else 0,
            "amount_tax": 0,
            "amount_total": total,
            "date_order": fields.Datetime.to_string(fields.Datetime.now()),
            "fiscal_position_id": False,
            "pricelist_id": self.pos_config.pricelist_id.id,
            "name": f"Order {order_uuid}",
            "last_order_preparation_change": "{}",
            "lines": [
                (
                    0,
                    0,
                    {
                        "product_id": product.id,
                        "qty": qty,
                        "price_unit": price,
                        "price_subtotal": round(
                            price * qty * (1 - extra.get("discount", 0) / 100), 2
                        ),
                        "price_subtotal_incl": round(
                            price * qty * (1 - extra.get("discount", 0) / 100), 2
                        ),
                        "discount": 0,
                        "tax_ids": [Command.set(product.taxes_id.ids)],
                        "pack_lot_ids": [],
                        **extra,
                    },
                )
                for product, price, qty, extra in lines
            ],
            "partner_id": False,
            "session_id": session.id,
            "sequence_number": 1,
            "payment_ids": payments,
            "uuid": order_uuid,
            "user_id": (user or self.cashier).id,
            "to_invoice": False,
            "state": "paid",
        }

    def refund_payload(self, refunds, payments=None, extra_lines=(), order_uuid=None):
        """A refund as the POS sends it: ``refunds`` are (original line, qty)."""
        lines = [
            (
                line.product_id,
                line.price_unit,
                -qty,
                {"refunded_orderline_id": line.id, "discount": line.discount},
            )
            for line, qty in refunds
        ]
        lines += list(extra_lines)
        return self.order_payload(lines, payments=payments or [], order_uuid=order_uuid)

    def sync(self, payload, user=None):
        """Sync ``payload`` as ``user`` (the cashier) and return the order."""
        result = self.env["pos.order"].with_user(user or self.cashier).sync_from_ui([payload])
        return self.env["pos.order"].browse(result["pos.order"][0]["id"])

    def run_pos_tour(self, tour):
        """Open the cash desk as the cashier, run ``tour`` there (HttpCase only),
        and return the orders of the session."""
        self.pos_config.with_user(self.cashier).open_ui()
        # read every manifest here, once: the browser's parallel first requests would
        # otherwise parse them in several threads, which CPython 3.11's parser does not
        # survive ("AST constructor recursion depth mismatch")
        self.assertTrue(http.root.statics)
        self.start_tour(f"/pos/ui?config_id={self.pos_config.id}", tour, login=self.cashier.login)
        # the orders of the tour's session, even when the tour closed it (the POS then
        # reloads and opens the next session)
        return self.env["pos.order"].search([("session_id.config_id", "=", self.pos_config.id)])
