# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import _, api, models
from odoo.exceptions import AccessError

from ..adapters.booking_client import BookingServiceError, fetch_booking
from ..engine import bcbp
from ..engine.booking import BookingError, compose, normalize_reference

_logger = logging.getLogger(__name__)

PARAM_PREFIX = "scs_pos.booking_"


class ScsBooking(models.AbstractModel):
    """One-click entry of a booking into a POS order.

    The booking system prices every line; the POS only adds what this returns,
    all lines or none.
    """

    _name = "scs.booking"
    _description = "Booking Lookup"

    def _settings(self):
        get = self.env["ir.config_parameter"].sudo().get_param
        try:
            timeout = float(get(PARAM_PREFIX + "timeout") or 10)
        except ValueError:
            timeout = 10.0
        return {
            "endpoint": get(PARAM_PREFIX + "endpoint") or "",
            "username": get(PARAM_PREFIX + "username") or None,
            "password": get(PARAM_PREFIX + "password") or None,
            "timeout": max(1.0, min(timeout, 60.0)),
        }

    def _service_message(self, err):
        if err.code == "not_found":
            return _("The booking system does not know this booking.")
        if err.code == "timeout":
            return _(
                "The booking system did not answer in time. Try again in a moment, "
                "or add the services by hand."
            )
        if err.code == "unavailable":
            return _(
                "The booking system cannot be reached. Add the services by hand, "
                "or try again later."
            )
        return _("The booking system refused the request: %(detail)s", detail=err.detail)

    def _booking_message(self, err):
        p = err.params
        messages = {
            "reference": lambda: self.env._(
                "%(reference)s is not a booking reference: it has 5 or 6 letters or digits.", **p
            ),
            "not_found": lambda: self.env._("Booking %(reference)s was not found.", **p),
            "mismatch": lambda: self.env._(
                "The booking system answered for %(answered)s instead of %(reference)s.", **p
            ),
            "no_passenger": lambda: self.env._("Booking %(reference)s has no passenger.", **p),
            "too_many_passengers": lambda: self.env._(
                "Booking %(reference)s has %(count)s passengers; at most %(limit)s are allowed.",
                **p,
            ),
            "no_items": lambda: self.env._("Booking %(reference)s has nothing to pay.", **p),
            "nothing_here": lambda: self.env._(
                "Booking %(reference)s has no extra service this terminal sells: "
                "its other services are paid at a sales desk.",
                **p,
            ),
            "unknown_passenger": lambda: self.env._(
                "An item of booking %(reference)s belongs to no passenger.", **p
            ),
            "unknown_service": lambda: self.env._(
                "Service code %(service)s (%(description)s) is not sold at this cash desk.", **p
            ),
            "status": lambda: self.env._(
                "%(description)s of %(passenger)s has status %(status)s and cannot be sold.", **p
            ),
            "currency": lambda: self.env._(
                "%(description)s is priced in %(currency)s; this cash desk sells in %(expected)s.",
                **p,
            ),
            "amount": lambda: self.env._("%(description)s has an invalid price %(amount)s.", **p),
            "negative": lambda: self.env._("%(description)s has a negative price %(amount)s.", **p),
        }
        return messages[err.code]()

    def _catalogue(self, config):
        """Service code -> product sellable at this cash desk."""
        domain = [
            ("scs_booking_code", "!=", False),
            ("available_in_pos", "=", True),
            ("sale_ok", "=", True),
            *self.env["product.product"]._check_company_domain(config.company_id),
        ]
        if config.limit_categories and config.iface_available_categ_ids:
            domain.append(("pos_categ_ids", "in", config.iface_available_categ_ids.ids))
        products = self.env["product.product"].search(domain)
        return {p.scs_booking_code: p for p in products}

    def _other_orders(self, reference, config, order_uuid=None):
        lines = (
            self.env["pos.order.line"]
            .sudo()
            .search(
                [
                    ("scs_booking_ref", "=", reference),
                    ("order_id.state", "!=", "cancel"),
                    ("order_id.company_id", "=", config.company_id.id),
                ]
            )
        )
        # the order being sold is not a duplicate of itself
        return lines.order_id.filtered(lambda o: not order_uuid or o.uuid != order_uuid)

    def _duplicate_warning(self, references, config, order_uuid):
        """Why these bookings may be paid twice, or False."""
        Hold = self.env["scs.booking.hold"].sudo()
        found = []
        for ref in references:
            for order in self._other_orders(ref, config, order_uuid):
                found.append(
                    _(
                        "%(reference)s is in order %(order)s (%(desk)s)",
                        reference=ref,
                        order=order.pos_reference or order.name,
                        desk=order.config_id.name,
                    )
                )
            for hold in Hold._others(ref, order_uuid, config.company_id):
                found.append(
                    _(
                        "%(reference)s is being sold by %(user)s at %(desk)s",
                        reference=ref,
                        user=hold.user_id.name,
                        desk=hold.config_id.name,
                    )
                )
        if not found:
            return False
        return _("Make sure the booking is not paid twice: %(found)s.", found="; ".join(found))

    @api.model
    def pos_check_duplicates(self, config_id, references, order_uuid):
        """Before payment: are these bookings in another order?"""
        config = self.env["pos.config"].browse(config_id).exists()
        if not config or not references:
            return False
        config.check_access("read")
        refs = sorted({str(r).strip().upper() for r in references if r})[:20]
        return self._duplicate_warning(refs, config, order_uuid)

    @api.model
    def pos_lookup(self, config_id, reference, order_uuid=None):
        """Lines of booking ``reference`` for cash desk ``config_id``, or an error.

        Returns ``{"lines": [...], "warning": str|False}`` or ``{"error": str}``.
        """
        config = self.env["pos.config"].browse(config_id).exists()
        if not config:
            return {"error": _("This cash desk no longer exists.")}
        try:
            config.check_access("read")
        except AccessError:
            return {"error": _("You may not sell at this cash desk.")}
        try:
            scanned = bcbp.reference_of(reference)
        except bcbp.BoardingPassError as err:
            return {
                "error": self.env._(
                    "The boarding pass cannot be read (%(problem)s): scan it again or type "
                    "the booking reference.",
                    problem=str(err),
                )
            }
        try:
            ref = normalize_reference(scanned)
            booking = fetch_booking(reference=ref, **self._settings())
            lines = compose(
                ref,
                booking,
                self._catalogue(config),
                config.currency_id.name,
                only_catalogue=config.scs_mobile,
            )
        except BookingServiceError as err:
            _logger.info("booking lookup %s failed: %s", reference, err)
            return {"error": self._service_message(err)}
        except BookingError as err:
            return {"error": self._booking_message(err)}
        warning = self._duplicate_warning([ref], config, order_uuid)
        self.env["scs.booking.hold"].sudo()._hold(ref, order_uuid, config)
        return {
            "reference": ref,
            "warning": warning,
            "lines": [
                {
                    "product_id": line.product.id,
                    "price_unit": float(line.price),
                    "scs_booking_ref": ref,
                    "scs_passenger_id": line.passenger.id,
                    "scs_passenger_name": line.passenger.display_name,
                    "scs_passenger_ptc": line.passenger.ptc,
                    "scs_document_number": line.document,
                    "description": line.description,
                }
                for line in lines
            ],
        }
