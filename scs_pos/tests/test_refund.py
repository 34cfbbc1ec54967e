# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import ScsPosCommon


@tagged("post_install", "-at_install")
class TestTendersAndRefunds(ScsPosCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pos_config.with_user(cls.cashier).open_ui()
        cls.session = cls.pos_config.current_session_id

    def _sale(self):
        """Seat 1,220 and insurance 890, paid by card 1,220 and cash 1,000 (110 change)."""
        payload = self.order_payload(
            [(self.seat, 1220.0, 1), (self.insurance, 890.0, 1)],
            payments=[
                self.payment_vals(self.pm_card, 1220.0),
                self.payment_vals(self.pm_cash, 1000.0),
            ],
        )
        order = self.sync(payload)
        self.card_payment = order.payment_ids.filtered(lambda p: p.scs_tender_kind == "card")
        self.cash_payment = order.payment_ids.filtered(
            lambda p: p.scs_tender_kind == "cash" and not p.is_change
        )
        return order

    def assertRefused(self, payload, message):
        """The sync is refused and, as in a real request, leaves nothing behind."""
        with self.assertRaisesRegex(UserError, message), self.env.cr.savepoint():
            self.sync(dict(payload))
        self.assertFalse(self.env["pos.order"].search([("uuid", "=", payload["uuid"])]))

    def _line(self, order, product):
        return order.lines.filtered(lambda line: line.product_id == product)

    # tenders

    def test_split_tender_with_change_in_cash(self):
        order = self._sale()
        self.assertEqual(order.state, "paid")
        change = order.payment_ids.filtered("is_change")
        self.assertAlmostEqual(change.amount, -110.0)
        self.assertEqual(self.card_payment.scs_card_mask, "427600******1234")
        self.assertEqual(len(self.card_payment.scs_rrn), 12)

    def test_no_change_from_a_card(self):
        payload = self.order_payload(
            [(self.seat, 1220.0, 1)], payments=[self.payment_vals(self.pm_card, 1300.0)]
        )
        self.assertRefused(payload, "change is given in cash only")

    def test_card_payment_needs_the_slip(self):
        payload = self.order_payload(
            [(self.seat, 1220.0, 1)],
            payments=[self.payment_vals(self.pm_card, 1220.0, scs_rrn=False)],
        )
        self.assertRefused(payload, "RRN and the authorisation code")

    def test_card_details_are_validated(self):
        for field, value in (
            ("scs_rrn", "12345"),
            ("scs_auth_code", "AB-12"),
            ("scs_card_mask", "4276001234561234"),
        ):
            payload = self.order_payload(
                [(self.seat, 1220.0, 1)],
                payments=[self.payment_vals(self.pm_card, 1220.0, **{field: value})],
            )
            with self.subTest(field=field), self.assertRaises(ValidationError):
                self.sync(payload)

    def test_cash_kind_needs_a_cash_journal(self):
        self.assertEqual(self.pm_cash.scs_tender_kind, "cash")
        self.assertEqual(self.pm_card.scs_tender_kind, "card")
        method = self.env["pos.payment.method"].create(
            {"name": "Card 2", "journal_id": self.card_journal.id, "company_id": self.company.id}
        )
        with self.assertRaisesRegex(ValidationError, "needs a cash journal"):
            method.scs_tender_kind = "cash"
        with self.assertRaisesRegex(ValidationError, "8 letters or digits"):
            method.scs_terminal_id = "12-45"

    # refunds

    def test_proposal_goes_to_the_card_first(self):
        order = self._sale()
        proposal = (
            self.env["pos.order"]
            .with_user(self.cashier)
            .scs_refund_proposal(self.pos_config.id, order.id, 1500.0)
        )
        shares = [(s["payment_id"], s["amount"]) for s in proposal["shares"]]
        self.assertEqual(shares, [(self.card_payment.id, 1220.0), (self.cash_payment.id, 280.0)])
        self.assertEqual(proposal["shares"][0]["rrn"], self.card_payment.scs_rrn)
        # the cash tender holds 890 (1,000 less 110 change): no more can go back
        too_much = (
            self.env["pos.order"]
            .with_user(self.cashier)
            .scs_refund_proposal(self.pos_config.id, order.id, 2110.01)
        )
        self.assertIn("error", too_much)

    def test_partial_refund_back_to_the_card_by_rrn(self):
        order = self._sale()
        seat = self._line(order, self.seat)
        refund = self.sync(
            self.refund_payload(
                [(seat, 1)],
                payments=[
                    self.payment_vals(
                        self.pm_card, -1220.0, scs_refunded_payment_id=self.card_payment.id
                    )
                ],
            )
        )
        self.assertEqual(refund.state, "paid")
        self.assertEqual(refund.payment_ids.scs_original_rrn, self.card_payment.scs_rrn)
        self.assertFalse(refund.payment_ids.scs_as_cash)
        self.assertEqual(seat.refunded_qty, 1)

    def test_second_refund_after_the_card_was_refunded(self):
        order = self._sale()
        self.sync(
            self.refund_payload(
                [(self._line(order, self.seat), 1)],
                payments=[self.payment_vals(self.pm_card, -1220.0)],
            )
        )
        insurance = self._line(order, self.insurance)
        # the card holds nothing now: a card refund is refused, the proposal is cash
        self.assertRefused(
            self.refund_payload(
                [(insurance, 1)], payments=[self.payment_vals(self.pm_card, -890.0)]
            ),
            "no Card payment of the order has it left",
        )
        proposal = (
            self.env["pos.order"]
            .with_user(self.cashier)
            .scs_refund_proposal(self.pos_config.id, order.id, 890.0)
        )
        self.assertEqual(
            [(s["payment_id"], s["amount"]) for s in proposal["shares"]],
            [(self.cash_payment.id, 890.0)],
        )
        refund = self.sync(
            self.refund_payload(
                [(insurance, 1)], payments=[self.payment_vals(self.pm_cash, -890.0)]
            )
        )
        self.assertEqual(refund.payment_ids.scs_refunded_payment_id, self.cash_payment)

    def test_back_office_partial_refund_by_quantity(self):
        order = self.sync(
            self.order_payload(
                [(self.seat, 1220.0, 3)], payments=[self.payment_vals(self.pm_card, 3660.0)]
            )
        )
        refund = self.env["pos.order"].browse(order.with_user(self.manager).refund()["res_id"])
        with Form(refund.with_user(self.manager)) as form, form.lines.edit(0) as line:
            line.qty = -2
        self.assertAlmostEqual(refund.amount_total, -2440.0)
        wizard = Form(
            self.env["pos.make.payment"]
            .with_user(self.manager)
            .with_context(active_id=refund.id, active_ids=refund.ids)
        )
        wizard.payment_method_id = self.pm_card
        self.assertAlmostEqual(wizard.amount, -2440.0)
        wizard.save().with_user(self.manager).check()
        self.assertEqual(refund.state, "paid")
        self.assertEqual(order.lines.refunded_qty, 2)
        self.assertEqual(refund.payment_ids.scs_refunded_payment_id, order.payment_ids)

    def test_unlinked_cash_refund_takes_the_cash_tender(self):
        order = self._sale()
        refund = self.sync(
            self.refund_payload(
                [(self._line(order, self.insurance), 1)],
                payments=[self.payment_vals(self.pm_cash, -890.0)],
            )
        )
        self.assertEqual(refund.payment_ids.scs_refunded_payment_id, self.cash_payment)
        self.assertFalse(refund.payment_ids.scs_as_cash)

    def test_card_money_as_cash_needs_a_manager_pin(self):
        order = self._sale()
        payload = self.refund_payload(
            [(self._line(order, self.seat), 1), (self._line(order, self.insurance), 1)],
            payments=[self.payment_vals(self.pm_cash, -2110.0)],
        )
        self.assertRefused(payload, "card money of 1220.00 given as cash")
        Approval = self.env["scs.approval"].with_user(self.cashier)
        needs = (
            self.env["pos.order"]
            .with_user(self.cashier)
            .scs_pos_needs(
                self.pos_config.id,
                {
                    "uuid": payload["uuid"],
                    "amount_total": -2110.0,
                    "refunded_order_id": order.id,
                    "payments": [{"payment_method_id": self.pm_cash.id, "amount": -2110.0}],
                },
            )
        )
        self.assertEqual(needs["needs"][0]["kind"], "card_to_cash")
        self.assertEqual(needs["needs"][0]["value"], 1220.0)
        approvers = Approval.pos_approvers(self.pos_config.id)
        self.assertEqual([a["id"] for a in approvers], self.manager.ids)
        args = (self.pos_config.id, payload["uuid"], "card_to_cash", 1220.0, "Card expired")
        wrong = Approval.pos_approve(*args, self.manager.id, "0000")
        self.assertEqual(wrong, {"error": "Wrong PIN."})
        no_reason = Approval.pos_approve(*args[:4], " ", self.manager.id, "4321")
        self.assertIn("error", no_reason)
        not_a_manager = Approval.pos_approve(*args, self.cashier.id, "4321")
        self.assertIn("error", not_a_manager)
        self.assertIn("id", Approval.pos_approve(*args, self.manager.id, "4321"))

        refund = self.sync(payload)
        self.assertEqual(refund.state, "paid")
        # one cash payment split over the two tenders it gives back
        links = {(p.scs_refunded_payment_id, p.amount, p.scs_as_cash) for p in refund.payment_ids}
        self.assertEqual(
            links, {(self.cash_payment, -890.0, False), (self.card_payment, -1220.0, True)}
        )
        approval = refund.scs_approval_ids
        self.assertEqual(
            (approval.approved_by_id, approval.requested_by_id, approval.channel),
            (self.manager, self.cashier, "pos"),
        )
        self.assertEqual(approval.reason, "Card expired")

    def test_never_more_than_sold_per_line(self):
        order = self._sale()
        seat = self._line(order, self.seat)
        card = [self.payment_vals(self.pm_card, -1220.0)]
        self.sync(self.refund_payload([(seat, 1)], payments=card))
        self.assertRefused(self.refund_payload([(seat, 1)], payments=card), "left to refund")

    def test_never_more_than_a_tender_holds(self):
        order = self._sale()
        # the card paid 1,220: the seat and the insurance (2,110) cannot all go back to it
        payload = self.refund_payload(
            [(self._line(order, self.seat), 1), (self._line(order, self.insurance), 1)],
            payments=[
                self.payment_vals(
                    self.pm_card, -2110.0, scs_refunded_payment_id=self.card_payment.id
                )
            ],
        )
        self.assertRefused(payload, "still holds")

    def test_refund_fee_is_a_line_of_the_refund(self):
        order = self._sale()
        refund = self.sync(
            self.refund_payload(
                [(self._line(order, self.seat), 1)],
                extra_lines=[(self.seat, 500.0, 1)],
                payments=[self.payment_vals(self.pm_card, -720.0)],
            )
        )
        self.assertAlmostEqual(refund.amount_total, -720.0)
        self.assertEqual(refund.payment_ids.scs_refunded_payment_id, self.card_payment)

    def test_exchange_customer_pays_the_difference(self):
        order = self._sale()
        exchange = self.sync(
            self.refund_payload(
                [(self._line(order, self.insurance), 1)],
                extra_lines=[(self.seat, 1220.0, 1)],
                payments=[self.payment_vals(self.pm_cash, 330.0)],
            )
        )
        self.assertAlmostEqual(exchange.amount_total, 330.0)
        self.assertEqual(exchange.state, "paid")
        # giving money back in an exchange that the customer pays for is refused
        self.assertRefused(
            self.refund_payload(
                [(self._line(order, self.seat), 1)],
                extra_lines=[(self.seat, 2000.0, 1)],
                payments=[
                    self.payment_vals(self.pm_card, -1220.0),
                    self.payment_vals(self.pm_cash, 2000.0),
                ],
            ),
            "pays only the difference",
        )

    # role limits

    def test_discount_above_the_cashiers_limit(self):
        lines = [(self.seat, 1220.0, 1, {"discount": 10.0})]
        payload = self.order_payload(lines)
        self.assertRefused(payload, "discount of 10")
        # a manager's own sale within the manager's 30%
        self.assertEqual(self.sync(self.order_payload(lines), user=self.manager).state, "paid")
        self.assertEqual(
            self.sync(self.order_payload([(self.seat, 1220.0, 1, {"discount": 5.0})])).state, "paid"
        )

    def test_manager_cannot_approve_above_own_limit(self):
        result = (
            self.env["scs.approval"]
            .with_user(self.cashier)
            .pos_approve(
                self.pos_config.id, "x-uuid", "discount", 40.0, "VIP", self.manager.id, "4321"
            )
        )
        self.assertIn("own limit", result["error"])

    def test_back_office_refund_of_card_money_as_cash(self):
        order = self.sync(
            self.order_payload(
                [(self.seat, 1220.0, 5)], payments=[self.payment_vals(self.pm_card, 6100.0)]
            )
        )
        # refunds in the back office are a manager's work (Odoo's payment wizard)
        refund_action = order.with_user(self.manager).refund()
        refund = self.env["pos.order"].browse(refund_action["res_id"])
        self.assertAlmostEqual(refund.amount_total, -6100.0)

        def pay():
            wizard = Form(
                self.env["pos.make.payment"]
                .with_user(self.manager)
                .with_context(active_id=refund.id, active_ids=refund.ids)
            )
            wizard.payment_method_id = self.pm_cash
            return wizard.save().with_user(self.manager).check()

        with (
            self.assertRaisesRegex(UserError, "card money of 6100.00 given as cash"),
            self.env.cr.savepoint(),
        ):
            pay()
        self.assertEqual(refund.state, "draft")
        self.assertFalse(refund.payment_ids)
        # the manager records why, on the order, then pays the refund out
        action = refund.with_user(self.manager).action_scs_approve()
        approval_form = Form(
            self.env["scs.approval"].with_user(self.manager).with_context(**action["context"])
        )
        self.assertEqual(approval_form.kind, "card_to_cash")
        approval_form.reason = "Card expired, passenger has a letter from the bank"
        approval = approval_form.save()
        self.assertEqual(
            (approval.approved_by_id, approval.channel, approval.amount),
            (self.manager, "back_office", 6100.0),
        )
        pay()
        self.assertEqual(refund.state, "paid")
        self.assertEqual(refund.payment_ids.scs_refunded_payment_id, order.payment_ids)
        self.assertTrue(refund.payment_ids.scs_as_cash)
        self.assertEqual(refund.scs_approval_ids, approval)

    def test_refund_above_the_cashiers_limit(self):
        order = self.sync(
            self.order_payload(
                [(self.seat, 1220.0, 5)], payments=[self.payment_vals(self.pm_card, 6100.0)]
            )
        )
        payload = self.refund_payload(
            [(order.lines, 5)], payments=[self.payment_vals(self.pm_card, -6100.0)]
        )
        self.assertRefused(payload, "refund of 6100.00")
        result = (
            self.env["scs.approval"]
            .with_user(self.cashier)
            .pos_approve(
                self.pos_config.id,
                payload["uuid"],
                "refund",
                6100.0,
                "Flight cancelled",
                self.manager.id,
                "4321",
            )
        )
        self.assertIn("id", result)
        self.assertEqual(self.sync(payload).state, "paid")

    # audit and access

    def test_approvals_are_an_audit_trail(self):
        approval = (
            self.env["scs.approval"]
            .with_user(self.manager)
            .create({"order_uuid": "u-1", "kind": "refund", "amount": 100.0, "reason": "Test"})
        )
        with self.assertRaises(UserError):
            approval.with_user(self.manager).reason = "Other"
        with self.assertRaises(UserError):
            approval.sudo().unlink()
        with self.assertRaises(AccessError):
            self.env["scs.approval"].with_user(self.cashier).create(
                {"order_uuid": "u-2", "kind": "refund", "amount": 100.0, "reason": "Self"}
            )
        # a cashier sees only what they asked for
        self.assertFalse(self.env["scs.approval"].with_user(self.cashier).search([]))

    def test_cashier_cannot_change_limits(self):
        limits = self.env["scs.role.limit"].with_user(self.cashier)
        self.assertTrue(limits.search([]))
        with self.assertRaises(AccessError):
            limits.search([], limit=1).max_refund = 10**6

    @mute_logger("odoo.addons.scs_pos.models.res_users")
    def test_pin_locks_after_five_wrong_tries(self):
        Approval = self.env["scs.approval"].with_user(self.cashier)
        args = (self.pos_config.id, "u-3", "refund", 10.0, "Test", self.manager.id)
        for _attempt in range(5):
            self.assertEqual(Approval.pos_approve(*args, "9999"), {"error": "Wrong PIN."})
        self.assertIn("locked", Approval.pos_approve(*args, "4321")["error"])

    def test_pin_is_stored_hashed(self):
        hashed = self.manager.sudo().scs_pin_hash
        self.assertTrue(hashed.startswith("$pbkdf2"))
        self.assertNotIn("4321", hashed)
        with self.assertRaises(ValidationError):
            self.manager.with_user(self.manager).scs_pin = "12a4"
