# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import dataclasses
import shutil
import tempfile
from collections import Counter
from pathlib import Path

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.scs_reconcile.engine import registry

from .common import DATA, ReconcileCommon


@tagged("post_install", "-at_install")
class TestRegistryImport(ReconcileCommon):
    def setUp(self):
        super().setUp()
        self.payments = self.sync_pos_day()
        self.mark_reconciled(self.payments["SVO-00028"])

    def test_sber_registry_matches_as_the_bank_says(self):
        registry = self.import_file("sber_2026-03-02.csv")
        statuses = Counter(registry.row_ids.mapped("status"))
        self.assertEqual(
            statuses,
            {"MATCHED": 26, "REVERSED_PAIR": 2, "CHARGEBACK": 1, "UNMATCHED_REGISTRY": 1},
        )
        by_rrn = {row.rrn: row for row in registry.row_ids}
        self.assertEqual(by_rrn["245213940259"].payment_ids, self.payments["SVO-00025"])
        self.assertEqual(by_rrn["895811806287"].payment_ids, self.payments["SVO-00026"])
        self.assertEqual(by_rrn["354209724910"].payment_ids, self.payments["SVO-00028"])
        # settlement totals as the bank printed them
        day2 = registry.row_ids.filtered(lambda r: str(r.settlement_date) == "2026-03-02")
        self.assertEqual(
            (len(day2), round(sum(day2.mapped("amount")), 2), round(sum(day2.mapped("fee")), 2)),
            (13, 208775.12, 3348.09),
        )
        cases = self.env["scs.reconcile.case"].search([("acquirer_id", "=", self.acquirer.id)])
        self.assertEqual(sorted(cases.mapped("kind")), ["CHARGEBACK", "UNMATCHED_REGISTRY"])
        unmatched = cases.filtered(lambda c: c.kind == "UNMATCHED_REGISTRY")
        self.assertEqual((unmatched.rrn, unmatched.amount), ("799359227640", 3201.60))
        # the POS payment with no registry row stays open until it is late
        self.assertFalse(self.payments["SVO-00029"].scs_registry_row_ids)

    def test_the_same_file_twice_imports_nothing_new(self):
        first = self.import_file("sber_2026-03-02.csv")
        self.assertEqual(first.row_count, 30)
        again = self.import_file("sber_2026-03-02.csv")
        self.assertFalse(again)
        # the same rows in another file (a re-export with a title line) are known rows
        data = (DATA / "sber_2026-03-02.csv").read_bytes()
        other = self.import_file("sber_again.csv", data="Реестр\r\n".encode("cp1251") + data)
        self.assertEqual((other.row_count, other.skipped_count), (0, 30))
        self.assertEqual(
            self.env["scs.acquirer.registry.row"].search_count(
                [("acquirer_id", "=", self.acquirer.id), ("key", "not like", "earlier-%")]
            ),
            30,
        )

    @mute_logger("odoo.sql_db")
    def test_bad_input_writes_nothing(self):
        data = (DATA / "sber_2026-03-02.csv").read_bytes()
        lines = data.split(b"\r\n")
        broken = {
            "truncated": b"\r\n".join(lines[:5]) + b"\r\n" + lines[5][:30],
            "number": data.replace(b"42811,50", b"42811,5x", 1),
            "column": data.replace("RRN".encode("cp1251"), b"REF", 1),
            "encoding": data.decode("cp1251").encode("utf-8"),
        }
        for name, content in broken.items():
            with self.subTest(name), self.assertRaises(UserError) as caught:
                self.import_file(f"{name}.csv", data=content)
            self.assertIn(f"{name}.csv was not imported", str(caught.exception))
        self.assertIn("line 2", str(self._error(broken["number"])))
        self.assertFalse(self.env["scs.acquirer.registry"].search([("name", "!=", "earlier.csv")]))

    def _error(self, content):
        try:
            self.import_file("again.csv", data=content)
        except UserError as err:
            return err
        return None

    def test_wizard_and_access(self):
        wizard = (
            self.env["scs.registry.import"]
            .with_user(self.accountant)
            .create(
                {
                    "acquirer_id": self.acquirer.id,
                    "data": base64.b64encode((DATA / "sber_2026-03-02.csv").read_bytes()),
                    "filename": "sber_2026-03-02.csv",
                }
            )
        )
        action = wizard.action_import()
        registry = self.env["scs.acquirer.registry"].browse(action["res_id"])
        self.assertEqual(registry.row_count, 30)
        with self.assertRaisesRegex(UserError, "imported before"):
            wizard.action_import()
        with self.assertRaises(AccessError):
            self.env["scs.registry.import"].with_user(self.cashier).create(
                {"acquirer_id": self.acquirer.id, "data": b"eA=="}
            )
        with self.assertRaises(AccessError):
            registry.with_user(self.cashier).read(["name"])
        case = self.env["scs.reconcile.case"].search(
            [("kind", "=", "UNMATCHED_REGISTRY"), ("acquirer_id", "=", self.acquirer.id)]
        )
        case.with_user(self.accountant).action_take()
        self.assertEqual((case.state, case.user_id), ("in_progress", self.accountant))
        case.with_user(self.accountant).action_match(self.payments["SVO-00029"])
        self.assertEqual(case.state, "resolved")
        self.assertEqual(case.row_id.payment_ids, self.payments["SVO-00029"])


@tagged("post_install", "-at_install")
class TestRegistryPosting(ReconcileCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.chart.ref
        cls.acquirer.write(
            {
                "transit_account_id": ref("ru_57_01").id,
                "dispute_account_id": ref("ru_76_09").id,
                "writeoff_income_account_id": ref("ru_91_01").id,
                "journal_id": cls.env["account.journal"]
                .create(
                    {
                        "name": "Acquiring",
                        "code": "ACQT",
                        "type": "general",
                        "company_id": cls.company.id,
                    }
                )
                .id,
            }
        )

    def setUp(self):
        super().setUp()
        self.payments = self.sync_pos_day()
        self.mark_reconciled(self.payments["SVO-00028"])
        self.registry = self.import_file("sber_2026-03-02.csv")

    def balance(self, xmlid):
        account = self.chart.ref(xmlid)
        lines = self.env["account.move.line"].search(
            [
                ("account_id", "=", account.id),
                ("parent_state", "=", "posted"),
                ("company_id", "=", self.company.id),
            ]
        )
        return round(sum(lines.mapped("balance")), 2)

    def test_fees_payout_and_chargeback_per_settlement_day(self):
        self.registry.with_user(self.accountant).action_post()
        moves = self.registry.move_ids
        # one entry per settlement day, and the chargeback's own
        chargeback = self.registry.row_ids.filtered(lambda r: r.status == "CHARGEBACK")
        self.assertEqual(len(chargeback), 1)
        self.assertEqual(len(moves), 3)
        self.assertEqual(set(moves.mapped("state")), {"posted"})
        own = chargeback.move_id
        self.assertEqual(len(own.line_ids), 2)
        self.assertIn(chargeback.rrn, own.ref)
        self.assertIn(chargeback.payment_ids.display_name, own.ref)
        self.assertEqual(
            {ml.account_id.code: ml.balance for ml in own.line_ids},
            {"76.09": 1869.47, "57.03": -1869.47},
        )
        # the bank's own totals: fees 3348.09 + 2026.80, net 205427.03 + 119786.28
        self.assertEqual(self.balance("ru_91_02"), 5374.89)
        self.assertEqual(self.balance("ru_57_01"), 325213.31)
        self.assertEqual(self.balance("ru_76_09"), 1869.47)
        fee_lines = moves.line_ids.filtered(
            lambda line: line.account_id == self.chart.ref("ru_91_02")
        )
        self.assertEqual(
            {k for line in fee_lines for k in (line.analytic_distribution or {})},
            {str(self.office.analytic_account_id.id)},
        )
        self.registry.with_user(self.accountant).action_post()
        self.assertEqual(len(self.registry.move_ids), 3)
        # the payout of 2026-03-02 arrives on the bank statement
        statement_line = self.env["account.bank.statement.line"].create(
            {
                "journal_id": self.company_data["default_journal_bank"].id,
                "date": "2026-03-02",
                "amount": 205427.03,
                "payment_ref": "Sberbank acquiring payout",
            }
        )
        self.assertEqual(self.registry.action_match_statement(), 1)
        self.assertTrue(statement_line.is_reconciled)
        self.assertEqual(self.balance("ru_57_01"), 119786.28)

    def test_fees_by_office_and_terminal(self):
        plan = self.env["account.analytic.plan"].create({"name": "Terminals"})
        self.acquirer.terminal_plan_id = plan
        self.registry.with_user(self.accountant).action_post()
        terminals = self.env["account.analytic.account"].search([("plan_id", "=", plan.id)])
        self.assertEqual(sorted(terminals.mapped("code")), ["10234561", "10234562"])
        fee_lines = self.registry.move_ids.line_ids.filtered(
            lambda line: line.account_id == self.chart.ref("ru_91_02")
        )
        office = str(self.office.analytic_account_id.id)
        for line in fee_lines:
            with self.subTest(line.name):
                terminal = terminals.filtered(lambda t, n=line.name: t.code in n)
                self.assertEqual(line.analytic_distribution, {office: 100, str(terminal.id): 100})
        self.assertEqual(round(sum(fee_lines.mapped("balance")), 2), 5374.89)
        # the next registry's terminals reuse their accounts
        self.assertEqual(
            self.acquirer._scs_terminal_accounts({"10234561"})["10234561"], terminals[:1]
        )

    def test_write_off_cases(self):
        self.registry.action_post()
        Case = self.env["scs.reconcile.case"]
        unmatched = Case.search(
            [("kind", "=", "UNMATCHED_REGISTRY"), ("acquirer_id", "=", self.acquirer.id)]
        )
        with self.assertRaisesRegex(UserError, "Say why"):
            unmatched.with_user(self.accountant).action_write_off(" ")
        self.env["scs.reconcile.case.close"].with_user(self.accountant).create(
            {"case_id": unmatched.id, "mode": "write_off", "reason": "Unknown sale, bank confirms"}
        ).action_close()
        self.assertEqual(unmatched.state, "written_off")
        line = unmatched.move_id.line_ids.filtered(
            lambda ml: ml.account_id == self.chart.ref("ru_91_01")
        )
        self.assertEqual(line.credit, 3201.60)
        chargeback = Case.search(
            [("kind", "=", "CHARGEBACK"), ("acquirer_id", "=", self.acquirer.id)]
        )
        self.assertEqual(chargeback.payment_id, self.payments["SVO-00028"])
        chargeback.action_write_off("Dispute lost")
        self.assertEqual(self.balance("ru_76_09"), 0.0)
        with self.assertRaisesRegex(UserError, "is closed"):
            chargeback.action_resolve("again")


@tagged("post_install", "-at_install")
class TestRegistryQueue(ReconcileCommon):
    def test_late_pos_payments_match_rate_and_inbox(self):
        payments = self.sync_pos_day()
        self.mark_reconciled(payments["SVO-00028"])
        inbox = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, inbox)
        shutil.copy(DATA / "sber_2026-03-02.csv", inbox)
        (inbox / "broken.csv").write_bytes(b"not a registry\n")
        self.acquirer.scs_inbox_path = str(inbox)
        Registry = self.env["scs.acquirer.registry"]
        Registry._cron_scs_inbox()
        self.env.cr.postcommit.run()
        registry = Registry.search([("name", "=", "sber_2026-03-02.csv")])
        self.assertEqual((registry.row_count, registry.source), (30, "inbox"))
        self.assertTrue((inbox / "done" / "sber_2026-03-02.csv").exists())
        self.assertTrue((inbox / "failed" / "broken.csv").exists())
        self.assertIn("broken.csv was not imported", self.acquirer.message_ids[:1].body)
        # a second pick-up of the same file imports nothing
        shutil.copy(inbox / "done" / "sber_2026-03-02.csv", inbox)
        Registry._cron_scs_inbox()
        self.assertEqual(Registry.search_count([("name", "=", "sber_2026-03-02.csv")]), 1)

        Case = self.env["scs.reconcile.case"]
        Case._cron_scs_pos_only(now=fields.Datetime.to_datetime("2026-03-04 00:00:00"))
        self.assertFalse(Case.search([("kind", "=", "POS_ONLY")]))
        Case._cron_scs_pos_only(now=fields.Datetime.to_datetime("2026-03-10 00:00:00"))
        late = Case.search([("kind", "=", "POS_ONLY")])
        self.assertEqual(late.payment_id, payments["SVO-00029"])
        Case._cron_scs_pos_only(now=fields.Datetime.to_datetime("2026-03-11 00:00:00"))
        self.assertEqual(Case.search_count([("kind", "=", "POS_ONLY")]), 1)

        report = self.env["scs.reconcile.report"].with_user(self.accountant)
        (group,) = report.read_group(
            [("acquirer_id", "=", self.acquirer.id)], ["match_rate:avg", "row_count:sum"], []
        )
        # 29 of the 30 rows found their payment (the earlier registry's row counts too)
        self.assertEqual(group["row_count"], 31)
        self.assertAlmostEqual(group["match_rate"], 100.0 * 30 / 31, places=2)
        office_days = report.read_group(
            [("acquirer_id", "=", self.acquirer.id), ("office_id", "=", self.office.id)],
            ["row_count:sum"],
            ["day:day"],
        )
        # by the office's own day; the chargeback carries the day of its sale
        self.assertEqual([g["row_count"] for g in office_days], [1, 13, 16])

    def test_vtb_xlsx_imports_through_its_profile(self):
        vtb = self.env["scs.acquirer"].create(
            {
                "name": "VTB",
                "code": "vtb",
                "company_id": self.company.id,
                "clearing_account_id": self.chart.ref("ru_57_03").id,
                "fee_account_id": self.chart.ref("ru_91_02").id,
                "profile_id": self.env.ref("scs_reconcile.profile_vtb").id,
            }
        )
        data = (DATA / "vtb_2026-03-02.xlsx").read_bytes()
        registry = (
            self.env["scs.acquirer.registry"]
            .with_user(self.accountant)
            ._scs_import(vtb, data, "vtb_2026-03-02.xlsx")
        )
        self.assertEqual(registry.row_count, 26)
        # no POS payment of that bank here: only the reversal pair settles itself
        self.assertEqual(
            Counter(registry.row_ids.mapped("status")),
            {"UNMATCHED_REGISTRY": 24, "REVERSED_PAIR": 2},
        )
        self.assertEqual(round(sum(registry.row_ids.mapped("fee")), 2), 6153.41)


@tagged("post_install", "-at_install")
class TestShippedProfiles(ReconcileCommon):
    def test_data_profiles_are_the_engines(self):
        # the shipped records are what the engine tests prove on the samples
        for code, expected in registry.PROFILES.items():
            with self.subTest(code):
                record = self.env.ref(f"scs_reconcile.profile_{code}")
                got = record._scs_engine_profile()
                self.assertEqual(dict(got.columns), dict(expected.columns))
                self.assertEqual(dict(got.kinds), dict(expected.kinds))
                for field in dataclasses.fields(expected):
                    if field.name not in ("columns", "kinds"):
                        self.assertEqual(
                            getattr(got, field.name), getattr(expected, field.name), field.name
                        )
