# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The online cash book: cash in/out with reasons and their orders (KO-1, KO-2),
register cash as daily orders, sheets per local day in Irkutsk and Moscow across
midnight, numbering over a year end, the day lock and corrections, the cash limit,
printing, and who may do what."""

import base64
import datetime
import io

import openpyxl
import pytz

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ScsPosCommon

UTC = datetime.datetime


@tagged("post_install", "-at_install")
class TestCashBook(ScsPosCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {"scs_head_name": "Орлов О.О.", "scs_chief_accountant_name": "Кузнецова Е.В."}
        )
        cls.office.write({"scs_cash_limit": 10000, "scs_cash_grace_hours": 2})
        cls.moscow = cls.env["scs.office"].create(
            {"name": "Moscow", "code": "MOW", "company_id": cls.company.id, "tz": "Europe/Moscow"}
        )
        cls.moscow_desk = cls.env["pos.config"].create(
            {
                "name": "Moscow desk",
                "scs_office_id": cls.moscow.id,
                "journal_id": cls.pos_journal.id,
                "invoice_journal_id": cls.company_data["default_journal_sale"].id,
                "payment_method_ids": [Command.set([cls.pm_card.id])],
            }
        )
        cls.Order = cls.env["scs.cash.order"]
        cls.Sheet = cls.env["scs.cash.book.day"]

    def open_session(self):
        if not self.pos_config.current_session_id:
            self.pos_config.with_user(self.cashier).open_ui()
        return self.pos_config.current_session_id

    def cash_move(self, kind, amount, code=None, counterparty="", reason="", user=None):
        session = self.open_session().with_user(user or self.cashier)
        extras = {"translatedType": kind, "formattedAmount": str(amount)}
        if code:
            extras["scs_reason_code"] = code
        if counterparty:
            extras["scs_counterparty"] = counterparty
        session.try_cash_in_out(kind, amount, reason or code or "cash", extras)
        return self.Order.search([("session_id", "=", session.id)], order="id desc", limit=1)

    def issue(self, config, kind, amount, at, key):
        return self.Order._scs_issue(config, kind, amount, "cash_move", key, moment=at)

    def local(self, office, *args):
        tz = pytz.timezone(office.tz)
        return tz.localize(UTC(*args)).astimezone(pytz.utc).replace(tzinfo=None)

    def sell_cash(self, at, amount):
        pay = self.payment_vals(self.pm_cash, amount, payment_date=at)
        payload = self.order_payload([(self.seat, amount, 1)], payments=[pay])
        payload["date_order"] = at.strftime("%Y-%m-%d %H:%M:%S")
        return self.sync(payload)

    def refund_cash(self, at, line):
        pay = self.payment_vals(self.pm_cash, -line.price_unit, payment_date=at)
        payload = self.refund_payload([(line, 1)], payments=[pay])
        payload["date_order"] = at.strftime("%Y-%m-%d %H:%M:%S")
        return self.sync(payload, user=self.manager)

    # -- cash in and out -----------------------------------------------------------------

    def test_cash_in_and_out_issue_numbered_orders(self):
        first = self.cash_move("in", 5000, "change_fund")
        self.assertEqual(
            (first.kind, first.number, first.amount, first.source), ("in", 1, 5000.0, "cash_move")
        )
        self.assertEqual(first.amount_words, "Пять тысяч рублей 00 копеек")
        self.assertEqual(first.basis, "Change fund")
        self.assertEqual(
            (first.accountant_name, first.cashier_id), ("Кузнецова Е.В.", self.cashier)
        )
        self.assertTrue(first.statement_line_id.pos_session_id)
        out = self.cash_move("out", 1200.5, "collection", counterparty="Инкассатор Петров П.П.")
        self.assertEqual(
            (out.kind, out.number, out.counterparty), ("out", 1, "Инкассатор Петров П.П.")
        )
        second = self.cash_move("in", 10, reason="Found in the drawer")
        self.assertEqual(
            (second.number, second.basis, second.reason_id.id), (2, "Found in the drawer", False)
        )
        sheet = first.book_day_id
        self.assertEqual(sheet, out.book_day_id)
        self.assertEqual(
            (sheet.opening, sheet.income, sheet.expense, sheet.closing, sheet.number),
            (0.0, 5010.0, 1200.5, 3809.5, 1),
        )
        self.assertEqual((sheet.incoming_count, sheet.outgoing_count), (2, 1))

    def test_bad_cash_moves_write_nothing(self):
        session = self.open_session()
        lines = self.env["account.bank.statement.line"].search_count(
            [("pos_session_id", "=", session.id)]
        )
        for kind, amount, code, party, message in (
            ("out", 100, None, "", "cannot pay out"),
            ("out", 100, "collection", "", "say who"),
            ("in", 100, "collection", "Bank", "not a reason to take cash in"),
            ("in", 100, "no_such_reason", "", "not a cash operation reason"),
        ):
            # an error rolls the request back, as Odoo does for the POS's call
            with self.subTest(message), self.assertRaisesRegex(UserError, message):
                with self.env.cr.savepoint():
                    self.cash_move(kind, amount, code, party)
        self.assertEqual(
            self.env["account.bank.statement.line"].search_count(
                [("pos_session_id", "=", session.id)]
            ),
            lines,
        )
        self.assertFalse(self.Order.search_count([]))

    def test_orders_are_never_changed(self):
        order = self.cash_move("in", 100, "change_fund")
        with self.assertRaisesRegex(UserError, "never changed"):
            order.with_user(self.accountant).write({"amount": 1})
        with self.assertRaises(AccessError):
            order.with_user(self.accountant).unlink()
        with self.assertRaisesRegex(UserError, "never deleted"):
            order.sudo().unlink()  # not even the superuser
        with self.assertRaises(AccessError):
            order.with_user(self.cashier).action_correct()

    # -- register cash, midnight, the lock -------------------------------------------------

    def test_register_cash_by_local_day_across_midnight(self):
        self.open_session()
        # Irkutsk: 23:55 on 2 March and 00:05 on 3 March are two book days
        self.sell_cash(self.local(self.office, 2026, 3, 2, 23, 55), 1220.0)
        sale = self.sell_cash(self.local(self.office, 2026, 3, 3, 0, 5), 500.0)
        self.refund_cash(self.local(self.office, 2026, 3, 3, 0, 10), sale.lines)
        # 03:00 on the 3rd, local: the 2nd is over, but within its grace hours
        self.Sheet._cron_scs_close_days(now=self.local(self.office, 2026, 3, 3, 1, 0))
        self.assertFalse(self.Sheet.search([]))
        self.Sheet._cron_scs_close_days(now=self.local(self.office, 2026, 3, 4, 3, 0))
        sheets = self.Sheet.search([("config_id", "=", self.pos_config.id)], order="day")
        self.assertEqual(
            [(s.day.isoformat(), s.income, s.expense, s.closing, s.state) for s in sheets],
            [
                ("2026-03-02", 1220.0, 0.0, 1220.0, "closed"),
                ("2026-03-03", 500.0, 500.0, 1220.0, "closed"),
            ],
        )
        orders = sheets.order_ids.sorted("id")
        self.assertEqual(
            [(o.day.isoformat(), o.kind, o.number, o.amount, o.source) for o in orders],
            [
                ("2026-03-02", "in", 1, 1220.0, "register_sales"),
                ("2026-03-03", "in", 2, 500.0, "register_sales"),
                ("2026-03-03", "out", 1, 500.0, "register_refunds"),
            ],
        )
        self.assertEqual(len(orders[1].payment_ids), 1)
        # running the job again changes nothing
        self.Sheet._cron_scs_close_days(now=self.local(self.office, 2026, 3, 5, 3, 0))
        self.assertEqual(self.Order.search_count([]), 3)

    def test_midnight_in_two_zones(self):
        # 15:55, 16:05 and 20:30 UTC: 23:55 on the 2nd, 00:05 and 04:30 on the 3rd in
        # Irkutsk; 18:55, 19:05 and 23:30 on the 2nd in Moscow
        moments = [UTC(2026, 3, 2, 15, 55), UTC(2026, 3, 2, 16, 5), UTC(2026, 3, 2, 20, 30)]
        for desk in (self.pos_config, self.moscow_desk):
            for n, at in enumerate(moments):
                self.issue(desk, "in", 100, at, f"{desk.id}:{n}")
        days = {
            desk: [
                (s.day.isoformat(), s.income, s.opening)
                for s in self.Sheet.search([("config_id", "=", desk.id)], order="day")
            ]
            for desk in (self.pos_config, self.moscow_desk)
        }
        self.assertEqual(
            days[self.pos_config], [("2026-03-02", 100.0, 0.0), ("2026-03-03", 200.0, 100.0)]
        )
        self.assertEqual(days[self.moscow_desk], [("2026-03-02", 300.0, 0.0)])

    def test_closed_day_locked_and_corrected_on_the_current_day(self):
        self.open_session()
        self.sell_cash(self.local(self.office, 2026, 3, 2, 12, 0), 3000.0)
        self.Sheet._scs_close_until(self.pos_config, datetime.date(2026, 3, 2))
        closed = self.Sheet.search([("day", "=", "2026-03-02")])
        self.assertEqual(closed.state, "closed")
        with self.assertRaisesRegex(UserError, "is closed"):
            self.issue(self.pos_config, "in", 1, self.local(self.office, 2026, 3, 2, 13, 0), "late")
        # a late offline sale of the 2nd lands in the next open day's register order
        self.sell_cash(self.local(self.office, 2026, 3, 2, 23, 0), 100.0)
        self.Sheet._scs_close_until(self.pos_config, datetime.date(2026, 3, 3))
        late = self.Order.search([("day", "=", "2026-03-03")])
        self.assertEqual((late.amount, late.source), (100.0, "register_sales"))
        self.assertEqual(closed.closing, 3000.0)
        # the accountant corrects the 2nd's order: a payment order today, the 2nd stays
        wrong = closed.order_ids
        action = wrong.with_user(self.accountant).action_correct()
        correction = self.Order.browse(action["res_id"])
        self.assertEqual(
            (correction.kind, correction.amount, correction.correction_of_id),
            ("out", 3000.0, wrong),
        )
        self.assertNotEqual(correction.day, wrong.day)
        self.assertEqual((closed.income, closed.closing), (3000.0, 3000.0))
        again = wrong.with_user(self.accountant).action_correct()  # a double click
        self.assertEqual(again["res_id"], correction.id)

    def test_cash_collection_books_the_register_cash_first(self):
        session = self.open_session()
        now = UTC.now().replace(microsecond=0)
        self.sell_cash(now - datetime.timedelta(minutes=5), 8000.0)
        out = self.cash_move("out", 7000, "collection", counterparty="Инкассатор")
        sheet = out.book_day_id
        kinds = sheet.order_ids.sorted(lambda o: (o.moment, o.kind != "in")).mapped("source")
        self.assertEqual(kinds, ["register_sales", "cash_move"])
        self.assertEqual(sheet.closing, 1000.0)
        self.assertTrue(session.statement_line_ids)

    def test_cash_counts_need_reasons_and_a_manager(self):
        self.enable_cash_counts(100)
        self.pos_config.with_user(self.cashier).open_ui()
        session = self.pos_config.current_session_id.with_user(self.cashier)
        with self.assertRaisesRegex(UserError, "differs by .*say why"):
            session.set_opening_control(50, "")
        with self.assertRaisesRegex(UserError, "a manager must approve"):
            session.set_opening_control(500, "found in the safe")
        session.set_opening_control(50, "change left by the night shift")
        self.assertEqual(session.state, "opened")
        self.sell_cash(UTC.now().replace(microsecond=0), 1000.0)
        # 1,050 expected: the cashier counts 800, 250 short, above the threshold
        answer = session.post_closing_cash_details(800)
        self.assertFalse(answer["successful"])
        self.assertIn("a manager must approve", answer["message"])
        manager = session.with_user(self.manager)
        self.assertTrue(manager.post_closing_cash_details(800)["successful"])
        self.env.invalidate_all()  # each POS call is its own request
        manager.update_closing_control_state_session("")
        refused = manager.close_session_from_ui()
        self.assertFalse(refused["successful"])
        self.assertIn("say why", refused["message"])
        manager.update_closing_control_state_session("a 200 note missing")
        self.env.invalidate_all()
        self.assertTrue(manager.close_session_from_ui().get("successful", True))
        self.assertEqual(session.state, "closed")
        self.assertEqual(session.scs_difference_approved_by_id, self.manager)
        shortage = self.Order.search([("source", "=", "count_difference")])
        self.assertEqual(
            (shortage.kind, shortage.amount, shortage.counterparty, shortage.account_code),
            ("out", 250.0, self.cashier.name, "91.02"),
        )
        self.assertIn("a 200 note missing", shortage.basis)
        # the register cash of the day was booked first: the book holds what is there
        self.assertEqual(shortage.book_day_id.closing, 750.0)

    def test_back_office_cash_move(self):
        session = self.open_session()
        Move = self.env["scs.cash.move"].with_user(self.manager)
        reason = self.env.ref("scs_pos.cash_reason_from_bank")
        action = Move.create(
            {"session_id": session.id, "direction": "in", "amount": 20000, "reason_id": reason.id}
        ).action_confirm()
        order = self.Order.browse(action["res_id"])
        self.assertEqual(
            (order.kind, order.amount, order.reason_id, order.cashier_id),
            ("in", 20000.0, reason, self.manager),
        )
        self.assertEqual(order.statement_line_id.pos_session_id, session)
        collection = self.env.ref("scs_pos.cash_reason_collection")
        wizard = Move.create(
            {
                "session_id": session.id,
                "direction": "out",
                "amount": 500,
                "reason_id": collection.id,
            }
        )
        with self.assertRaisesRegex(UserError, "say who"):
            wizard.action_confirm()
        with self.assertRaises(AccessError):
            self.env["scs.cash.move"].with_user(self.cashier).create(
                {"session_id": session.id, "amount": 1, "reason_id": reason.id}
            )

    # -- numbering, limit ---------------------------------------------------------------

    def test_numbering_restarts_each_year_in_local_time(self):
        at = self.local
        o1 = self.issue(self.pos_config, "in", 10, at(self.office, 2026, 12, 31, 12), "a")
        o2 = self.issue(self.pos_config, "in", 10, at(self.office, 2026, 12, 31, 23, 30), "b")
        # 00:30 on 1 January in Irkutsk: 16:30 UTC on 31 December
        o3 = self.issue(self.pos_config, "in", 10, at(self.office, 2027, 1, 1, 0, 30), "c")
        self.assertEqual(o3.moment.day, 31)
        self.assertEqual(
            [(o.year, o.number) for o in o1 | o2 | o3], [(2026, 1), (2026, 2), (2027, 1)]
        )
        sheets = (o1 | o2 | o3).book_day_id.sorted("day")
        self.assertEqual(
            [(s.day.isoformat(), s.number) for s in sheets], [("2026-12-31", 1), ("2027-01-01", 1)]
        )
        self.assertEqual(sheets[1].opening, 20.0)
        # another office keeps its own series
        other = self.issue(self.moscow_desk, "in", 10, at(self.moscow, 2027, 1, 1, 9), "d")
        self.assertEqual(other.number, 1)
        # the same key is the same order
        self.assertEqual(
            self.issue(self.pos_config, "in", 10, at(self.office, 2027, 1, 1, 1), "c"), o3
        )

    def test_cash_limit_flag(self):
        # Monday 2 March: 12,000 stays, 2,000 above the limit; Saturday 7 March is exempt
        self.issue(self.pos_config, "in", 12000, self.local(self.office, 2026, 3, 2, 10), "m")
        self.issue(self.pos_config, "in", 1, self.local(self.office, 2026, 3, 7, 10), "s")
        self.Sheet._scs_close_until(self.pos_config, datetime.date(2026, 3, 7))
        monday, saturday = self.Sheet.search([], order="day")
        self.assertEqual((monday.over_limit, saturday.over_limit), (2000.0, 0.0))
        self.assertTrue(any("above the office's cash limit" in m.body for m in monday.message_ids))
        self.office.scs_salary_days = "2"
        self.assertTrue(self.office._scs_limit_exempt(datetime.date(2026, 3, 2)))
        with self.assertRaisesRegex(Exception, "Salary days"):
            self.office.scs_salary_days = "5,40"

    # -- printing, access ---------------------------------------------------------------

    def test_print_pdf_and_xlsx(self):
        order = self.cash_move("in", 1234.5, "change_fund")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("scs_pos.action_report_scs_cash_order", order.ids)[0]
            .decode()
        )
        self.assertIn("ПРИХОДНЫЙ КАССОВЫЙ ОРДЕР", html)
        self.assertIn("Одна тысяча двести тридцать четыре рубля 50 копеек", html)
        self.assertIn("0310001", html)
        cash_account = self.cash_journal.default_account_id.code
        self.assertIn(f"<td>{cash_account}</td>", html)
        book = (
            self.env["ir.actions.report"]
            ._render_qweb_html("scs_pos.action_report_scs_cash_book", order.book_day_id.ids)[0]
            .decode()
        )
        self.assertIn("Остаток на начало дня", book)
        self.assertIn("1234.50", book)
        self.assertIn("один приходных и ноль расходных", " ".join(book.split()))
        wizard = (
            self.env["scs.cash.book.print"]
            .with_user(self.manager)
            .create(
                {
                    "config_id": self.pos_config.id,
                    "date_from": order.day,
                    "date_to": order.day,
                    "output": "xlsx",
                }
            )
        )
        action = wizard.action_print()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[3].split("?")[0])
        )
        ws = openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas))).active
        values = [v for row in ws.iter_rows(values_only=True) for v in row if v is not None]
        self.assertIn(1234.5, values)
        empty = (
            self.env["scs.cash.book.print"]
            .with_user(self.manager)
            .create(
                {"config_id": self.moscow_desk.id, "date_from": order.day, "date_to": order.day}
            )
        )
        with self.assertRaisesRegex(UserError, "no cash operations"):
            empty.action_print()

    def test_access(self):
        self.cash_move("in", 100, "change_fund")
        sheet = self.Sheet.search([])
        # the cashier reads the book, a manager closes a day, nobody edits it
        self.assertEqual(self.Sheet.with_user(self.cashier).search([]), sheet)
        with self.assertRaises(AccessError):
            sheet.with_user(self.cashier).action_close()
        with self.assertRaisesRegex(UserError, "has not ended"):
            sheet.with_user(self.manager).action_close()
        with self.assertRaises(AccessError):
            self.env["scs.cash.reason"].with_user(self.cashier).create({"name": "x", "code": "x"})
        with self.assertRaises(AccessError):
            self.env["scs.cash.book.print"].with_user(self.cashier).create(
                {"config_id": self.pos_config.id}
            )
