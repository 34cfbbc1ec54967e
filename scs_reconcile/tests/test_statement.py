# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Supplier statements against our agent sales: the insurer's and the corporate
shop's sample files (``data/statements/README.md``) imported as the accountant."""

import base64
import dataclasses
import datetime
import io
from pathlib import Path

import openpyxl
import pytz

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.scs_pos.tests.common import ScsPosCommon

from ..engine import statement

DATA = Path(__file__).parent / "data" / "statements"
INSURER = (DATA / "insurer_2026-03.csv").read_bytes()
SHOP = (DATA / "shop_2026-03.xlsx").read_bytes()
MARCH = {"date_from": datetime.date(2026, 3, 1), "date_to": datetime.date(2026, 3, 31)}


@tagged("post_install", "-at_install")
class TestSupplierStatement(ScsPosCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        chart = cls.chart
        cls.journal = cls.env["account.journal"].create(
            {"name": "Statements", "code": "STMT", "type": "general", "company_id": cls.company.id}
        )
        cls.env["scs.agent.contract"].create(
            {
                "name": "Insurance agency 2026",
                "partner_id": cls.supplier.id,
                "company_id": cls.company.id,
                "commission_percent": 20,
                "date_from": "2026-01-01",
            }
        )
        accounts = {
            "payable_account_id": chart.ref("ru_76_05").id,
            "expense_account_id": chart.ref("ru_91_02").id,
            "income_account_id": chart.ref("ru_91_01").id,
            "journal_id": cls.journal.id,
        }
        cls.source = cls.env["scs.statement.source"].create(
            {
                "partner_id": cls.supplier.id,
                "company_id": cls.company.id,
                "profile_id": cls.env.ref("scs_reconcile.profile_insurer").id,
                **accounts,
            }
        )
        cls.shop = cls.env["res.partner"].create(
            {"name": "Aeroshop LLC", "is_company": True, "vat": "7728012340"}
        )
        cls.goods = {
            code: cls.env["product.product"].create(
                {
                    "name": name,
                    "type": "consu",
                    "default_code": code,
                    "list_price": price,
                    "available_in_pos": True,
                    "taxes_id": [Command.set(cls.vat22.ids)],
                    "scs_service_kind": "agent",
                    "scs_supplier_id": cls.shop.id,
                }
            )
            for code, name, price in (
                ("MUG-01", "Mug", 650.0),
                ("CAP-02", "Cap", 1200.0),
                ("MODEL-737", "Model aircraft", 3500.0),
            )
        }
        cls.shop_source = cls.env["scs.statement.source"].create(
            {
                "partner_id": cls.shop.id,
                "company_id": cls.company.id,
                "profile_id": cls.env.ref("scs_reconcile.profile_shop").id,
                **accounts,
            }
        )

    # -- helpers -----------------------------------------------------------------------

    def at(self, day, hour=12):
        """A UTC moment of the office's (Irkutsk) local day ``day`` of March 2026."""
        local = datetime.datetime(2026, 3, day, hour)
        tz = pytz.timezone(self.office.tz)
        return tz.localize(local).astimezone(pytz.utc).replace(tzinfo=None)

    def sell(self, day, lines, hour=12):
        """Sync an order of ``lines`` (product, price, qty, extra) paid in cash."""
        if not self.pos_config.current_session_id:
            self.pos_config.with_user(self.cashier).open_ui()
        payload = self.order_payload(lines)
        payload["date_order"] = self.at(day, hour).strftime("%Y-%m-%d %H:%M:%S")
        return self.sync(payload)

    def policy(self, day, number, price=890.0, booking="ABC123", hour=12):
        extra = {"scs_document_number": number, "scs_booking_ref": booking}
        return self.sell(day, [(self.insurance, price, 1, extra)], hour)

    def refund(self, day, line, qty=1):
        cash = self.payment_vals(self.pm_cash, -line.price_unit * qty)
        payload = self.refund_payload([(line, qty)], payments=[cash])
        payload["date_order"] = self.at(day).strftime("%Y-%m-%d %H:%M:%S")
        return self.sync(payload, user=self.manager)

    def insurer_month(self):
        """Our policies of March as the samples' README says; returns {name: line}."""
        lines = {}
        for day, number, name in (
            (2, "INS-2026-000101", "s101"),
            (2, "INS-2026-000102", "s102"),
            (3, "INS-2026-000104", "s104"),
            (4, "INS-2026-000105", "s105"),
            (6, "INS-2026-000109", "s109"),
            (7, "INS-2026-000110", "s110"),
        ):
            lines[name] = self.policy(
                day, number, booking="QQQ111" if name == "s109" else "X"
            ).lines
        # two insured on one policy, sold at 00:30 local time: still the 3rd in Irkutsk
        order = self.sell(
            3,
            [
                (self.insurance, 890.0, 1, {"scs_document_number": "INS-2026-000103"}),
                (self.insurance, 890.0, 1, {"scs_document_number": "INS-2026-000103"}),
            ],
            hour=0,
        )
        lines["s103"] = order.lines
        lines["r101"] = self.refund(5, lines["s101"]).lines
        return lines

    def import_insurer(self, data=INSURER, name="insurer_2026-03.csv", user=None, **period):
        user = user or self.accountant
        return (
            self.env["scs.supplier.statement"]
            .with_user(user)
            ._scs_import(self.source.with_user(user), data, name, **period)
        )

    def counts(self):
        return (
            self.env["scs.supplier.statement"].sudo().search_count([]),
            self.env["scs.supplier.statement.row"].sudo().search_count([]),
            self.env["scs.reconcile.case"].sudo().search_count([]),
        )

    # -- import and matching -----------------------------------------------------------

    def test_insurer_statement(self):
        lines = self.insurer_month()
        found = self.import_insurer(**MARCH)
        self.assertEqual(found.partner_id, self.supplier)
        got = {r.line: (r.status, r.order_line_ids) for r in found.row_ids}
        self.assertEqual(
            got,
            {
                6: ("MATCHED", lines["s101"]),
                7: ("MATCHED", lines["s102"]),
                8: ("SPLIT", lines["s103"]),
                9: ("AMOUNT_MISMATCH", lines["s104"]),
                10: ("COMMISSION_MISMATCH", lines["s105"]),
                11: ("MATCHED", lines["r101"]),
                12: ("DUPLICATE", self.env["pos.order.line"]),
                13: ("UNMATCHED_STATEMENT", self.env["pos.order.line"]),
            },
        )
        row9 = found.row_ids.filtered(lambda r: r.line == 9)
        self.assertEqual(row9.difference, 100.0)
        row10 = found.row_ids.filtered(lambda r: r.line == 10)
        self.assertEqual((row10.commission, row10.commission_difference), (200.0, 22.0))
        self.assertEqual(found.missing_line_ids, lines["s109"] | lines["s110"])
        self.assertEqual(
            (found.row_count, found.matched_count, found.open_count, found.missing_count),
            (8, 4, 4, 2),
        )
        self.assertEqual(found.amount_total, 6330.0)  # refunds deducted
        self.assertEqual(found.our_total, 890.0 * 8 - 890.0)
        cases = found.case_ids
        self.assertEqual(
            sorted(cases.mapped("kind")),
            sorted(
                [
                    "STATEMENT_AMOUNT",
                    "STATEMENT_COMMISSION",
                    "STATEMENT_DUPLICATE",
                    "STATEMENT_UNMATCHED",
                    "STATEMENT_MISSING",
                    "STATEMENT_MISSING",
                ]
            ),
        )
        self.assertEqual(cases.company_id, self.company)
        self.assertEqual(set(cases.mapped("partner_id")), {self.supplier})
        unmatched = cases.filtered(lambda c: c.kind == "STATEMENT_UNMATCHED")
        self.assertEqual(unmatched.suggestion_ids[:1].order_line_id, lines["s109"])
        self.assertEqual(unmatched.suggestion_ids[:1].amount, 890.0)
        message = found.message_ids.filtered("attachment_ids")
        self.assertEqual(message.attachment_ids.raw, INSURER)
        # the accountant sees it all through the queue
        self.assertEqual(
            self.env["scs.reconcile.case"]
            .with_user(self.accountant)
            .search_count([("statement_id", "=", found.id)]),
            6,
        )

    def test_same_file_twice_and_a_corrected_one(self):
        self.insurer_month()
        first = self.import_insurer(**MARCH)
        before = self.counts()
        self.assertFalse(self.import_insurer())
        self.assertEqual(self.counts(), before)
        # the supplier resends the month with one more policy: only that row is new
        text = INSURER.decode("cp1251").split("\r\n")
        text.insert(13, "07.03.2026;INS-2026-000110;Продажа;X;PAVLOV/PAVEL;890,00;178,00")
        text[14] = "Итого;;;;;9\u00a0000,00;1\u00a0822,00"
        second = self.import_insurer("\r\n".join(text).encode("cp1251"), "insurer_v2.csv", **MARCH)
        self.assertEqual((second.row_count, second.skipped_count), (1, 8))
        self.assertEqual(second.row_ids.status, "MATCHED")
        # the line the first statement missed is listed now: its case closes itself
        missing = first.case_ids.filtered(
            lambda c: c.kind == "STATEMENT_MISSING"
            and c.order_line_id == second.row_ids.order_line_ids
        )
        self.assertEqual(missing.state, "resolved")
        self.assertIn("insurer_v2.csv", missing.resolution)

    def test_settled_lines_not_missing_again(self):
        self.insurer_month()
        self.import_insurer()
        # next month's statement: March's matched lines are no longer "missing"
        data = "\r\n".join(
            [
                "Дата продажи;Номер полиса;Операция;Бронирование;Застрахованный;"
                "Страховая премия;Агентское вознаграждение",
                "09.03.2026;INS-2026-000102;Продажа;X;IVANOVA/MARIA;890,00;178,00",
                "Итого;;;;;890,00;178,00",
            ]
        ).encode("cp1251")
        later = self.import_insurer(data, "insurer_again.csv")
        self.assertEqual(later.row_ids.status, "DUPLICATE")
        self.assertEqual(later.row_ids.rule, "settled by an earlier statement")

    def test_bad_input_writes_nothing(self):
        self.insurer_month()
        before = self.counts()
        text = INSURER.decode("cp1251").split("\r\n")
        text[8] = text[8].replace("990,00", "99O,00")
        with self.assertRaisesRegex(UserError, "line 9, Страховая премия"):
            self.import_insurer("\r\n".join(text).encode("cp1251"), "bad.csv")
        with self.assertRaisesRegex(UserError, "not cp1251"):
            self.import_insurer(INSURER.decode("cp1251").encode("utf-8"), "utf8.csv")
        with self.assertRaisesRegex(UserError, "totals row"):
            self.import_insurer(INSURER.replace(b"8\xa0110,00", b"8\xa0111,00"), "sum.csv")
        with self.assertRaisesRegex(UserError, "ends before it starts"):
            self.import_insurer(
                date_from=datetime.date(2026, 3, 31), date_to=datetime.date(2026, 3, 1)
            )
        self.assertEqual(self.counts(), before)

    def test_wrong_currency(self):
        profile = self.env.ref("scs_reconcile.profile_shop")
        profile.column_ids = [Command.create({"field": "currency", "header": "Валюта"})]
        book = openpyxl.load_workbook(io.BytesIO(SHOP))
        sheet = book.active
        sheet["F4"] = "Валюта"
        for row in range(5, 11):
            sheet[f"F{row}"] = "RUB"
        sheet["F7"] = "USD"
        buffer = io.BytesIO()
        book.save(buffer)
        before = self.counts()
        with self.assertRaisesRegex(UserError, "line 7 is in USD"):
            self.env["scs.supplier.statement"].with_user(self.accountant)._scs_import(
                self.shop_source, buffer.getvalue(), "usd.xlsx"
            )
        self.assertEqual(self.counts(), before)

    def test_shop_statement(self):
        g = self.goods
        mugs = self.sell(2, [(g["MUG-01"], 650.0, 2)]).lines
        self.sell(2, [(g["CAP-02"], 1200.0, 1)])
        self.sell(2, [(g["CAP-02"], 1200.0, 2)])
        self.sell(4, [(g["MODEL-737"], 3500.0, 1)])
        self.sell(3, [(g["MUG-01"], 600.0, 1)])
        back = self.refund(4, mugs, 1).lines
        found = (
            self.env["scs.supplier.statement"]
            .with_user(self.accountant)
            ._scs_import(self.shop_source.with_user(self.accountant), SHOP, "shop_2026-03.xlsx")
        )
        got = {r.line: r.status for r in found.row_ids}
        self.assertEqual(
            got,
            {
                5: "MATCHED",
                6: "SPLIT",
                7: "MATCHED",
                8: "AMOUNT_MISMATCH",
                9: "MATCHED",
                10: "UNMATCHED_STATEMENT",
            },
        )
        self.assertEqual(found.row_ids.filtered(lambda r: r.line == 9).order_line_ids, back)
        self.assertEqual(found.row_ids.filtered(lambda r: r.line == 8).difference, 50.0)
        self.assertEqual(found.row_ids.filtered(lambda r: r.line == 10).amount, 750.5)
        self.assertFalse(found.missing_line_ids)

    # -- the queue -----------------------------------------------------------------------

    def test_match_by_hand_and_write_offs(self):
        lines = self.insurer_month()
        found = self.import_insurer()
        cases = {c.kind: c for c in found.case_ids if c.kind != "STATEMENT_MISSING"}
        Case = self.env["scs.reconcile.case"].with_user(self.accountant)
        # the supplier mistyped 000109 as 000199: accept the suggestion
        unmatched = Case.browse(cases["STATEMENT_UNMATCHED"].id)
        unmatched.suggestion_ids[:1].action_accept()
        self.assertEqual(unmatched.state, "resolved")
        self.assertEqual(unmatched.statement_row_id.order_line_ids, lines["s109"])
        missing_109 = found.case_ids.filtered(lambda c: c.order_line_id == lines["s109"])
        self.assertEqual(missing_109.state, "resolved")
        # a line of another supplier is refused
        other = Case.browse(cases["STATEMENT_AMOUNT"].id)
        shop_line = self.sell(2, [(self.goods["MUG-01"], 650.0, 1)]).lines
        with self.assertRaisesRegex(UserError, "not an agent sale of Insurer JSC"):
            other.action_match_line(shop_line)
        # the insurer's 990 is accepted: 100 more is owed to it, at our expense
        other.action_write_off("Price list changed on 1 March")
        move = other.move_id
        self.assertEqual(move.state, "posted")
        by_code = {ml.account_id.code: (ml.debit, ml.credit) for ml in move.line_ids}
        self.assertEqual(by_code, {"91.02": (100.0, 0.0), "76.05": (0.0, 100.0)})
        self.assertEqual(move.line_ids.partner_id, self.supplier)
        # a higher commission: 22 less is owed, our income
        commission = Case.browse(cases["STATEMENT_COMMISSION"].id)
        commission.action_write_off("Bonus commission for March")
        by_code = {ml.account_id.code: (ml.debit, ml.credit) for ml in commission.move_id.line_ids}
        self.assertEqual(by_code, {"76.05": (22.0, 0.0), "91.01": (0.0, 22.0)})
        duplicate = Case.browse(cases["STATEMENT_DUPLICATE"].id)
        with self.assertRaisesRegex(UserError, "resolve the case"):
            duplicate.action_write_off("no")
        duplicate.action_resolve("Told the insurer")
        self.assertEqual(duplicate.state, "resolved")

    def test_write_off_needs_accounts(self):
        self.insurer_month()
        found = self.import_insurer()
        self.source.expense_account_id = False
        case = found.case_ids.filtered(lambda c: c.kind == "STATEMENT_AMOUNT")
        with self.assertRaisesRegex(Exception, "Write-off Expense"):
            case.with_user(self.accountant).action_write_off("x")
        self.assertEqual(case.state, "open")

    # -- access and configuration -----------------------------------------------------

    def test_access(self):
        self.insurer_month()
        for user in (self.cashier, self.manager):
            with self.subTest(user.login), self.assertRaises(AccessError):
                self.import_insurer(user=user)
        found = self.import_insurer()
        self.assertEqual(
            self.env["scs.supplier.statement"].with_user(self.manager).search([]), found
        )
        with self.assertRaises(AccessError):
            self.env["scs.supplier.statement.row"].with_user(self.cashier).search([])
        header = INSURER.decode("cp1251").split("\r\n")[4]
        nothing = f"{header}\r\nИтого;;;;;0,00;0,00\r\n".encode("cp1251")
        wizard = (
            self.env["scs.statement.import"]
            .with_user(self.accountant)
            .create(
                {
                    "source_id": self.source.id,
                    "data": base64.b64encode(nothing),
                    "filename": "empty.csv",
                }
            )
        )
        with self.assertRaisesRegex(UserError, "lists no sales"):
            wizard.action_import()

    def test_wizard(self):
        self.insurer_month()
        Wizard = self.env["scs.statement.import"].with_user(self.accountant)
        values = {
            "source_id": self.source.id,
            "data": base64.b64encode(INSURER),
            "filename": "insurer_2026-03.csv",
            "date_from": "2026-03-01",
            "date_to": "2026-03-31",
        }
        action = Wizard.create(values).action_import()
        found = self.env["scs.supplier.statement"].browse(action["res_id"])
        self.assertEqual((found.date_from, found.date_to), tuple(MARCH.values()))
        with self.assertRaisesRegex(UserError, "imported before"):
            Wizard.create(values).action_import()

    def test_source_settings(self):
        with self.assertRaisesRegex(Exception, "reads acquirer registries"):
            self.env["scs.statement.source"].create(
                {
                    "partner_id": self.env["res.partner"]
                    .create({"name": "Lounge", "is_company": True})
                    .id,
                    "company_id": self.company.id,
                    "profile_id": self.env.ref("scs_reconcile.profile_sber").id,
                }
            )
        with self.assertRaisesRegex(Exception, "never negative"):
            self.source.amount_tolerance = -1
        profile = self.env.ref("scs_reconcile.profile_insurer")
        with self.assertRaisesRegex(Exception, "do not have"):
            profile.column_ids = [Command.create({"field": "rrn", "header": "RRN"})]

    def test_shipped_profiles(self):
        for code, expected in statement.PROFILES.items():
            with self.subTest(code):
                got = self.env.ref(f"scs_reconcile.profile_{code}")._scs_engine_profile()
                self.assertIsInstance(got, statement.StatementProfile)
                self.assertEqual(dict(got.columns), dict(expected.columns))
                self.assertEqual(dict(got.kinds), dict(expected.kinds))
                for field in dataclasses.fields(expected):
                    if field.name not in ("columns", "kinds"):
                        self.assertEqual(
                            getattr(got, field.name), getattr(expected, field.name), field.name
                        )
