# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The manager's workplace and reports: every tile's count against hand-built data
and the list it opens, remote approval requests (an order's and a cash count's),
record rules per role, and business days across local midnight in two zones."""

import datetime
import uuid

import pytz
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import ScsPosCommon

UTC = datetime.datetime


@tagged("post_install", "-at_install")
class TestDashboard(ScsPosCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Office = cls.env["scs.office"]
        cls.moscow = Office.create(
            {"name": "Moscow", "code": "MOW", "company_id": cls.company.id, "tz": "Europe/Moscow"}
        )
        cls.vladivostok = Office.create(
            {
                "name": "Vladivostok",
                "code": "VVO",
                "company_id": cls.company.id,
                "tz": "Asia/Vladivostok",
            }
        )
        cls.desks = {}
        for office in (cls.office, cls.moscow, cls.vladivostok):
            cls.desks[office] = cls.env["pos.config"].create(
                {
                    "name": f"{office.code} desk 2",
                    "scs_office_id": office.id,
                    "journal_id": cls.pos_journal.id,
                    "invoice_journal_id": cls.company_data["default_journal_sale"].id,
                    "payment_method_ids": [Command.set([cls.pm_card.id])],
                }
            )
        # the test office's manager runs it alone; the Moscow manager runs Moscow
        cls.mow_manager = cls._scs_user("mow.manager", "scs_pos.group_scs_manager")
        cls.moscow.manager_id = cls.mow_manager
        cls.head = cls._scs_user("head.office", "scs_pos.group_scs_head_office")
        cls.Dashboard = cls.env["scs.dashboard"]

    def tile(self, key, user, office_ids=None):
        data = self.Dashboard.with_user(user).get_data(office_ids or [])
        count = {t["key"]: t["count"] for t in data["tiles"]}[key]
        action = self.Dashboard.with_user(user).open_tile(key, office_ids or [])
        listed = self.env[action["res_model"]].with_user(user).search(action["domain"])
        self.assertEqual(len(listed), count, f"tile {key}: the list it opens has its count")
        return count, listed

    def session(self, config, hours_ago, state="opened"):
        session = self.env["pos.session"].create({"config_id": config.id, "user_id": self.uid})
        session.write({"state": state, "start_at": UTC.now() - datetime.timedelta(hours=hours_ago)})
        return session

    def local(self, office, *args):
        tz = pytz.timezone(office.tz)
        return tz.localize(UTC(*args)).astimezone(pytz.utc).replace(tzinfo=None)

    # -- tiles --------------------------------------------------------------------------

    def test_approvals_waiting(self):
        Request = self.env["scs.approval.request"].with_user(self.cashier)
        first = Request.pos_request(self.pos_config.id, "order-1", "discount", 15, "regular")
        again = Request.pos_request(self.pos_config.id, "order-1", "discount", 15, "regular")
        self.assertEqual(first, again, "a retried request is the same request")
        Request.pos_request(self.pos_config.id, "order-2", "refund", 9000, "flight cancelled")
        self.env["scs.approval.request"].with_user(self.mow_manager)._ask(
            self.desks[self.moscow], "refund", 100, "Moscow's own"
        )
        self.assertEqual(self.tile("approvals", self.manager)[0], 2)
        self.assertEqual(self.tile("approvals", self.mow_manager)[0], 1)
        self.assertEqual(self.tile("approvals", self.head)[0], 3)
        self.assertEqual(self.tile("approvals", self.head, [self.moscow.id])[0], 1)
        # a manager may not look at another office's dashboard
        with self.assertRaises(AccessError):
            self.Dashboard.with_user(self.manager).get_data([self.moscow.id])
        with self.assertRaises(AccessError):
            self.Dashboard.with_user(self.cashier).get_data([])

    def test_sessions_open_too_long(self):
        self.office.scs_session_max_hours = 14
        self.moscow.scs_session_max_hours = 30
        self.session(self.desks[self.office], 20)
        self.session(self.pos_config, 2)
        self.session(self.desks[self.moscow], 20)
        self.session(self.desks[self.vladivostok], 40, state="closing_control")
        count, listed = self.tile("long_sessions", self.head)
        self.assertEqual(count, 2)
        self.assertEqual(listed.config_id, self.desks[self.office] | self.desks[self.vladivostok])
        self.assertEqual(self.tile("long_sessions", self.manager)[0], 1)

    def test_cash_above_the_limit(self):
        Sheet = self.env["scs.cash.book.day"].sudo()
        today = self.Dashboard._scs_today(self.office)
        for number, (days_ago, over) in enumerate(((3, 700.0), (1, 500.0), (0, 0.0)), 1):
            Sheet.create(
                {
                    "number": number,
                    "config_id": self.pos_config.id,
                    "office_id": self.office.id,
                    "day": today - datetime.timedelta(days=days_ago),
                    "over_limit": over,
                }
            )
        count, listed = self.tile("cash_limit", self.manager)
        self.assertEqual(count, 1)
        self.assertEqual(listed.over_limit, 500.0)

    # -- approval requests --------------------------------------------------------------

    def test_remote_approval_lets_the_order_be_paid(self):
        self.pos_config.with_user(self.cashier).open_ui()
        order_uuid = str(uuid.uuid4())
        Request = self.env["scs.approval.request"].with_user(self.cashier)
        asked = Request.pos_request(self.pos_config.id, order_uuid, "discount", 20, "loyal")
        payload = self.order_payload(
            [(self.seat, 1220.0, 1, {"discount": 20})], order_uuid=order_uuid
        )
        # a refused sync is rolled back, as its request would be
        with self.assertRaisesRegex(UserError, "needs a manager's approval"), self.cr.savepoint():
            self.sync(payload)
        request = self.env["scs.approval.request"].browse(asked["id"])
        with self.assertRaises(AccessError):
            request.with_user(self.mow_manager).action_approve()
        with self.assertRaisesRegex(UserError, "why the request is refused"):
            request.with_user(self.manager).action_refuse()
        with self.assertRaises(UserError):
            request.with_user(self.manager).write({"state": "approved"})
        request.with_user(self.manager).action_approve()
        self.assertEqual(
            Request.pos_request_state(asked["id"]),
            {"state": "approved", "manager": self.manager.name, "note": ""},
        )
        self.assertEqual(request.approval_id.channel, "remote")
        self.assertEqual(request.approval_id.requested_by_id, self.cashier)
        order = self.sync(payload)
        self.assertEqual(order.state, "paid")
        self.env.invalidate_all()
        self.assertEqual(order.scs_approval_ids, request.approval_id)
        with self.assertRaisesRegex(UserError, "already decided"):
            request.with_user(self.manager).action_approve()
        with self.assertRaises(AccessError):
            Request.with_user(self.mow_manager).pos_request_state(asked["id"])

    def test_cash_difference_waits_for_a_manager(self):
        self.enable_cash_counts(100)
        self.pos_config.with_user(self.cashier).open_ui()
        session = self.pos_config.current_session_id.with_user(self.cashier)
        session.set_opening_control(0, "")
        answer = session.post_closing_cash_details(-300)
        self.assertFalse(answer["successful"])
        self.assertIn("waits on the managers' dashboard", answer["message"])
        count, listed = self.tile("approvals", self.manager)
        self.assertEqual((count, listed.kind, listed.amount), (1, "cash_difference", -300.0))
        listed.with_user(self.manager).action_approve()
        self.assertTrue(session.post_closing_cash_details(-300)["successful"])
        self.env.invalidate_all()
        session.update_closing_control_state_session("counted twice, 300 short")
        self.env.invalidate_all()
        self.assertTrue(session.close_session_from_ui().get("successful", True))
        self.assertEqual(session.state, "closed")
        self.assertEqual(session.scs_difference_approved_by_id, self.manager)

    # -- today's figures ------------------------------------------------------------------

    def test_todays_figures(self):
        self.pos_config.with_user(self.cashier).open_ui()
        paid_at = UTC.now().replace(microsecond=0)
        Hold = self.env["scs.booking.hold"]
        for ref in ("SCS001", "FAM123"):
            order_uuid = str(uuid.uuid4())
            Hold._hold(ref, order_uuid, self.pos_config)
            self.env.cr.execute(
                "UPDATE scs_booking_hold SET create_date = %s WHERE order_uuid = %s",
                (paid_at - datetime.timedelta(seconds=90), order_uuid),
            )
            payload = self.order_payload(
                [(self.seat, 1220.0, 1, {"scs_booking_ref": ref})],
                order_uuid=order_uuid,
                payments=[self.payment_vals(self.pm_cash, 1220.0, payment_date=paid_at)],
            )
            self.sync(payload)
        # a service added by hand: not one click, no booking time
        self.sync(self.order_payload([(self.insurance, 890.0, 1)]))
        figures = self.Dashboard.with_user(self.manager).get_data([])["figures"]
        self.assertEqual(figures["orders"], 3)
        self.assertEqual(figures["sales_total"], 3330.0)
        self.assertEqual(figures["average_seconds"], 90)
        self.assertEqual(figures["timed_orders"], 2)
        self.assertEqual(figures["one_click_share"], 66.7)
        self.assertEqual(
            [(row["name"], row["total"]) for row in figures["by_service"]],
            [("Seat selection", 2440.0), ("Travel insurance", 890.0)],
        )
        self.assertEqual(
            [(row["name"], row["orders"]) for row in figures["by_employee"]],
            [(self.cashier.name, 3)],
        )
        # Moscow's manager sees none of it
        moscow = self.Dashboard.with_user(self.mow_manager).get_data([])["figures"]
        self.assertEqual((moscow["orders"], moscow["by_service"]), (0, []))

    # -- business days and reports ---------------------------------------------------------

    def sell_in(self, office, opened, sold, amount):
        """A session of ``office`` opened at local ``opened``, an order at local ``sold``."""
        config = self.desks[office]
        config.with_user(self.cashier).open_ui()
        session = config.current_session_id
        session.start_at = self.local(office, *opened)
        pay = self.payment_vals(self.pm_card, amount, payment_date=self.local(office, *sold))
        payload = self.order_payload([(self.seat, amount, 1)], session=session, payments=[pay])
        payload["date_order"] = self.local(office, *sold).strftime("%Y-%m-%d %H:%M:%S")
        return self.sync(payload)

    def test_reports_by_business_day_across_midnight(self):
        self.moscow.user_ids = self.cashier
        self.vladivostok.user_ids = self.cashier
        # both shifts opened on 30 November, local time, and sold after local midnight
        mow = self.sell_in(self.moscow, (2026, 11, 30, 23, 40), (2026, 12, 1, 0, 30), 1000.0)
        vvo = self.sell_in(self.vladivostok, (2026, 11, 30, 22, 0), (2026, 12, 1, 1, 15), 2000.0)
        day = datetime.date(2026, 11, 30)
        self.assertEqual((mow.scs_business_day, vvo.scs_business_day), (day, day))
        self.assertEqual(mow._scs_local_day(), datetime.date(2026, 12, 1))
        for model, measure in (
            ("scs.sales.report", "amount_total"),
            ("scs.tender.report", "amount"),
        ):
            groups = (
                self.env[model]
                .with_user(self.head)
                ._read_group(
                    [("office_id", "in", (self.moscow | self.vladivostok).ids)],
                    ["office_id", "business_day:day"],
                    [f"{measure}:sum"],
                )
            )
            self.assertEqual(
                {(office.code, str(when)) for office, when, _total in groups},
                {("MOW", "2026-11-30"), ("VVO", "2026-11-30")},
                model,
            )
        # the dashboard's today is the office's: 23:50 on the 30th in Moscow counts the
        # sale; at noon on 1 December it belongs to yesterday
        for moment, orders in (("2026-11-30 20:50:00", 1), ("2026-12-01 09:00:00", 0)):
            with freeze_time(moment):
                data = self.Dashboard.with_user(self.head).get_data([self.moscow.id])
            self.assertEqual(data["figures"]["orders"], orders, moment)

    def test_record_rules_per_role(self):
        self.pos_config.with_user(self.cashier).open_ui()
        self.sync(self.order_payload([(self.seat, 1220.0, 1)]))
        self.moscow.user_ids = self.cashier
        self.sell_in(self.moscow, (2026, 11, 30, 10, 0), (2026, 11, 30, 11, 0), 500.0)
        offices = {
            user: set(
                self.env["scs.sales.report"].with_user(user).search([]).office_id.mapped("code")
            )
            for user in (self.manager, self.mow_manager, self.head, self.accountant)
        }
        self.assertEqual(
            offices,
            {
                self.manager: {"TST"},
                self.mow_manager: {"MOW"},
                self.head: {"TST", "MOW"},
                self.accountant: {"TST", "MOW"},
            },
        )
        tenders = self.env["scs.tender.report"].with_user(self.mow_manager).search([])
        self.assertEqual(set(tenders.office_id.mapped("code")), {"MOW"})
        for model in ("scs.sales.report", "scs.tender.report"):
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.cashier).search([])
        # a manager given an office sees it at once (the rule's cache follows the staff)
        self.moscow.user_ids += self.manager
        self.assertEqual(
            set(
                self.env["scs.sales.report"]
                .with_user(self.manager)
                .search([])
                .office_id.mapped("code")
            ),
            {"TST", "MOW"},
        )
        # cashiers see their own requests only
        other = new_test_user(
            self.env,
            login="tst.cashier2",
            groups="base.group_user,scs_pos.group_scs_cashier",
            company_id=self.company.id,
        )
        self.env["scs.approval.request"].with_user(self.cashier).pos_request(
            self.pos_config.id, "o-9", "refund", 9000, "cancelled"
        )
        self.assertFalse(self.env["scs.approval.request"].with_user(other).search([]))


@tagged("post_install", "-at_install")
class TestDashboardTour(ScsPosCommon, HttpCase):
    def test_manager_follows_a_tile_to_an_approval(self):
        self.pos_config.with_user(self.cashier).open_ui()
        self.sync(self.order_payload([(self.seat, 1220.0, 1)]))
        asked = (
            self.env["scs.approval.request"]
            .with_user(self.cashier)
            .pos_request(self.pos_config.id, "o-tour", "discount", 20, "the passenger is a regular")
        )
        self.start_tour(
            "/odoo/action-scs_pos.scs_dashboard_action",
            "scs_dashboard_approval",
            login=self.manager.login,
        )
        request = self.env["scs.approval.request"].browse(asked["id"])
        self.assertEqual((request.state, request.decided_by_id), ("approved", self.manager))
        self.assertEqual(request.approval_id.approved_by_id, self.manager)
