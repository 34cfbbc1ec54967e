# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
from collections import Counter

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

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
