# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import HttpCase, tagged

from ..emulators.booking_server import BookingApp, serve_in_thread
from .common import ScsPosCommon


class ScsBookingCommon(ScsPosCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.booking_app = BookingApp(slow_seconds=3)
        cls.booking_server, url = serve_in_thread(cls.booking_app)
        cls.addClassCleanup(cls.booking_server.shutdown)
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("scs_pos.booking_endpoint", url)
        params.set_param("scs_pos.booking_timeout", "1")
        cls.ticket = cls.env["product.product"].create(
            {
                "name": "Air ticket, international",
                "type": "service",
                "list_price": 1.0,
                "available_in_pos": True,
                "taxes_id": [Command.set(cls.vat0.ids)],
                "scs_service_kind": "own",
                "scs_booking_code": "TKT-INTL",
            }
        )
        cls.seat.scs_booking_code = "0B5"
        cls.insurance.scs_booking_code = "INS"

    def lookup(self, reference, user=None):
        return (
            self.env["scs.booking"]
            .with_user(user or self.cashier)
            .pos_lookup(self.pos_config.id, reference)
        )


@tagged("post_install", "-at_install")
class TestBookingLookup(ScsBookingCommon):
    def test_booking_becomes_priced_lines(self):
        result = self.lookup(" scs001 ")
        self.assertFalse(result.get("error"))
        self.assertFalse(result["warning"])
        lines = result["lines"]
        self.assertEqual(
            [(line["product_id"], line["price_unit"]) for line in lines],
            [(self.ticket.id, 18500.0), (self.seat.id, 1200.0), (self.insurance.id, 890.0)],
        )
        self.assertEqual({line["scs_passenger_name"] for line in lines}, {"IVANOV IVAN MR"})
        self.assertEqual(lines[0]["scs_document_number"], "5552400000011")

    def test_every_refusal_has_a_reason_and_no_line(self):
        cases = {
            "NOPE99": "does not know this booking",
            "EUR001": "priced in EUR",
            "NEG001": "negative price",
            "HX0001": "status HX",
            "FAULT1": "refused the request",
            "SLOW01": "did not answer in time",
            "AB": "is not a booking reference",
        }
        for reference, reason in cases.items():
            with self.subTest(reference=reference):
                result = self.lookup(reference)
                self.assertIn(reason, result["error"])
                self.assertNotIn("lines", result)

    def test_service_not_sold_here(self):
        self.seat.available_in_pos = False
        self.assertIn("is not sold at this cash desk", self.lookup("SCS001")["error"])

    def test_service_down(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "scs_pos.booking_endpoint", "http://127.0.0.1:9/booking"
        )
        self.assertIn("cannot be reached", self.lookup("SCS001")["error"])

    def test_booking_already_in_an_order_warns(self):
        self.pos_config.with_user(self.cashier).open_ui()
        session = self.pos_config.current_session_id
        order = self.env["pos.order"].create(
            {
                "session_id": session.id,
                "amount_total": 1200.0,
                "amount_tax": 0.0,
                "amount_paid": 0.0,
                "amount_return": 0.0,
                "lines": [
                    Command.create(
                        {
                            "product_id": self.seat.id,
                            "qty": 1,
                            "price_unit": 1200.0,
                            "price_subtotal": 1200.0,
                            "price_subtotal_incl": 1200.0,
                            "scs_booking_ref": "SCS001",
                        }
                    )
                ],
            }
        )
        warning = self.lookup("SCS001", user=self.manager)["warning"]
        self.assertIn(order.pos_reference or order.name, warning)

    def test_two_cashiers_same_booking_before_payment(self):
        Booking = self.env["scs.booking"]
        first = Booking.with_user(self.cashier).pos_lookup(self.pos_config.id, "SCS001", "uuid-a")
        self.assertFalse(first["warning"])
        # a retried lookup for the same order is not a duplicate
        again = Booking.with_user(self.cashier).pos_lookup(self.pos_config.id, "SCS001", "uuid-a")
        self.assertFalse(again["warning"])
        self.assertEqual(
            self.env["scs.booking.hold"].search_count([("reference", "=", "SCS001")]), 1
        )
        second = Booking.with_user(self.manager).pos_lookup(self.pos_config.id, "scs001", "uuid-b")
        self.assertIn(f"is being sold by {self.cashier.name}", second["warning"])
        # at payment, the first cashier is warned too
        check = Booking.with_user(self.cashier).pos_check_duplicates(
            self.pos_config.id, ["SCS001"], "uuid-a"
        )
        self.assertIn(f"is being sold by {self.manager.name}", check)
        self.assertFalse(
            Booking.with_user(self.cashier).pos_check_duplicates(
                self.pos_config.id, ["FAM123"], "uuid-a"
            )
        )


@tagged("post_install", "-at_install")
class TestBookingTour(ScsBookingCommon, HttpCase):
    def test_one_click_booking_to_cash_payment(self):
        order = self.run_pos_tour("scs_pos_booking_one_click")
        self.assertEqual(order.state, "paid")
        self.assertEqual(order.amount_total, 20590.0)
        self.assertEqual(
            sorted(order.lines.mapped(lambda line: (line.product_id.name, line.price_unit))),
            sorted(
                [
                    (self.ticket.name, 18500.0),
                    (self.seat.name, 1200.0),
                    (self.insurance.name, 890.0),
                ]
            ),
        )
        self.assertEqual(set(order.lines.mapped("scs_booking_ref")), {"SCS001"})
        self.assertEqual(set(order.lines.mapped("scs_passenger_name")), {"IVANOV IVAN MR"})
        self.assertEqual(
            order.lines.filtered(lambda line: line.product_id == self.ticket).scs_document_number,
            "5552400000011",
        )

    def test_bundle_for_the_booking_passenger(self):
        baggage = self.env["product.product"].create(
            {
                "name": "Excess baggage",
                "type": "service",
                "list_price": 3500.0,
                "available_in_pos": True,
                "taxes_id": [Command.set(self.vat22.ids)],
                "scs_service_kind": "own",
            }
        )
        self.env["scs.service.bundle"].create(
            {
                "name": "Comfort",
                "company_id": self.company.id,
                "line_ids": [
                    Command.create({"product_id": baggage.id, "qty": 1}),
                    Command.create({"product_id": self.insurance.id, "qty": 1}),
                ],
            }
        )
        order = self.run_pos_tour("scs_pos_bundle_for_passenger")
        self.assertEqual(order.state, "paid")
        bundle_lines = (
            order.lines.filtered(lambda line: line.product_id == baggage)
            | order.lines.filtered(
                lambda line: line.product_id == self.insurance and line.price_unit == 890.0
            )[-1:]
        )
        self.assertEqual(len(order.lines), 5)
        self.assertEqual(set(bundle_lines.mapped("scs_passenger_name")), {"IVANOV IVAN MR"})
        self.assertEqual(
            order.lines.filtered(lambda line: line.product_id == baggage).price_unit, 3500.0
        )
        self.assertEqual(order.amount_total, 20590.0 + 3500.0 + 890.0)

    def test_refused_booking_adds_nothing(self):
        self.assertFalse(self.run_pos_tour("scs_pos_booking_refused"))
