# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The Sberbank sample registry's day at the test office: the POS card payments of
``data/acquirer/pos_payments_2026-03-02.csv`` synced as the POS would, and the
acquirer with the shipped Sberbank profile."""

import csv
import datetime
from pathlib import Path

import pytz

from odoo import Command

from odoo.addons.scs_pos.tests.common import ScsPosCommon

DATA = Path(__file__).parent / "data" / "acquirer"


class ReconcileCommon(ScsPosCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Method = cls.env["pos.payment.method"]
        cls.pm_tid = {
            tid: Method.create(
                {
                    "name": f"Sber card {tid}",
                    "journal_id": cls.card_journal.id,
                    "company_id": cls.company.id,
                    "scs_terminal_id": tid,
                }
            )
            for tid in ("10234561", "10234562")
        }
        cls.pos_config.payment_method_ids = [Command.link(m.id) for m in cls.pm_tid.values()]
        cls.acquirer = cls.env["scs.acquirer"].create(
            {
                "name": "Sberbank",
                "code": "sber",
                "company_id": cls.company.id,
                "clearing_account_id": cls.chart.ref("ru_57_03").id,
                "fee_account_id": cls.chart.ref("ru_91_02").id,
                "payment_method_ids": [Command.set([m.id for m in cls.pm_tid.values()])],
                "profile_id": cls.env.ref("scs_reconcile.profile_sber").id,
            }
        )

    def pos_rows(self, acquirer="SBER"):
        with open(DATA / "pos_payments_2026-03-02.csv", encoding="utf-8") as fh:
            return [row for row in csv.DictReader(fh) if row["acquirer"] == acquirer]

    def utc(self, local):
        tz = pytz.timezone(self.office.tz)
        moment = datetime.datetime.strptime(local, "%Y-%m-%d %H:%M:%S")
        return tz.localize(moment).astimezone(pytz.utc).replace(tzinfo=None)

    def sync_pos_day(self):
        """Sync the sample's POS card payments (sales, then their refunds); a voided
        card operation never reaches the server, so it has no payment. Returns
        {pos_payment_ref: pos.payment}."""
        self.pos_config.with_user(self.cashier).open_ui()
        payments, lines = {}, {}
        rows = self.pos_rows()
        for row in sorted(rows, key=lambda r: r["kind"] != "sale"):
            if row["kind"] == "void":
                continue
            amount = float(row["amount"])
            details = {
                "scs_rrn": row["rrn"],
                "scs_auth_code": row["auth_code"],
                "scs_card_mask": row["card_mask"],
                "payment_date": self.utc(row["payment_datetime"]),
            }
            pm = self.pm_tid[row["terminal_id"]]
            pay = self.payment_vals(pm, amount, **details)
            if row["kind"] == "sale":
                payload = self.order_payload([(self.seat, amount, 1)], payments=[pay])
                order = self.sync(payload)
                lines[row["rrn"]] = order.lines
            else:
                original = lines[row["original_rrn"]]
                payload = self.order_payload(
                    [(self.seat, -amount, -1, {"refunded_orderline_id": original.id})],
                    payments=[pay],
                )
                order = self.sync(payload, user=self.manager)
            payments[row["pos_payment_ref"]] = order.payment_ids
        return payments

    def mark_reconciled(self, payment):
        """An earlier registry settled ``payment`` (a chargeback's sale of days ago)."""
        self.env["scs.acquirer.registry"].sudo().create(
            {
                "name": "earlier.csv",
                "acquirer_id": self.acquirer.id,
                "profile_id": self.acquirer.profile_id.id,
                "sha256": "0" * 64,
                "row_ids": [
                    Command.create(
                        {
                            "acquirer_id": self.acquirer.id,
                            "line": 2,
                            "key": f"earlier-{payment.id}",
                            "kind": "purchase",
                            "terminal_id": payment.scs_terminal_id,
                            "rrn": payment.scs_rrn,
                            "amount": payment.amount,
                            "status": "MATCHED",
                            "payment_ids": [Command.set(payment.ids)],
                        }
                    )
                ],
            }
        )

    def import_file(self, name, user=None, data=None):
        data = data if data is not None else (DATA / name).read_bytes()
        return (
            self.env["scs.acquirer.registry"]
            .with_user(user or self.accountant)
            ._scs_import(self.acquirer.with_user(user or self.accountant), data, name)
        )
