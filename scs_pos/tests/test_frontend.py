# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from .common import ScsPosCommon


@tagged("post_install", "-at_install")
class TestFrontend(ScsPosCommon, HttpCase):
    def test_cashier_sells_with_split_tender(self):
        order = self.run_pos_tour("scs_pos_sale_cash_card")
        self.assertEqual(len(order), 1)
        self.assertEqual(order.state, "paid")
        self.assertEqual(order.scs_office_id, self.office)
        self.assertEqual(order.user_id, self.cashier)
        self.assertEqual(order.amount_total, 2110.0)
        self.assertEqual(order.amount_tax, 220.0)
        self.assertEqual(
            sorted(order.payment_ids.mapped(lambda p: (p.payment_method_id.name, p.amount))),
            [("Card TST", 1000.0), ("Cash TST", -90.0), ("Cash TST", 1200.0)],
        )
        card = order.payment_ids.filtered(lambda p: p.scs_tender_kind == "card")
        self.assertEqual(
            (card.scs_rrn, card.scs_auth_code, card.scs_card_mask),
            ("612345678901", "A1B2C3", "******1234"),
        )
        self.assertEqual(
            order.lines.filtered(
                lambda line: line.product_id == self.insurance
            ).product_id.scs_supplier_id,
            self.supplier,
        )

    def test_cashier_refunds_part_with_the_proposed_split(self):
        self.pos_config.with_user(self.cashier).open_ui()
        original = self.sync(
            self.order_payload(
                [(self.seat, 1220.0, 1), (self.insurance, 890.0, 1)],
                payments=[
                    self.payment_vals(self.pm_card, 1500.0, scs_rrn="100000000001"),
                    self.payment_vals(self.pm_cash, 610.0),
                ],
            )
        )
        orders = self.run_pos_tour("scs_pos_partial_refund")
        refund = orders - original
        self.assertEqual(refund.state, "paid")
        self.assertAlmostEqual(refund.amount_total, -890.0)
        card, cash = (
            original.payment_ids.filtered(lambda p, kind=kind: p.scs_tender_kind == kind)
            for kind in ("card", "cash")
        )
        self.assertEqual(
            {(p.scs_refunded_payment_id, p.amount, p.scs_as_cash) for p in refund.payment_ids},
            {(cash, -610.0, False), (card, -280.0, True)},
        )
        approval = refund.scs_approval_ids
        self.assertEqual(
            (approval.kind, approval.amount, approval.approved_by_id, approval.requested_by_id),
            ("card_to_cash", 280.0, self.manager, self.cashier),
        )
        self.assertEqual(approval.reason, "Card blocked by the bank")
        # the remote request asked first was withdrawn when the manager came
        request = self.env["scs.approval.request"].search([("order_uuid", "=", refund.uuid)])
        self.assertEqual(
            (request.kind, request.amount, request.state, request.reason),
            ("card_to_cash", 280.0, "withdrawn", "Card blocked by the bank"),
        )

    def test_refund_needs_the_server(self):
        self.pos_config.with_user(self.cashier).open_ui()
        original = self.sync(
            self.order_payload(
                [(self.seat, 1220.0, 1), (self.insurance, 890.0, 1)],
                payments=[self.payment_vals(self.pm_cash, 2110.0)],
            )
        )
        orders = self.run_pos_tour("scs_pos_offline_refund_refused")
        self.assertEqual(orders, original)
        self.assertFalse(original.lines.refund_orderline_ids)

    def test_cashier_moves_cash_with_reasons(self):
        self.pos_config.cash_control = True
        self.run_pos_tour("scs_pos_cash_move")
        orders = self.env["scs.cash.order"].search(
            [("config_id", "=", self.pos_config.id)], order="id"
        )
        self.assertEqual(
            [(o.kind, o.number, o.amount, o.reason_id.code, o.counterparty) for o in orders],
            [
                ("in", 1, 5000.0, "change_fund", False),
                ("out", 1, 1200.0, "collection", "Collector Petrov P.P."),
            ],
        )
        self.assertEqual(orders[0].basis, "Change fund: from the safe")
        self.assertEqual(orders.cashier_id, self.cashier)
        self.assertEqual(orders.book_day_id.closing, 3800.0)
