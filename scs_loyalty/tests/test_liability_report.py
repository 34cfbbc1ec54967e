# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The loyalty liability report: the ledger's roubles per program and office on the
session's business day, seen by the office's manager and head office only."""

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ScsLoyaltyCommon


@tagged("post_install", "-at_install")
class TestLiabilityReport(ScsLoyaltyCommon):
    def test_liability_by_program_and_office(self):
        session = self.open_session()
        _order, card = self.sell_certificate()
        self.sync(
            self.order_payload(
                [(self.seat, 1220.0, 1)],
                payments=[self.loyalty_payment(self.pm_certificate, 1220.0, card)],
            )
        )
        Report = self.env["scs.loyalty.liability.report"]
        groups = Report.with_user(self.manager)._read_group(
            [], ["program_id", "office_id", "business_day:day"], ["liability:sum", "__count"]
        )
        self.assertEqual(
            groups,
            [(card.program_id, self.office, session.scs_business_day, card.scs_balance, 2)],
        )
        self.assertEqual(card.scs_balance, 3780.0)
        stranger = self._scs_user("els.manager", "scs_pos.group_scs_manager")
        self.env["scs.office"].create(
            {"name": "Elsewhere", "code": "ELS", "manager_id": stranger.id}
        )
        self.assertFalse(Report.with_user(stranger).search([]))
        head = self._scs_user("head.office", "scs_pos.group_scs_head_office")
        self.assertEqual(len(Report.with_user(head).search([])), 2)
        with self.assertRaises(AccessError):
            Report.with_user(self.cashier).search([])
