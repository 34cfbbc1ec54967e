# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from decimal import Decimal

from odoo import models

from ..engine import agreement, ffd
from .account_tax import CALCULATED
from .pos_order import _phone, kopecks


class PosOrderLine(models.Model):
    _inherit = "pos.order.line"

    def _scs_fiscal_vat(self):
        """The FFD VAT key of this line's tax; advance and prepayment lines take the
        calculated rate (22/122 ...)."""
        # mapped here: Odoo's computed field has no dependencies and would keep a stale value
        taxes = self.order_id.fiscal_position_id.map_tax(self.tax_ids)
        if len(taxes) > 1:
            raise ffd.FfdError(1199, "value", value=", ".join(taxes.mapped("name")))
        vat = taxes.scs_ffd_vat if taxes else "none"
        if not vat:
            raise ffd.FfdError(1199, "value", value=taxes.name)
        if int(self.product_id.scs_ffd_payment_method or 4) in ffd.PREPAYMENT_METHODS:
            vat = CALCULATED.get(vat, vat)
        return vat

    def _scs_fiscal_agent(self):
        product = self.product_id
        if product.scs_service_kind != "agent":
            return None
        supplier = product.scs_supplier_id
        phone = _phone(supplier.phone or supplier.mobile)
        return ffd.Agent(
            int(product.scs_ffd_agent_type or 64),
            supplier.name or "",
            supplier.vat or "",
            (phone,) if phone else (),
        )

    def _scs_fiscal_name(self):
        return (self.full_product_name or self.product_id.display_name or "").strip()[:128]

    def _scs_fiscal_items(self):
        """One FFD item, or two a kopeck apart when the line total does not divide."""
        name = self._scs_fiscal_name()
        product = self.product_id
        vat = self._scs_fiscal_vat()
        agent = self._scs_fiscal_agent()
        return [
            ffd.Item(
                name=name,
                price=price,
                quantity=quantity,
                vat=vat,
                subject=int(product.scs_ffd_item_subject or 4),
                method=int(product.scs_ffd_payment_method or 4),
                agent=agent,
                user_data=self.scs_document_number or "",
            )
            for price, quantity in ffd.split_amount(
                abs(kopecks(self.price_subtotal_incl)), abs(Decimal(str(self.qty))), name
            )
        ]

    def _scs_fiscal_fact(self):
        agent = self._scs_fiscal_agent()
        return agreement.Line(
            name=self._scs_fiscal_name(),
            quantity=abs(Decimal(str(self.qty))),
            amount=abs(kopecks(self.price_subtotal_incl)),
            vat=self._scs_fiscal_vat(),
            method=int(self.product_id.scs_ffd_payment_method or 4),
            subject=int(self.product_id.scs_ffd_item_subject or 4),
            agent_sign=agent.sign if agent else 0,
            supplier_inn=agent.supplier_inn if agent else "",
        )
