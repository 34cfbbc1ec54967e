# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.scs_fiscal.emulators.register import RegisterEmulator
from odoo.addons.scs_pos.tests.common import ScsPosCommon

from .common import local_register

START = datetime.datetime(2026, 11, 24, 13, 30)  # UTC: 23:30 in Vladivostok


class Clock:
    def __init__(self, moment):
        self.moment = moment

    def __call__(self):
        return self.moment


@tagged("post_install", "-at_install")
class TestLocalRegisterShifts(ScsPosCommon):
    """Shifts of a local register on its own clock, with the in-memory register."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.register = local_register(cls, "Vladivostok, Airport, desk 2", "Asia/Vladivostok")
        cls.pos_config.with_user(cls.cashier).open_ui()

    def setUp(self):
        super().setUp()
        self.clock = Clock(START)
        self.device = RegisterEmulator(utc_offset_hours=10, now=self.clock)
        patcher = patch.object(
            type(self.register), "_scs_driver", autospec=True, return_value=self.device
        )
        patcher.start()
        self.addCleanup(patcher.stop)

    def sell(self):
        order = self.sync(self.order_payload([(self.seat, 1220.0, 1)]))
        return order.scs_fiscal_document_ids._scs_advance(force=True)

    def test_first_document_opens_a_shift_on_the_register_clock(self):
        document = self.sell()
        self.assertEqual(document.state, "done")
        shift = self.register.current_shift_id
        self.assertEqual((shift.number, shift.state), (1, "open"))
        # opened at 23:30 on the register's clock, whatever the server's zone
        self.assertEqual(shift.opened_clock, "2026-11-24 23:30:00")
        self.assertEqual(shift.opened_at, START)
        self.assertEqual(document.shift_id, shift)
        self.assertFalse(shift.managed_by_service)

    def test_24_hour_limit_closes_and_reopens(self):
        first = self.sell()
        self.clock.moment = START + datetime.timedelta(hours=23, minutes=59)
        second = self.sell()
        self.assertEqual(second.shift_id, first.shift_id)
        self.clock.moment = START + datetime.timedelta(hours=24)
        third = self.sell()
        self.assertEqual(third.state, "done")
        self.assertEqual(first.shift_id.state, "closed")
        self.assertIn("24 hours", first.shift_id.message_ids[:1].body)
        self.assertEqual(first.shift_id.z_report, {"1": [2, 244000]})
        self.assertEqual(third.shift_id.number, 2)
        self.assertEqual(self.device.shift_number, 2)

    def test_register_clock_wins_over_ours(self):
        # our record thinks the shift is fresh; the register says it is over 24 hours
        self.sell()
        shift = self.register.current_shift_id
        self.device.shift_opened -= datetime.timedelta(hours=25)
        self.device.offset -= datetime.timedelta(minutes=5)  # and its clock runs late
        document = self.sell()
        self.assertEqual(shift.state, "closed")
        self.assertEqual(document.state, "to_send")
        document._scs_advance()  # due at once: the shift was fixed
        self.assertEqual(document.state, "done")
        self.assertEqual(document.shift_id.number, 2)

    def test_lost_answer_never_prints_twice(self):
        self.sell()
        order = self.sync(self.order_payload([(self.seat, 1220.0, 1)]))
        document = order.scs_fiscal_document_ids
        self.device.fail_next()
        document._scs_advance(force=True)
        self.assertEqual(document.state, "unknown")
        document._scs_advance(force=True)
        self.assertEqual(document.state, "done")
        self.assertEqual([ext for ext, _doc in self.device.printed].count(document.external_id), 1)
        # a lost answer to opening the shift leaves the document queued, not broken
        self.register.current_shift_id.action_close()
        second = self.sync(self.order_payload([(self.seat, 1220.0, 1)])).scs_fiscal_document_ids
        self.device.fail_next()
        second._scs_advance(force=True)
        self.assertEqual(second.state, "to_send")
        self.assertIn("did not open a shift", second.last_error)
        second._scs_advance(force=True)
        self.assertEqual(second.state, "done")

    def test_cash_in_and_out_go_to_the_register(self):
        session = self.pos_config.current_session_id
        session.try_cash_in_out("in", 5000.0, "Change fund", {"translatedType": "in"})
        session.try_cash_in_out("out", 1200.0, "To the bank", {"translatedType": "out"})
        documents = self.env["scs.fiscal.document"].search([("session_id", "=", session.id)])
        self.assertEqual(sorted(documents.mapped("kind")), ["cash_in", "cash_out"])
        documents._scs_advance(force=True)
        self.assertEqual(set(documents.mapped("state")), {"done"})
        self.assertEqual(self.device.cash, 380000)
        shift = self.register.current_shift_id
        self.assertEqual((shift.cash_in_total, shift.cash_out_total), (5000.0, 1200.0))

    def test_manager_reports_and_closes(self):
        self.sell()
        shift = self.register.current_shift_id
        with self.assertRaises(AccessError):
            shift.with_user(self.cashier).action_close()
        shift.with_user(self.manager).action_x_report()
        self.assertIn("X report", shift.message_ids[:1].body)
        shift.with_user(self.manager).action_close()
        self.assertEqual(shift.state, "closed")
        self.assertEqual(shift.closed_by, self.manager)
        with self.assertRaisesRegex(UserError, "open shift"):
            shift.action_x_report()
        self.register.with_user(self.manager).action_open_shift()
        self.assertEqual(self.register.current_shift_id.number, 2)
