# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .common import ScsPosCommon


@tagged("post_install", "-at_install")
class TestSessionClose(ScsPosCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Analytic = cls.env["account.analytic.account"]
        plans = {
            name: cls.env["account.analytic.plan"].create({"name": name})
            for name in ("Employee", "Service", "Supplier")
        }
        cls.an_employee = Analytic.create({"name": "Cashier A", "plan_id": plans["Employee"].id})
        cls.an_seat = Analytic.create({"name": "Seats", "plan_id": plans["Service"].id})
        cls.an_insurance = Analytic.create({"name": "Insurance", "plan_id": plans["Service"].id})
        cls.an_insurer = Analytic.create({"name": "Insurer", "plan_id": plans["Supplier"].id})
        cls.env["hr.employee"].create(
            {
                "name": "Cashier A",
                "user_id": cls.cashier.id,
                "company_id": cls.company.id,
                "scs_analytic_account_id": cls.an_employee.id,
            }
        )
        cls.seat.scs_analytic_service_id = cls.an_seat
        cls.insurance.scs_analytic_service_id = cls.an_insurance
        cls.supplier.with_company(cls.company).scs_analytic_account_id = cls.an_insurer
        cls.env["scs.agent.contract"].create(
            {
                "name": "INS-1",
                "partner_id": cls.supplier.id,
                "company_id": cls.company.id,
                "commission_percent": 10.0,
                "date_from": "2020-01-01",
            }
        )
        cls.pos_config.with_user(cls.cashier).open_ui()
        cls.session = cls.pos_config.current_session_id

    def _close(self):
        session = self.session.with_user(self.manager)
        session.post_closing_cash_details(session.cash_register_balance_end)
        result = session.close_session_from_ui()
        self.assertTrue(result.get("successful", True), result)
        self.assertEqual(self.session.state, "closed")
        return self.session.move_id.line_ids

    def _line(self, lines, code, **filters):
        found = lines.filtered(
            lambda line: line.account_id.with_company(self.company).code == code
            and all(line[k] == v for k, v in filters.items())
        )
        self.assertEqual(len(found), 1, f"{code} {filters}: {found.mapped('name')}")
        return found

    def _distribution(self, *accounts):
        return {",".join(str(a.id) for a in sorted(accounts, key=lambda a: a.id)): 100.0}

    def test_own_and_agent_postings_with_analytics(self):
        PosOrder = self.env["pos.order"].with_user(self.cashier)
        PosOrder.sync_from_ui(
            [self.order_payload([(self.seat, 1220.0, 1), (self.insurance, 890.0, 1)])]
        )
        PosOrder.sync_from_ui([self.order_payload([(self.insurance, 890.0, 2)], pm=self.pm_card)])
        lines = self._close()

        seat = self._line(lines, "90.01", product_id=self.seat)
        self.assertAlmostEqual(seat.credit, 1000.0)
        self.assertEqual(
            seat.analytic_distribution,
            self._distribution(self.analytic_office, self.an_employee, self.an_seat),
        )
        # 3 x 890 = 2670 of insurance: 10% commission 267.00 (VAT 22/122 = 48.15) is
        # revenue, 2403.00 is owed to the insurer
        payable = self._line(lines, "76.05")
        self.assertAlmostEqual(payable.credit, 2403.0)
        self.assertEqual(payable.partner_id, self.supplier)
        self.assertEqual(
            payable.analytic_distribution,
            self._distribution(
                self.analytic_office, self.an_employee, self.an_insurance, self.an_insurer
            ),
        )
        commission = self._line(lines, "90.01", product_id=self.insurance)
        self.assertAlmostEqual(commission.credit, 218.85)
        self.assertEqual(commission.tax_ids, self.vat22)
        vat = lines.filtered(
            lambda line: line.account_id.with_company(self.company).code == "68.02"
        )
        self.assertAlmostEqual(sum(vat.mapped("credit")), 220.0 + 48.15)
        self.assertAlmostEqual(sum(lines.mapped("debit")), sum(lines.mapped("credit")))
        self.assertAlmostEqual(sum(lines.mapped("debit")), 1220.0 + 890.0 * 3)

    def test_no_contract_owes_everything_to_the_principal(self):
        self.supplier.scs_agent_contract_ids.active = False
        self.env["pos.order"].with_user(self.cashier).sync_from_ui(
            [self.order_payload([(self.insurance, 890.0, 1)])]
        )
        lines = self._close()
        self.assertAlmostEqual(self._line(lines, "76.05").credit, 890.0)
        self.assertFalse(
            lines.filtered(lambda line: line.product_id == self.insurance and line.tax_ids)
        )
        bodies = "".join(self.session.message_ids.mapped("body"))
        self.assertIn("No agent commission was taken for Insurer JSC", bodies)

    def test_replayed_order_is_posted_once(self):
        payload = self.order_payload([(self.insurance, 890.0, 1)])
        PosOrder = self.env["pos.order"].with_user(self.cashier)
        for _attempt in range(100):
            PosOrder.sync_from_ui([dict(payload)])
        orders = self.env["pos.order"].search([("uuid", "=", payload["uuid"])])
        self.assertEqual(len(orders), 1)
        self.assertEqual(len(orders.lines), 1)
        lines = self._close()
        self.assertAlmostEqual(self._line(lines, "76.05").credit, 801.0)
        self.assertAlmostEqual(sum(lines.mapped("debit")), 890.0)
