# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..engine import codes, ledger, migration
from .loyalty_program import MONEY_KINDS
from .scs_loyalty_entry import CREDIT_KINDS

KOPECK = Decimal("0.01")


def dec(value):
    """A numeric(16,2) value read as float, back to its exact Decimal."""
    return Decimal(str(value or 0)).quantize(KOPECK)


class LoyaltyCard(models.Model):
    _inherit = "loyalty.card"

    scs_kind = fields.Selection(related="program_id.scs_kind", store=True, string="SCS Tender")
    scs_balance = fields.Float(
        string="Balance",
        digits=(16, 2),
        readonly=True,
        copy=False,
        help="Roubles on a certificate or voucher, points on a points account: the last "
        "ledger entry's balance.",
    )
    scs_nominal = fields.Monetary(string="Issued For", readonly=True, copy=False)
    scs_code_display = fields.Char(string="Code", compute="_compute_scs_code_display")
    scs_reason = fields.Char(string="Reason", readonly=True, copy=False)
    scs_sale_line_id = fields.Many2one(
        "pos.order.line", string="Sold On", readonly=True, copy=False, index="btree_not_null"
    )
    scs_invoice_line_id = fields.Many2one(
        "account.move.line",
        string="Sold by Invoice",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    scs_entry_ids = fields.One2many("scs.loyalty.entry", "card_id", string="Ledger", readonly=True)
    scs_state = fields.Selection(
        [("active", "Active"), ("used", "Used Up"), ("expired", "Expired"), ("void", "Refunded")],
        string="Status",
        readonly=True,
        copy=False,
        default="active",
        index=True,
    )

    @api.depends("code", "scs_kind")
    def _compute_scs_code_display(self):
        for card in self:
            card.scs_code_display = (
                codes.display(card.code)
                if card.scs_kind and card.code and codes.is_valid(card.code)
                else card.code
            )

    @api.model_create_multi
    def create(self, vals_list):
        Program = self.env["loyalty.program"]
        for vals in vals_list:
            program_id = vals.get("program_id")
            if not program_id and self.env.context.get("active_model") == "loyalty.program":
                program_id = self.env.context.get("active_id")
            program = Program.browse(program_id)
            if program.scs_kind:
                if not self.env.context.get("scs_loyalty_post"):
                    raise UserError(
                        self.env._(
                            "Certificates, vouchers and points accounts are issued by SCS "
                            "operations (sale, voucher issue, accrual), not created by hand."
                        )
                    )
                # Odoo's default code is short and guessable: an SCS code is random;
                # an office moving onto SCS keeps the codes printed on its cards
                if not (self.env.context.get("scs_migration") and vals.get("code")):
                    vals["code"] = codes.generate()
                vals["points"] = 0
        return super().create(vals_list)

    def write(self, vals):
        guarded = {"points", "scs_balance", "scs_state", "program_id", "code"}
        if (
            guarded & set(vals)
            and not self.env.context.get("scs_loyalty_post")
            and self.filtered("scs_kind")
        ):
            raise UserError(
                self.env._(
                    "The balance of a certificate, voucher or points account changes "
                    "only through its ledger."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_scs_never(self):
        if self.filtered("scs_kind"):
            raise UserError(self.env._("A card with a ledger cannot be deleted; archive it."))

    @api.model
    def _scs_issue_certificates(
        self,
        program,
        partner,
        qty,
        total,
        vat,
        vat_rate,
        key,
        day,
        issued,
        card_values,
        entry_values,
    ):
        """Issue ``qty`` certificates of ``program`` sold together for ``total`` (VAT
        ``vat`` in it), those of ``issued`` already being out: one per unit, the VAT
        spread to the kopeck so that the certificates' VAT adds up to the sale's."""
        qty = Decimal(str(qty))
        if qty != qty.to_integral_value():
            raise UserError(self.env._("Certificates are sold by the piece, not %(qty)s.", qty=qty))
        count = int(qty)
        unit = dec(total) / count
        if unit <= 0 or unit != unit.quantize(KOPECK):
            raise UserError(
                self.env._(
                    "%(amount)s is not an amount a certificate can be issued for.",
                    amount=dec(total) / count,
                )
            )
        vat = dec(vat)
        share = (vat / count).quantize(KOPECK, ROUND_HALF_UP)
        Card = self.sudo().with_context(scs_loyalty_post=True)
        cards = self.browse()
        for number in range(len(issued), count):
            card = Card.create(
                {
                    "program_id": program.id,
                    "partner_id": partner.id,
                    "scs_nominal": float(unit),
                    **card_values,
                }
            )
            unit_vat = share if number < count - 1 else vat - share * (count - 1)
            card._scs_credit(
                "issue",
                unit,
                f"{key}:{number}",
                day,
                vat_rate=vat_rate,
                vat_amount=float(unit_vat),
                **entry_values,
            )
            cards |= card
        return cards

    def action_scs_ledger(self):
        """The account's ledger, paged: a points account may hold a million entries."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "scs_loyalty.scs_loyalty_entry_action"
        )
        action.update(domain=[("card_id", "=", self.id)], context={})
        return action

    # -- lookups -----------------------------------------------------------------

    @api.model
    def _scs_find(self, text, kinds=None):
        """The card of a typed or scanned code; a clear error for a mistyped one.

        A code that is not one of ours may be a legacy code, printed by the office's
        old system and kept by the migration: upper case, no spaces or dashes."""
        try:
            code = codes.check(text or "")
        except codes.CodeError as err:
            legacy = migration.card_code(text or "")
            card = legacy and self.sudo().search(
                [("code", "=", legacy[0]), ("scs_kind", "!=", False)], limit=1
            )
            if card and (not kinds or card.scs_kind in kinds):
                return card
            raise UserError(
                self.env._(
                    "%(code)s is not a certificate or voucher code: %(why)s.",
                    code=(text or "").strip(),
                    why=str(err),
                )
            ) from None
        card = self.sudo().search([("code", "=", code), ("scs_kind", "!=", False)], limit=1)
        if not card or (kinds and card.scs_kind not in kinds):
            raise UserError(
                self.env._(
                    "No certificate or voucher has the code %(code)s.", code=codes.display(code)
                )
            )
        return card

    def _scs_lots(self):
        return (
            self.env["scs.loyalty.entry"]
            .sudo()
            .search([("card_id", "=", self.id), ("remaining", ">", 0)], order="day, id")
        )

    @staticmethod
    def _scs_engine_lots(lots):
        return [
            ledger.Lot(lot.id, dec(lot.amount), dec(lot.remaining), lot.day, lot.expires or None)
            for lot in lots
        ]

    def _scs_usable(self, day):
        self.ensure_one()
        return ledger.usable(self._scs_engine_lots(self._scs_lots()), day)

    @api.model
    def _scs_points_account(self, partner, program, create=True):
        """The customer's points account in ``program``, opened on first use."""
        partner = partner.commercial_partner_id if partner.is_company else partner
        domain = [("partner_id", "=", partner.id), ("program_id", "=", program.id)]
        card = self.sudo().search(domain, limit=1)
        if card or not create:
            return card
        # two tills opening the same customer's account at once: the second one's
        # update fails to serialise and its request is retried, and then finds the card
        self.env.cr.execute("UPDATE res_partner SET id = id WHERE id = %s", [partner.id])
        return (
            self.sudo()
            .with_context(scs_loyalty_post=True)
            .create({"program_id": program.id, "partner_id": partner.id})
        )

    def _scs_expiry_for(self, day):
        months = self.program_id.scs_validity_months
        return day + relativedelta(months=months) if months else False

    # -- posting -----------------------------------------------------------------

    def _scs_lock(self):
        """Serialise every change of this account: a second till spending the same
        balance waits here, then fails to serialise and its request is retried."""
        self.env.cr.execute(
            "SELECT id FROM loyalty_card WHERE id IN %s FOR UPDATE", [tuple(self.ids)]
        )
        self.invalidate_recordset(["scs_balance", "points"])

    def _scs_existing(self, key, amount):
        entry = self.env["scs.loyalty.entry"].sudo().search([("key", "=", key)], limit=1)
        if entry and (entry.card_id != self or dec(entry.amount) != amount):
            raise UserError(
                self.env._("Loyalty operation %(key)s was already recorded differently.", key=key)
            )
        return entry

    def _scs_value(self, amount):
        if self.scs_kind == "points":
            return ledger.points_money(amount, Decimal(str(self.program_id.scs_point_value)))
        return amount

    @staticmethod
    def _scs_vat_of(lot, taken):
        """The VAT of ``taken`` of a certificate lot, so that the parts add up to its VAT."""
        if not lot.vat_amount or not lot.amount:
            return Decimal(0)
        return (dec(lot.vat_amount) * taken / dec(lot.amount)).quantize(KOPECK, ROUND_HALF_UP)

    def _scs_take(self, lot, amount):
        """Take ``amount`` (negative: give back) from ``lot``; returns the take's values."""
        remaining = dec(lot.remaining)
        taken_before = dec(lot.amount) - remaining
        vat = self._scs_vat_of(lot, taken_before + amount) - self._scs_vat_of(lot, taken_before)
        lot.with_context(scs_loyalty_post=True).remaining = float(remaining - amount)
        return {"lot_id": lot.id, "amount": float(amount), "vat_amount": float(vat)}

    def _scs_write(self, kind, amount, key, day, takes=(), **values):
        balance = dec(self.scs_balance) + amount
        entry_values = {
            "key": key,
            "card_id": self.id,
            "kind": kind,
            "day": day,
            "amount": float(amount),
            "balance": float(balance),
            "value": float(self._scs_value(amount)),
            "take_ids": [fields.Command.create(take) for take in takes],
            **values,
        }
        if kind in CREDIT_KINDS and amount > 0:
            entry_values["remaining"] = float(amount)
        entry = (
            self.env["scs.loyalty.entry"]
            .sudo()
            .with_context(scs_loyalty_post=True)
            .create(entry_values)
        )
        state = self.scs_state
        if self.scs_kind in MONEY_KINDS and state == "active" and balance <= 0:
            state = "used"
        elif self.scs_kind in MONEY_KINDS and state == "used" and balance > 0:
            state = "active"
        self.sudo().with_context(scs_loyalty_post=True, tracking_disable=True).write(
            {"scs_balance": float(balance), "points": float(balance), "scs_state": state}
        )
        return entry

    def _scs_credit(self, kind, amount, key, day, expires=None, **values):
        """Add a lot of ``amount`` (a sale, an issue, an accrual) valid until ``expires``."""
        self.ensure_one()
        amount = dec(amount)
        if amount <= 0:
            raise ValidationError(self.env._("A credit must be more than zero."))
        existing = self._scs_existing(key, amount)
        if existing:
            return existing
        self._scs_lock()
        if expires is None:
            expires = self._scs_expiry_for(day)
        return self._scs_write(kind, amount, key, day, expires=expires or False, **values)

    def _scs_debit(self, kind, amount, key, day, allow_negative=False, **values):
        """Spend ``amount`` first-in first-out from the lots usable on ``day``.

        ``allow_negative``: what the lots lack still leaves the account (a reversal
        of points already spent), and the balance goes below zero."""
        self.ensure_one()
        amount = dec(amount)
        if amount <= 0:
            raise ValidationError(self.env._("A debit must be more than zero."))
        existing = self._scs_existing(key, -amount)
        if existing:
            return existing
        self._scs_lock()
        lots = self._scs_lots()
        engine_lots = self._scs_engine_lots(lots)
        wanted = amount
        if allow_negative:
            wanted = min(amount, ledger.usable(engine_lots, day))
        try:
            plan = ledger.consume(engine_lots, wanted, day) if wanted > 0 else []
        except ledger.LoyaltyError:
            raise UserError(
                self.env._(
                    "%(card)s has %(available)s left to spend, not %(amount)s.",
                    card=self.scs_code_display or self.code,
                    available=ledger.usable(engine_lots, day),
                    amount=amount,
                )
            ) from None
        by_id = {lot.id: lot for lot in lots}
        takes = [self._scs_take(by_id[lot_id], taken) for lot_id, taken in plan]
        return self._scs_write(kind, -amount, key, day, takes=takes, **values)

    def _scs_recredit(self, source, amount, key, day, **values):
        """Give back ``amount`` of the ``source`` debit to the lots it took from, the
        last taken first (a refund of a redemption restores the same certificate)."""
        self.ensure_one()
        amount = dec(amount)
        existing = self._scs_existing(key, amount)
        if existing:
            return existing
        self._scs_lock()
        Take = self.env["scs.loyalty.take"].sudo()
        given = {}
        for take in Take.search([("entry_id.source_entry_id", "=", source.id)]):
            given[take.lot_id.id] = given.get(take.lot_id.id, Decimal(0)) - dec(take.amount)
        left = amount
        takes = []
        for take in source.take_ids.sorted("id", reverse=True):
            room = dec(take.amount) - given.get(take.lot_id.id, Decimal(0))
            back = min(room, left)
            if back > 0:
                takes.append(self._scs_take(take.lot_id, -back))
                left -= back
        if left > 0:
            raise UserError(
                self.env._(
                    "%(amount)s is more than what is left to give back of %(entry)s.",
                    amount=amount,
                    entry=source.key,
                )
            )
        return self._scs_write(
            "recredit", amount, key, day, takes=takes, source_entry_id=source.id, **values
        )

    def _scs_expire(self, lot, day):
        """Write off what is left of an expired ``lot``."""
        self.ensure_one()
        key = f"expire:{lot.id}"
        existing = self.env["scs.loyalty.entry"].sudo().search([("key", "=", key)], limit=1)
        if existing:
            return existing
        self._scs_lock()
        lot.invalidate_recordset(["remaining"])
        remaining = dec(lot.remaining)
        if remaining <= 0:
            return self.env["scs.loyalty.entry"]
        take = self._scs_take(lot, remaining)
        entry = self._scs_write("expiry", -remaining, key, day, takes=[take])
        if self.scs_kind in MONEY_KINDS and dec(self.scs_balance) <= 0:
            self.sudo().with_context(scs_loyalty_post=True).scs_state = "expired"
        return entry

    def init(self):
        # one points account per customer and program (certificates are many)
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS loyalty_card_scs_points_account_active_uniq
                ON loyalty_card (program_id, partner_id) WHERE scs_kind = 'points' AND active
            """
        )

    # -- the POS -------------------------------------------------------------------

    @api.model
    def scs_pos_lookup(self, config_id, method_id, code=None, partner_id=None, order_total=0):
        """What a loyalty payment line may spend: the card of ``code`` (certificate,
        voucher) or the customer's points account, its balance and, for points, the
        most this order may be paid with. Raises a clear error otherwise."""
        config = self.env["pos.config"].browse(config_id)
        config.check_access("read")
        method = config.payment_method_ids.filtered(lambda m: m.id == method_id)
        program = method.scs_loyalty_program_id
        if not program:
            raise UserError(self.env._("This payment method takes no certificates or points."))
        day = fields.Datetime.context_timestamp(
            self.with_context(tz=config.scs_office_id.tz or "Europe/Moscow"),
            fields.Datetime.now(),
        ).date()
        if program.scs_kind == "points":
            partner = self.env["res.partner"].browse(partner_id).exists()
            if not partner:
                raise UserError(self.env._("Choose the customer whose points pay."))
            card = self._scs_points_account(partner, program, create=False)
            if not card:
                raise UserError(
                    self.env._("%(partner)s has no bonus points yet.", partner=partner.name)
                )
        else:
            card = self._scs_find(code, kinds=(program.scs_kind,))
            if card.program_id != program:
                raise UserError(
                    self.env._(
                        "%(card)s is not taken by %(method)s.",
                        card=card.scs_code_display,
                        method=method.name,
                    )
                )
        if card.scs_state != "active" or not card.active:
            raise UserError(
                self.env._(
                    "%(card)s is %(state)s.",
                    card=card.scs_code_display,
                    state=dict(self._fields["scs_state"].selection)[card.scs_state],
                )
            )
        lots = card._scs_lots()
        usable = ledger.usable(card._scs_engine_lots(lots), day)
        result = {
            "card_id": card.id,
            "code": card.scs_code_display,
            "kind": card.scs_kind,
            "program": program.name,
            "partner_id": card.partner_id.id,
            "partner": card.partner_id.name or "",
            "balance": float(usable),
            "expires": fields.Date.to_string(
                min((lot.expires for lot in lots if lot.expires), default=False)
            )
            or "",
            "spendable": float(usable),
        }
        if program.scs_kind == "points":
            total = Decimal(str(order_total or 0)).quantize(KOPECK)
            cap = (
                ledger.redemption_cap(
                    total,
                    usable,
                    Decimal(str(program.scs_max_share)),
                    dec(program.scs_min_balance),
                    Decimal(str(program.scs_point_value)),
                )
                if total > 0
                else ledger.Cap(0, Decimal(0))
            )
            result.update(
                points=cap.points, spendable=float(cap.money), point_value=program.scs_point_value
            )
        return result

    def _scs_merge_in(self, sources):
        """Move the balance of the points accounts ``sources`` into this one (partner
        merge): each open lot keeps its day and expiry, so first-in first-out and the
        expiry job treat it as before; a negative balance follows the customer too."""
        self.ensure_one()
        day = fields.Date.context_today(self)
        for source in sources:
            prefix = f"merge:{source.id}>{self.id}"
            for lot in source._scs_lots():
                amount = dec(lot.remaining)
                source._scs_debit(
                    "merge_out", amount, f"{prefix}:out:{lot.id}", day, note=self.code
                )
                self._scs_credit(
                    "merge_in",
                    amount,
                    f"{prefix}:in:{lot.id}",
                    lot.day,
                    expires=lot.expires or False,
                    note=source.code,
                )
            debt = -dec(source.scs_balance)
            if debt > 0:
                source._scs_lock()
                source._scs_write("merge_out", debt, f"{prefix}:debt-out", day, note=self.code)
                self._scs_debit(
                    "merge_in",
                    debt,
                    f"{prefix}:debt-in",
                    day,
                    allow_negative=True,
                    note=source.code,
                )
            source.with_context(scs_loyalty_post=True).active = False
