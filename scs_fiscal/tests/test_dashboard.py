# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The fiscal tiles of the manager's dashboard: documents stuck in the queue and
documents that failed, counted for the manager's offices only."""

from odoo.tests import tagged

from .common import FiscalCommon


@tagged("post_install", "-at_install")
class TestFiscalTiles(FiscalCommon):
    def counts(self, user):
        Dashboard = self.env["scs.dashboard"].with_user(user)
        tiles = {t["key"]: t["count"] for t in Dashboard.get_data([])["tiles"]}
        for key in ("fiscal_stuck", "fiscal_failed"):
            action = Dashboard.open_tile(key, [])
            listed = self.env[action["res_model"]].with_user(user).search_count(action["domain"])
            self.assertEqual(listed, tiles[key], key)
        return tiles["fiscal_stuck"], tiles["fiscal_failed"]

    def test_stuck_and_failed_documents(self):
        self.pos_config.with_user(self.cashier).open_ui()
        documents = self.env["scs.fiscal.document"]
        for _i in range(4):
            payload = self.order_payload([(self.seat, 1220.0, 1)])
            documents |= self.sync(payload).scs_fiscal_document_ids
        fresh, old, unknown, failed = documents
        self.assertEqual(self.counts(self.manager), (0, 0), "a fresh queue needs nobody")
        self.env.cr.execute(
            "UPDATE scs_fiscal_document SET create_date = now() - interval '1 hour' "
            "WHERE id = %s",
            (old.id,),
        )
        unknown.sudo().state = "unknown"
        failed.sudo().write({"state": "failed", "last_error": "Refused by the register"})
        self.env.invalidate_all()
        self.assertEqual(self.counts(self.manager), (2, 1))
        # another office's manager is not bothered by this desk
        other = self.env["scs.office"].create({"name": "Elsewhere", "code": "ELS"})
        stranger = self._scs_user("els.manager", "scs_pos.group_scs_manager")
        other.manager_id = stranger
        self.assertEqual(self.counts(stranger), (0, 0))
        self.assertEqual(fresh.state, "to_send")
