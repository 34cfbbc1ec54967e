# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import datetime
import io
import re
from pathlib import Path
from unittest.mock import patch

import openpyxl

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import file_open, mute_logger

from ..cli.scs_migrate import migrate
from .common import ScsLoyaltyCommon

DATA = "scs_loyalty/tests/data/migration"
NAMES = (
    "services.csv",
    "customers.csv",
    "certificates.csv",
    "vouchers.csv",
    "points.csv",
    "cash_openings.csv",
)
COUNTED = (
    "res.partner",
    "product.template",
    "loyalty.card",
    "scs.loyalty.entry",
    "scs.cash.book.day",
)


@tagged("post_install", "-at_install")
class TestMigration(ScsLoyaltyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.files = {}
        for name in NAMES:
            with file_open(f"{DATA}/{name}", "rb") as handle:
                cls.files[name] = handle.read()
        cls.points.scs_validity_months = 12

    def run_files(self, files=None, dry_run=False, user=None, source="VVO", **changes):
        files = dict(files or self.files)
        for name, text in changes.items():
            name = name if "." in name else f"{name}.csv"
            if text is None:
                files.pop(name, None)
            else:
                files[name] = text.encode() if isinstance(text, str) else text
        env = self.env(user=user or self.scs_admin)
        return env["scs.migration"].scs_run(list(files.items()), source, dry_run=dry_run)

    def counts(self):
        return {
            model: self.env[model].sudo().with_context(active_test=False).search_count([])
            for model in COUNTED
        }

    def issues(self, run):
        """(file, line, column) of each bad row of the report."""
        return [line for line in run.report.splitlines() if re.match(r"^\S+:\d+", line)]

    def imported(self, legacy_id):
        return self.env["res.partner"].search([("scs_legacy_key", "=", f"VVO:{legacy_id}")])

    # -- the clean import ----------------------------------------------------------------

    def test_clean_import(self):
        before = self.counts()
        run = self.run_files()
        self.assertEqual(run.state, "done", run.report)
        self.assertEqual(run.error_count, 0)
        self.assertEqual(run.created_count, 3 + 3 + 2 + 1 + 3 + 1)
        after = self.counts()
        self.assertEqual(after["res.partner"] - before["res.partner"], 3)
        self.assertEqual(after["product.template"] - before["product.template"], 3)
        # 3 cards and 2 points accounts; 3 opening lots and 3 points lots
        self.assertEqual(after["loyalty.card"] - before["loyalty.card"], 5)
        self.assertEqual(after["scs.loyalty.entry"] - before["scs.loyalty.entry"], 6)
        # totals side by side: files, SCS before, SCS after
        row = next(line for line in run.report.splitlines() if line.startswith("Certificates"))
        self.assertEqual(
            row.split(), ["Certificates", "2", "4,500.00", "0", "0.00", "2", "4,500.00", "2", "0"]
        )
        self.assertEqual(run.totals["after"]["points"], [3, "250.00"])
        self.assertEqual(run.totals["files"], run.totals["after"])
        self.assertIn("13 created, 0 unchanged", run.report)
        self.assertTrue(run.message_ids)

        olga = self.imported("C001")
        self.assertEqual(olga.name, "Смирнова Ольга")  # cp1251 read
        self.assertTrue(self.imported("C003").is_company)
        # the printed legacy code finds the certificate, with or without its dash
        Card = self.env["loyalty.card"]
        certificate = Card._scs_find("gc-000123", kinds=("certificate",))
        self.assertEqual(certificate, Card._scs_find("GC000123"))
        self.assertEqual((certificate.code, certificate.partner_id), ("GC000123", olga))
        self.assertEqual((certificate.scs_balance, certificate.scs_nominal), (3000.0, 5000.0))
        opening = certificate.scs_entry_ids
        self.assertEqual(opening.kind, "opening")
        self.assertEqual((opening.vat_rate, opening.vat_amount), (22.0, 540.98))
        self.assertEqual(opening.expires, datetime.date(2035, 12, 31))
        self.assertFalse(opening.move_id, "the liability comes with the books' opening balances")
        voucher = Card._scs_find("VC-7001", kinds=("voucher",))
        self.assertEqual(
            (voucher.scs_reason, voucher.scs_balance), ("Flight SU 1234 cancelled", 2500.0)
        )
        with self.assertRaises(UserError):
            Card._scs_find("GC-999999")
        # points: one account per customer, its lots on their accrual days, FIFO
        account = Card._scs_points_account(olga, self.points, create=False)
        self.assertEqual(account.scs_balance, 200.0)
        self.assertEqual(olga.scs_points_balance, 200.0)
        self.assertEqual(olga.scs_money_balance, 3000.0)
        self.assertEqual(olga.scs_loyalty_code, account.code)
        lots = account._scs_lots()
        self.assertEqual(
            lots.mapped("day"), [datetime.date(2026, 1, 10), datetime.date(2026, 4, 2)]
        )
        self.assertEqual(lots.mapped("balance"), [120.0, 200.0])
        spent = account.with_context(scs_loyalty_post=True)._scs_debit(
            "redemption", 150, "test:spend", datetime.date(2026, 6, 1)
        )
        self.assertEqual(spent.take_ids.mapped("amount"), [120.0, 30.0])
        # services: own, agent with its supplier, a storable good
        Template = self.env["product.template"]
        seat = Template.search([("default_code", "=", "MIG-SEAT")])
        self.assertEqual(
            (seat.list_price, seat.taxes_id, seat.scs_booking_code), (1220.0, self.vat22, "0B5")
        )
        insurance = Template.search([("default_code", "=", "MIG-INS")])
        self.assertEqual(
            (insurance.scs_service_kind, insurance.scs_supplier_id), ("agent", self.supplier)
        )
        self.assertEqual(insurance.taxes_id, self.vat_none)
        mug = Template.search([("default_code", "=", "MIG-MUG")])
        self.assertEqual((mug.type, mug.is_storable, mug.barcode), ("consu", True, "4600000000017"))
        # the desk's cash book opens with its cash, and so does its first session
        sheet = self.env["scs.cash.book.day"].search([("config_id", "=", self.pos_config.id)])
        self.assertEqual(
            (sheet.day, sheet.opening, sheet.closing), (datetime.date(2026, 2, 1), 15000.0, 15000.0)
        )
        session = self.open_session()
        self.assertEqual(session.cash_register_balance_start, 15000.0)

    def test_xlsx_and_a_customer_in_two_files(self):
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["legacy_id", "name", "phone"])
        sheet.append(["C002", "Кузнецов Иван", "+79140000002"])  # as in customers.csv
        sheet.append(["C004", "Орлова Мария", 79140000004])
        buffer = io.BytesIO()
        book.save(buffer)
        run = self.run_files(**{"customers_2.xlsx": buffer.getvalue()})
        self.assertEqual(run.state, "done", run.report)
        self.assertEqual(self.imported("C004").phone, "79140000004")
        self.assertEqual(len(self.imported("C002")), 1)
        sheet.append(["C001", "Смирнова Ольга Петровна", None])
        buffer = io.BytesIO()
        book.save(buffer)
        other = self.run_files(dry_run=True, **{"customers_3.xlsx": buffer.getvalue()})
        self.assertEqual(other.state, "failed")
        self.assertIn(
            "customers_3.xlsx:4: C001 is in customers.csv line 2 with other data", other.report
        )

    # -- writing nothing -------------------------------------------------------------------

    def test_dry_run_writes_nothing(self):
        before = self.counts()
        run = self.run_files(dry_run=True)
        self.assertEqual((run.state, run.dry_run, run.created_count), ("checked", True, 0))
        self.assertEqual(self.counts(), before)
        self.assertIn("13 to create, 0 unchanged: nothing written", run.report)
        self.assertEqual(run.totals["after"], None)

    def test_one_bad_row_writes_nothing(self):
        before = self.counts()
        points = self.files["points.csv"].decode() + "C009;10;2026-01-01;2035-01-01\n"
        run = self.run_files(points=points)
        self.assertEqual((run.state, run.created_count, run.error_count), ("failed", 0, 1))
        self.assertEqual(self.counts(), before)
        self.assertEqual(
            self.issues(run),
            [
                "points.csv:5 [customer_id]: customer C009 is neither in the customers file "
                "nor in SCS"
            ],
        )

    def test_a_failure_while_writing_writes_nothing(self):
        before = self.counts()
        Migration = type(self.env["scs.migration"])
        with patch.object(
            Migration, "_scs_write_cash_openings", side_effect=UserError("desk locked")
        ):
            run = self.run_files()
        self.assertEqual((run.state, run.created_count), ("failed", 0))
        self.assertIn("The import failed and wrote nothing: desk locked", run.report)
        self.assertEqual(self.counts(), before)
        self.assertFalse(self.imported("C001"))

    def test_bad_rows_report_file_line_column(self):
        vouchers = (
            "code;balance;issued;customer_id;currency;expires\n"
            "VC-7001;2500,00;2026-05-01;C002;USD;2035-01-01\n"
            "VC-7002;-5;2026-05-01;C002;;2035-01-01\n"
            "VC-7003;5;2099-05-01;C002;;2100-01-01\n"
        )
        run = self.run_files(dry_run=True, vouchers=vouchers)
        self.assertEqual(run.state, "failed")
        self.assertEqual(
            self.issues(run),
            [
                "vouchers.csv:2 [currency]: currency USD: only roubles (RUB) are imported",
                "vouchers.csv:3 [balance]: -5.00 is negative",
                "vouchers.csv:4 [issued]: 2099-05-01 is in the future",
            ],
        )
        self.assertEqual(run.error_count, 3)

    def test_duplicates_within_a_file(self):
        certificates = self.files["certificates.csv"].decode("utf-8-sig") + (
            "GC 000 124,1500.00,2026-03-01,2035-12-31,,,,\n"
        )
        run = self.run_files(certificates=certificates)
        self.assertEqual(run.state, "failed")
        self.assertEqual(
            self.issues(run), ["certificates.csv:4: GC000124 is already on line 3 of this file"]
        )

    # -- a second run --------------------------------------------------------------------------

    def test_rerun_changes_nothing(self):
        first = self.run_files()
        before = self.counts()
        again = self.run_files()
        self.assertEqual((again.state, again.created_count, again.unchanged_count), ("done", 0, 13))
        self.assertIn("0 created, 13 unchanged", again.report)
        self.assertEqual(again.previous_run_id, first)
        self.assertEqual(again.key, first.key)
        self.assertEqual(self.counts(), before)

    def test_certificate_already_imported(self):
        self.run_files()
        certificate = self.env["loyalty.card"]._scs_find("GC-000123")
        # spent after go-live: the same file is still the same opening balance
        certificate.with_context(scs_loyalty_post=True)._scs_debit(
            "redemption", 1000, "test:redeem", datetime.date(2026, 6, 1)
        )
        same = self.run_files(dry_run=True)
        self.assertEqual(same.state, "checked", same.report)
        changed = self.files["certificates.csv"].decode("utf-8-sig").replace('"3000,00"', "3100")
        before = self.counts()
        refused = self.run_files(certificates=changed)
        self.assertEqual(refused.state, "failed")
        self.assertEqual(
            self.issues(refused),
            [
                "certificates.csv:2 [balance]: GC000123 is already in SCS with other data "
                "(balance 3000.00)"
            ],
        )
        self.assertEqual(self.counts(), before)
        self.assertEqual(certificate.scs_balance, 2000.0)

    def test_code_of_a_card_scs_issued(self):
        self.open_session()
        _order, cards = self.sell_certificate()
        certificates = f"code,balance,issued,expires\n{cards.code},100,2026-01-01,2035-01-01\n"
        run = self.run_files(dry_run=True, certificates=certificates)
        self.assertIn(f"certificates.csv:2 [code]: code {cards.code} already belongs", run.report)

    # -- who may import ------------------------------------------------------------------------

    def test_only_an_administrator_imports(self):
        for user in (self.manager, self.accountant, self.cashier):
            with self.assertRaises(AccessError):
                self.run_files(dry_run=True, user=user)
            with self.assertRaises(AccessError):
                self.env["scs.migration.wizard"].with_user(user).create({"source": "VVO"})
        self.assertFalse(self.env["scs.migration.run"].search_count([]))
        run = self.run_files(dry_run=True)
        with self.assertRaises(AccessError):
            run.with_user(self.manager).read(["report"])
        with self.assertRaises(AccessError), mute_logger("odoo.models.unlink"):
            run.with_user(self.scs_admin).unlink()
        with self.assertRaises(UserError):
            run.unlink()
        with self.assertRaises(UserError):
            run.with_user(self.scs_admin).write({"state": "done"})

    def test_wizard(self):
        attachments = self.env["ir.attachment"].create(
            [
                {"name": name, "datas": base64.b64encode(data), "res_model": "scs.migration.wizard"}
                for name, data in self.files.items()
            ]
        )
        Wizard = self.env["scs.migration.wizard"].with_user(self.scs_admin)
        wizard = Wizard.create({"source": "VVO", "attachment_ids": [(6, 0, attachments.ids)]})
        self.assertFalse(wizard.can_import)
        with self.assertRaises(UserError):
            wizard.action_import()
        wizard.action_check()
        self.assertEqual(wizard.check_run_id.state, "checked", wizard.report)
        self.assertTrue(wizard.can_import)
        self.assertIn("In the files", wizard.report)
        # a file changed after the check must be checked again
        attachments[-1].datas = base64.b64encode(b"desk;day;balance\nTST desk 1;2026-02-01;1\n")
        wizard.invalidate_recordset()
        self.assertFalse(wizard.can_import)
        with self.assertRaises(UserError):
            wizard.action_import()
        wizard.action_check()
        wizard.action_import()
        self.assertEqual(wizard.import_run_id.state, "done", wizard.report)
        self.assertEqual(
            self.env["scs.cash.book.day"].search([("config_id", "=", self.pos_config.id)]).opening,
            1.0,
        )

    # -- the command line ----------------------------------------------------------------------

    def test_command_line(self):
        folder = Path(file_open(f"{DATA}/services.csv").name).parent
        out = io.StringIO()
        code, run = migrate(
            self.env, str(folder), "VVO", dry_run=True, login=self.scs_admin.login, out=out
        )
        self.assertEqual((code, run.state, run.user_id), (0, "checked", self.scs_admin))
        self.assertIn("In SCS before", out.getvalue())
        code, run = migrate(self.env, str(folder), "VVO", login=self.scs_admin.login, out=out)
        self.assertEqual((code, run.state), (0, "done"))
        code, run = migrate(self.env, str(folder), "VVO", login=self.scs_admin.login, out=out)
        self.assertEqual((code, run.created_count), (0, 0))
        self.assertIn("0 created, 13 unchanged", out.getvalue())
        bad = [("points.csv", b"customer_id;points;accrued\nC404;1;2026-01-01\n")]
        code, run = migrate(self.env, bad, "VVO", login=self.scs_admin.login, out=out)
        self.assertEqual((code, run.state), (1, "failed"))
        code, run = migrate(self.env, bad, "VVO", login=self.manager.login, out=out)
        self.assertEqual((code, run), (3, None))
