# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .common import DATA, ReconcileCommon

SAMPLE = "sber_2026-03-02.csv"
CHARGEBACK_RRN = "354209724910"  # line 15 of the sample: the sale SVO-00028 of 19.02 disputed
REVERSAL = (
    "05.03.2026;10:00:00;06.03.2026;10234562;780000123456;Отмена опротестования;"
    "553691******4669;211429;354209724910;1869,47;0,00;1869,47;460;RUB"
)


@tagged("post_install", "-at_install")
class TestChargebackReversal(ReconcileCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the sample's bank writes no reversal of a chargeback: its word for one
        cls.env["scs.reconcile.profile.kind"].create(
            {
                "profile_id": cls.acquirer.profile_id.id,
                "literal": "Отмена опротестования",
                "kind": "chargeback_reversal",
            }
        )

    def setUp(self):
        super().setUp()
        self.payments = self.sync_pos_day()
        self.mark_reconciled(self.payments["SVO-00028"])
        self.Case = self.env["scs.reconcile.case"].with_user(self.accountant)

    def registry_file(self, *lines):
        header = (DATA / SAMPLE).read_bytes().decode("cp1251").split("\r\n", 1)[0]
        return ("\r\n".join((header, *lines)) + "\r\n").encode("cp1251")

    def dispute(self):
        return self.Case.search(
            [
                ("acquirer_id", "=", self.acquirer.id),
                ("kind", "=", "CHARGEBACK"),
                ("row_id.kind", "=", "chargeback"),
            ]
        )

    def test_reversal_in_a_later_registry_resolves_the_dispute(self):
        self.import_file(SAMPLE)
        dispute = self.dispute()
        self.assertEqual((dispute.rrn, dispute.state), (CHARGEBACK_RRN, "open"))
        dispute.action_take()
        later = self.import_file("sber_2026-03-06.csv", data=self.registry_file(REVERSAL))
        reversal = later.row_ids
        self.assertEqual((reversal.kind, reversal.status), ("chargeback_reversal", "CHARGEBACK"))
        self.assertEqual(reversal.payment_ids, self.payments["SVO-00028"])
        self.assertEqual(dispute.state, "resolved")
        self.assertEqual(dispute.reversal_row_id, reversal)
        self.assertIn("line 2 of registry sber_2026-03-06.csv", dispute.resolution)
        self.assertIn("1869.47", dispute.resolution)
        self.assertTrue(
            any("line 2 of registry sber_2026-03-06.csv" in m.body for m in dispute.message_ids)
        )
        # the dispute is over: the reversal opens no case of its own
        self.assertFalse(self.Case.search([("row_id", "=", reversal.id)]))
        self.assertEqual(later.matched_count, 1)
        # matching the registry again changes nothing
        messages = len(dispute.message_ids)
        later.sudo()._scs_match()
        self.assertFalse(self.Case.search([("row_id", "=", reversal.id)]))
        self.assertEqual((dispute.state, len(dispute.message_ids)), ("resolved", messages))

    def test_reversal_in_the_same_registry(self):
        data = (DATA / SAMPLE).read_bytes() + REVERSAL.encode("cp1251") + b"\r\n"
        registry = self.import_file("sber_with_reversal.csv", data=data)
        reversal = registry.row_ids.filtered(lambda r: r.kind == "chargeback_reversal")
        dispute = self.dispute()
        self.assertEqual(dispute.row_id.registry_id, registry)
        self.assertEqual((dispute.state, dispute.reversal_row_id), ("resolved", reversal))
        self.assertIn(
            f"line {reversal.line} of registry sber_with_reversal.csv", dispute.resolution
        )
        self.assertEqual(
            sorted(self.Case.search([("acquirer_id", "=", self.acquirer.id)]).mapped("kind")),
            ["CHARGEBACK", "UNMATCHED_REGISTRY"],
        )

    def test_reversal_of_a_closed_dispute_is_queued(self):
        self.import_file(SAMPLE)
        dispute = self.dispute()
        dispute.action_resolve("Won: the issuer withdrew it by letter")
        later = self.import_file("sber_2026-03-06.csv", data=self.registry_file(REVERSAL))
        # nothing to close: the reversal waits for a person, the dispute keeps its reason
        queued = self.Case.search([("row_id", "=", later.row_ids.id)])
        self.assertEqual((queued.kind, queued.state), ("CHARGEBACK", "open"))
        # one dispute per sale: the sale stays the first case's
        self.assertEqual(
            (queued.payment_id, dispute.payment_id),
            (self.env["pos.payment"], self.payments["SVO-00028"]),
        )
        self.assertEqual(dispute.resolution, "Won: the issuer withdrew it by letter")
        self.assertFalse(dispute.reversal_row_id)

    def test_reversal_of_another_sale_leaves_the_dispute_open(self):
        self.import_file(SAMPLE)
        other = REVERSAL.replace("10234562", "10234561")  # another terminal: another sale
        later = self.import_file("sber_2026-03-06.csv", data=self.registry_file(other))
        self.assertEqual(later.row_ids.status, "UNMATCHED_REGISTRY")
        self.assertEqual(self.dispute().state, "open")
