# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The reconciliation tiles of the manager's dashboard: card payments no registry
has, and open discrepancy cases, for the manager's offices and for head office."""

from odoo.tests import tagged

from .common import ReconcileCommon


@tagged("post_install", "-at_install")
class TestReconcileTiles(ReconcileCommon):
    def count(self, key, user):
        Dashboard = self.env["scs.dashboard"].with_user(user)
        tiles = {t["key"]: t["count"] for t in Dashboard.get_data([])["tiles"]}
        action = Dashboard.open_tile(key, [])
        listed = self.env[action["res_model"]].with_user(user).search(action["domain"])
        self.assertEqual(len(listed), tiles[key], key)
        return listed

    def test_unmatched_card_payments_and_open_cases(self):
        head = self._scs_user("head.office", "scs_pos.group_scs_head_office")
        payments = self.sync_pos_day()
        card = self.env["pos.payment"].union(*payments.values())
        self.assertEqual(self.count("card_unmatched", self.manager), card)
        self.assertFalse(self.count("cases", self.manager))
        self.import_file("sber_2026-03-02.csv")
        left = self.count("card_unmatched", self.manager)
        self.assertIn(payments["SVO-00029"], left)
        self.assertEqual(left, card.filtered(lambda p: not p.scs_registry_row_ids))
        cases = self.env["scs.reconcile.case"].search([("state", "in", ("open", "in_progress"))])
        # the bank's row with no sale has no office: head office alone sees it
        self.assertEqual(self.count("cases", head), cases)
        self.assertEqual(self.count("cases", self.manager), cases.filtered("payment_id"))
        self.assertLess(len(cases.filtered("payment_id")), len(cases))
