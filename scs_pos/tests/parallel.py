# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Tests of two cashiers acting at the same moment, each in their own transaction.

Parallel cursors cannot see a test's open transaction, so the data is committed, in
a company of its own, in the throwaway test database.
"""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from unittest.mock import patch

from odoo import Command, api, fields
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.tests import BaseCase, get_db_name, new_test_user


class ParallelCase(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())

    @classmethod
    def scs_company(cls, env, prefix):
        """A Russian company with the SCS chart, its environment and a cash method."""
        company = env["res.company"].create(
            {
                "name": f"SCS {prefix} {uuid.uuid4().hex[:8]}",
                "country_id": env.ref("base.ru").id,
                "currency_id": env.ref("base.RUB").id,
            }
        )
        env["account.chart.template"].try_loading("ru_scs", company, install_demo=False)
        env = env(context={"allowed_company_ids": company.ids})
        cash = env["pos.payment.method"].create(
            {
                "name": "Cash",
                "company_id": company.id,
                "journal_id": cls.scs_journal(env, company, "Cash", "cash").id,
            }
        )
        return env, company, cash

    @classmethod
    def scs_journal(cls, env, company, name, kind, **values):
        return env["account.journal"].create(
            {
                "name": name,
                "code": f"{name[:2].upper()}{uuid.uuid4().hex[:3].upper()}",
                "type": kind,
                "company_id": company.id,
                **values,
            }
        )

    @classmethod
    def scs_cashiers(cls, env, company, prefix, count=2):
        return [
            new_test_user(
                env,
                login=f"{prefix}.cashier{n}.{company.id}",
                groups="base.group_user,scs_pos.group_scs_cashier",
                company_id=company.id,
                company_ids=[Command.set(company.ids)],
            )
            for n in range(1, count + 1)
        ]

    @classmethod
    def scs_payload(cls, session_id, user_id, lines, payments):
        """A paid order as the POS sends it: ``lines`` are line values, ``payments``
        payment values; prices are tax included."""
        total = sum(line["price_subtotal_incl"] for line in lines)
        order_uuid = str(uuid.uuid4())
        return {
            "amount_paid": sum(p["amount"] for p in payments),
            "amount_return": 0,
            "amount_tax": 0,
            "amount_total": total,
            "date_order": fields.Datetime.to_string(fields.Datetime.now()),
            "name": f"Order {order_uuid}",
            "lines": [
                (0, 0, {"discount": 0, "tax_ids": [], "pack_lot_ids": [], **line}) for line in lines
            ],
            "session_id": session_id,
            "sequence_number": 1,
            "payment_ids": [(0, 0, payment) for payment in payments],
            "uuid": order_uuid,
            "user_id": user_id,
            "state": "paid",
        }

    def sync_in_parallel(self, calls, ok="synced"):
        """Sync each ``(user id, payload)`` of ``calls`` in its own transaction, all at
        once; returns ``ok`` or the error's message per call, in order."""
        barrier = threading.Barrier(len(calls))

        def sync(user_id, payload):
            try:
                # as an RPC: the error rolls the whole transaction back
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, user_id, {})
                    barrier.wait(timeout=10)
                    # a serialization failure is retried from scratch, as for an RPC
                    retrying(lambda: env["pos.order"].sync_from_ui([dict(payload)]), env)
            except UserError as err:
                return str(err)
            return ok

        # the test runner holds the registry's lock while it runs the tests: the
        # cashiers' threads get a lock of their own to look the registry up
        with (
            patch.object(Registry, "_lock", threading.RLock()),
            ThreadPoolExecutor(max_workers=len(calls)) as pool,
        ):
            futures = [pool.submit(sync, user_id, payload) for user_id, payload in calls]
            return [future.result(timeout=120) for future in futures]
