# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import _, api, models
from odoo.exceptions import AccessError

from ..adapters.booking_client import BookingServiceError, fetch_booking
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
            "reference": lambda: _(
                "%(reference)s is not a booking reference: it has 5 or 6 letters or digits.", **p
            ),
            "not_found": lambda: _("Booking %(reference)s was not found.", **p),
            "mismatch": lambda: _(
                "The booking system answered for %(answered)s instead of %(reference)s.", **p
            ),
            "no_passenger": lambda: _("Booking %(reference)s has no passenger.", **p),
            "too_many_passengers": lambda: _(
                "Booking %(reference)s has %(count)s passengers; at most %(limit)s are allowed.",
                **p,
            ),
            "no_items": lambda: _("Booking %(reference)s has nothing to pay.", **p),
            "unknown_passenger": lambda: _(
                "An item of booking %(reference)s belongs to no passenger.", **p
            ),
            "unknown_service": lambda: _(
                "Service code %(service)s (%(description)s) is not sold at this cash desk.", **p
            ),
            "status": lambda: _(
                "%(description)s of %(passenger)s has status %(status)s and cannot be sold.", **p
            ),
            "currency": lambda: _(
                "%(description)s is priced in %(currency)s; this cash desk sells in %(expected)s.",
                **p,
            ),
            "amount": lambda: _("%(description)s has an invalid price %(amount)s.", **p),
            "negative": lambda: _("%(description)s has a negative price %(amount)s.", **p),
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

    def _other_orders(self, reference, config):
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
        return lines.order_id

    @api.model
    def pos_lookup(self, config_id, reference):
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
            ref = normalize_reference(reference)
            booking = fetch_booking(reference=ref, **self._settings())
            lines = compose(ref, booking, self._catalogue(config), config.currency_id.name)
        except BookingServiceError as err:
            _logger.info("booking lookup %s failed: %s", reference, err)
            return {"error": self._service_message(err)}
        except BookingError as err:
            return {"error": self._booking_message(err)}
        others = self._other_orders(ref, config)
        warning = False
        if others:
            warning = _(
                "Booking %(reference)s is already in order(s) %(orders)s. "
                "Make sure it is not paid twice.",
                reference=ref,
                orders=", ".join(o.pos_reference or o.name for o in others),
            )
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
