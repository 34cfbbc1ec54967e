# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The mobile POS profile: a phone that sells extra services only, finds bookings by
boarding pass, records card slips, fiscalizes in the cloud, and sells offline."""

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged

from odoo.addons.scs_pos.tests.test_booking import ScsBookingCommon

from .common import FiscalCloudMixin

BOARDING_PASS = "M1IVANOV/IVAN MR      ESCS001 SVOLEDSU 1234 335Y012A0001 100"


class MobileCommon(FiscalCloudMixin, ScsBookingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.extras = cls.env["pos.category"].create({"name": "Extra services"})
        (cls.seat | cls.insurance).pos_categ_ids = cls.extras
        cls.gate_register = cls.register.copy({"name": "TST gate cloud"})
        cls.gate = cls.env["pos.config"].create(
            {
                "name": "TST gate 7",
                "company_id": cls.company.id,
                "scs_office_id": cls.office.id,
                "journal_id": cls.pos_journal.id,
                "invoice_journal_id": cls.company_data["default_journal_sale"].id,
                "payment_method_ids": [Command.set(cls.pm_card.ids)],
                "limit_categories": True,
                "iface_available_categ_ids": [Command.set(cls.extras.ids)],
                "scs_fiscal_register_id": cls.gate_register.id,
                "scs_mobile": True,
            }
        )

    def lookup_at_gate(self, scanned):
        return self.env["scs.booking"].with_user(self.cashier).pos_lookup(self.gate.id, scanned)


@tagged("post_install", "-at_install")
class TestMobileProfile(MobileCommon):
    def test_profile_is_checked(self):
        with self.assertRaisesRegex(ValidationError, "Restrict Categories"), self.cr.savepoint():
            self.gate.limit_categories = False
        with self.assertRaisesRegex(ValidationError, "cloud fiscal register"), self.cr.savepoint():
            self.gate.scs_fiscal_register_id = False
        with (
            self.assertRaisesRegex(ValidationError, "RRN and the authorisation code"),
            self.cr.savepoint(),
        ):
            self.pm_card.scs_card_reference_required = False
        self.gate.invalidate_recordset()
        self.assertTrue(self.gate.scs_mobile)

    def test_boarding_pass_finds_the_extra_services(self):
        by_pass = self.lookup_at_gate(BOARDING_PASS)
        by_reference = self.lookup_at_gate("scs001")
        self.assertNotIn("error", by_pass)
        self.assertEqual(by_pass["lines"], by_reference["lines"])
        self.assertEqual(
            sorted((line["product_id"], line["price_unit"]) for line in by_pass["lines"]),
            sorted([(self.seat.id, 1200.0), (self.insurance.id, 890.0)]),
            "the ticket is sold at the desk",
        )
        # the desk sells the whole booking
        at_desk = (
            self.env["scs.booking"]
            .with_user(self.cashier)
            .pos_lookup(self.pos_config.id, BOARDING_PASS)
        )
        self.assertEqual(len(at_desk["lines"]), 3)
        unreadable = self.lookup_at_gate(BOARDING_PASS[:44] + "999" + BOARDING_PASS[47:])
        self.assertIn("boarding pass cannot be read", unreadable["error"])

    def test_only_the_catalogue_and_slips_are_paid(self):
        self.gate.with_user(self.cashier).open_ui()
        session = self.gate.current_session_id
        ticket = self.order_payload(
            [(self.ticket, 18500.0, 1)],
            session=session,
            payments=[self.payment_vals(self.pm_card, 18500.0)],
        )
        with self.assertRaisesRegex(UserError, "does not sell"), self.cr.savepoint():
            self.sync(ticket)
        no_slip = self.order_payload(
            [(self.seat, 1200.0, 1)],
            session=session,
            payments=[self.payment_vals(self.pm_card, 1200.0, scs_rrn=False, scs_auth_code=False)],
        )
        with (
            self.assertRaisesRegex(UserError, "RRN and the authorisation code"),
            self.cr.savepoint(),
        ):
            self.sync(no_slip)
        paid = self.sync(
            self.order_payload(
                [(self.seat, 1200.0, 1)],
                session=session,
                payments=[self.payment_vals(self.pm_card, 1200.0)],
            )
        )
        self.assertEqual(paid.state, "paid")
        self.assertEqual(paid.scs_fiscal_document_ids.register_id, self.gate_register)


@tagged("post_install", "-at_install")
class TestMobileTour(MobileCommon, HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_gate_sale_by_boarding_pass_then_offline(self):
        self.gate.with_user(self.cashier).open_ui()
        self.start_tour(
            f"/pos/ui?config_id={self.gate.id}", "scs_pos_mobile_offline", login=self.cashier.login
        )
        orders = self.env["pos.order"].search(
            [("session_id.config_id", "=", self.gate.id)], order="id"
        )
        self.assertEqual(len(orders), 2, "each sale reached the server once")
        self.assertEqual(len(set(orders.mapped("uuid"))), 2)
        by_pass, offline = orders
        self.assertEqual(
            sorted(by_pass.lines.mapped(lambda line: (line.product_id.name, line.price_unit))),
            sorted([(self.seat.name, 1200.0), (self.insurance.name, 890.0)]),
        )
        self.assertEqual(set(by_pass.lines.mapped("scs_booking_ref")), {"SCS001"})
        self.assertEqual(
            [(p.scs_rrn, p.scs_auth_code) for p in orders.payment_ids],
            [("612345678901", "7QX2K9"), ("612345678902", "7QX2K9")],
        )
        self.assertEqual(offline.lines.product_id, self.seat)
        self.assertTrue(all(order.state == "paid" for order in orders))
        documents = self.fiscalize(orders.scs_fiscal_document_ids)
        self.assertEqual(documents.mapped("state"), ["done", "done"])
        self.assertEqual(documents.register_id, self.gate_register)
