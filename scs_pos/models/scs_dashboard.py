# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.osv import expression

from ..engine import cashbook

PAID = ("paid", "done", "invoiced")


class ScsDashboard(models.AbstractModel):
    """The manager's workplace: what needs a person in their offices, and today's figures.

    Every tile is a domain on the records behind it, counted with the manager's
    own rights: the number shown is the length of the list the tile opens.
    Add-ons add their tiles by extending ``_scs_tiles``.
    """

    _name = "scs.dashboard"
    _description = "Manager's Dashboard"

    # -- offices ----------------------------------------------------------------------

    @api.model
    def _scs_scope(self, office_ids=None):
        """(offices shown, every office of the user?, the offices the user may see)."""
        user = self.env.user
        if not user.has_group("scs_pos.group_scs_manager"):
            raise AccessError(self.env._("The dashboard is for managers."))
        Office = self.env["scs.office"]
        head_office = user.has_group("scs_pos.group_scs_head_office")
        allowed = Office.search([]) if head_office else Office.browse(user._scs_office_ids())
        allowed = allowed.exists().filtered("active")
        if not office_ids:
            return allowed, head_office, allowed
        chosen = Office.browse(office_ids).exists()
        if chosen - allowed:
            raise AccessError(
                self.env._(
                    "%(user)s does not run %(offices)s.",
                    user=user.name,
                    offices=", ".join((chosen - allowed).mapped("name")),
                )
            )
        return chosen, False, allowed

    @api.model
    def _scs_today(self, office):
        return cashbook.local_day(fields.Datetime.now(), pytz.timezone(office.tz or "UTC"))

    @api.model
    def _scs_by_office_day(self, offices, field, office_field, shift=0):
        """``field`` on each office's own local today (+ ``shift`` days), as one domain."""
        by_day = defaultdict(list)
        for office in offices:
            by_day[self._scs_today(office) + timedelta(days=shift)].append(office.id)
        return expression.OR(
            [[(office_field, "in", ids), (field, "=", day)] for day, ids in by_day.items()]
            or [expression.FALSE_DOMAIN]
        )

    # -- tiles ------------------------------------------------------------------------

    @api.model
    def _scs_tiles(self, offices, everything):
        """The tiles: dicts of key, label, model, domain, sequence, help.

        ``everything``: head office looking at all offices, so records of no
        office (an acquirer's case without a desk) count too."""
        now = fields.Datetime.now()
        by_hours = defaultdict(list)
        for office in offices:
            by_hours[office.scs_session_max_hours or 14].append(office.id)
        long_sessions = expression.OR(
            [
                [("scs_office_id", "in", ids), ("start_at", "<", now - timedelta(hours=hours))]
                for hours, ids in by_hours.items()
            ]
            or [expression.FALSE_DOMAIN]
        )
        return [
            {
                "key": "approvals",
                "label": self.env._("Approvals waiting"),
                "help": self.env._("Discounts, refunds and cash differences a cashier asked for."),
                "model": "scs.approval.request",
                "domain": [("state", "=", "waiting"), ("office_id", "in", offices.ids)],
                "sequence": 10,
            },
            {
                "key": "long_sessions",
                "label": self.env._("Sessions open too long"),
                "help": self.env._("Still open longer than the office allows."),
                "model": "pos.session",
                "domain": expression.AND([[("state", "!=", "closed")], long_sessions]),
                "sequence": 40,
            },
            {
                "key": "cash_limit",
                "label": self.env._("Cash above the limit"),
                "help": self.env._("Cash book days of yesterday and today closed above the limit."),
                "model": "scs.cash.book.day",
                "domain": expression.AND(
                    [
                        [("over_limit", ">", 0)],
                        expression.OR(
                            [
                                self._scs_by_office_day(offices, "day", "office_id", -1),
                                self._scs_by_office_day(offices, "day", "office_id"),
                            ]
                        ),
                    ]
                ),
                "sequence": 50,
            },
        ]

    @api.model
    def _scs_tile(self, key, offices, everything):
        for tile in self._scs_tiles(offices, everything):
            if tile["key"] == key:
                return tile
        raise AccessError(self.env._("No such tile: %(key)s", key=key))

    # -- today's figures ----------------------------------------------------------------

    @api.model
    def _scs_figures(self, offices):
        """Today's figures of ``offices``, each on its own local day, from the sales."""
        orders_domain = expression.AND(
            [
                [("state", "in", PAID)],
                self._scs_by_office_day(offices, "scs_business_day", "scs_office_id"),
            ]
        )
        Order = self.env["pos.order"]
        orders = Order.search_count(orders_domain)
        sales = Order.search_count(expression.AND([orders_domain, [("amount_total", ">", 0)]]))
        one_click = Order.search_count(
            expression.AND(
                [orders_domain, [("amount_total", ">", 0), ("scs_one_click", "=", True)]]
            )
        )
        timed = Order._read_group(
            expression.AND([orders_domain, [("scs_booking_lookup_at", "!=", False)]]),
            [],
            ["scs_seconds_to_pay:avg", "__count"],
        )
        average, timed_count = timed[0] if timed else (0, 0)
        lines_domain = expression.AND(
            [
                [("state", "in", PAID)],
                self._scs_by_office_day(offices, "business_day", "office_id"),
            ]
        )
        Report = self.env["scs.sales.report"]
        by_service = Report._read_group(
            lines_domain,
            ["product_id"],
            ["amount_total:sum", "qty:sum"],
            order="amount_total:sum desc",
        )
        by_employee = Report._read_group(
            lines_domain,
            ["user_id"],
            ["amount_total:sum", "order_id:count_distinct"],
            order="amount_total:sum desc",
        )
        currency = offices[:1].currency_id or self.env.company.currency_id
        return {
            "orders": orders,
            "sales_total": currency.round(sum(total for _p, total, _q in by_service)),
            "average_seconds": round(average or 0) if timed_count else None,
            "timed_orders": timed_count,
            "one_click_share": round(100.0 * one_click / sales, 1) if sales else None,
            "by_service": [
                {"id": product.id, "name": product.display_name, "total": total, "qty": qty}
                for product, total, qty in by_service
            ],
            "by_employee": [
                {"id": user.id or 0, "name": user.name or "-", "total": total, "orders": count}
                for user, total, count in by_employee
            ],
            "currency_id": currency.id,
        }

    # -- client action --------------------------------------------------------------------

    @api.model
    def get_data(self, office_ids=None):
        """What the dashboard shows for ``office_ids`` (none: all the user's offices)."""
        offices, everything, allowed = self._scs_scope(office_ids)
        head_office = self.env.user.has_group("scs_pos.group_scs_head_office")
        tiles = []
        for tile in sorted(self._scs_tiles(offices, everything), key=lambda t: t["sequence"]):
            tiles.append(
                {
                    "key": tile["key"],
                    "label": tile["label"],
                    "help": tile.get("help", ""),
                    "count": self.env[tile["model"]].search_count(tile["domain"]),
                }
            )
        return {
            "offices": [
                {"id": o.id, "name": o.name, "tz": o.tz, "today": str(self._scs_today(o))}
                for o in allowed
            ],
            "selected": offices.ids if office_ids else [],
            "head_office": head_office,
            "tiles": tiles,
            "figures": self._scs_figures(offices),
        }

    @api.model
    def open_tile(self, key, office_ids=None):
        """The list behind a tile: the same domain it was counted with."""
        offices, everything, _allowed = self._scs_scope(office_ids)
        tile = self._scs_tile(key, offices, everything)
        return {
            "type": "ir.actions.act_window",
            "name": tile["label"],
            "res_model": tile["model"],
            "domain": tile["domain"],
            "views": [(False, "list"), (False, "form")],
            "target": "current",
            "context": {"create": False},
        }
