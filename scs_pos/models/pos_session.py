# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from decimal import Decimal

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..engine import cashbook
from ..engine.agent import split_agent_amount
from ..engine.money import from_kopecks, general_vat_rate, to_kopecks, vat_included


class PosSession(models.Model):
    _inherit = "pos.session"

    scs_difference_approved_by_id = fields.Many2one(
        "res.users",
        string="Cash Difference Approved By",
        readonly=True,
        help="The manager who accepted a cash count difference above the office's threshold.",
    )
    scs_office_id = fields.Many2one(
        "scs.office",
        string="Sales Office",
        related="config_id.scs_office_id",
        store=True,
        index=True,
    )
    # a shift that crosses local midnight belongs, in reports and the dashboard, to
    # the office's day on which it was opened
    scs_business_day = fields.Date(
        string="Business Day",
        compute="_compute_scs_business_day",
        store=True,
        index=True,
        help="The office's local day on which the session was opened.",
    )

    @api.depends("start_at", "create_date", "config_id.scs_office_id.tz")
    def _compute_scs_business_day(self):
        for session in self:
            moment = session.start_at or session.create_date or fields.Datetime.now()
            tz = session.config_id.scs_office_id.tz or session.user_id.tz or "Europe/Moscow"
            session.scs_business_day = cashbook.local_day(moment, pytz.timezone(tz))

    def _load_pos_data_models(self, config_id):
        return super()._load_pos_data_models(config_id) + [
            "scs.service.bundle",
            "scs.service.bundle.line",
            "scs.cash.reason",
        ]

    def _load_pos_data(self, data):
        result = super()._load_pos_data(data)
        # Odoo lets only invoicing users move cash; at an office's desk the cashier
        # does, since each move is a cash order (try_cash_in_out checks the session)
        if self.config_id.scs_office_id and self.env.user.has_group("scs_pos.group_scs_cashier"):
            for session in result["data"]:
                session["_has_cash_move_perm"] = True
        return result

    # -- cash counts: a reason for every difference, a manager above the threshold -----

    def _scs_count_check(self, difference, notes, when, ask=False):
        """The refusal (a message) of a cash count ``difference``, or None.

        ``ask``: a refusal for want of a manager leaves a request on the managers'
        dashboard; once approved for this difference, the same count passes."""
        office = self.config_id.scs_office_id
        if not office or self.currency_id.is_zero(difference):
            return None
        shown = self.currency_id.format(difference)
        if not (notes or "").strip():
            return self.env._(
                "The %(when)s cash count differs by %(difference)s: say why.",
                when=when,
                difference=shown,
            )
        threshold = office.scs_cash_difference_threshold
        manager = self.env.user
        if abs(difference) > threshold and not manager.has_group("scs_pos.group_scs_manager"):
            approved = self._scs_difference_request("approved", difference)
            if approved:
                self.sudo().scs_difference_approved_by_id = approved.decided_by_id
                return None
            problem = self.env._(
                "The %(when)s cash count differs by %(difference)s, more than %(office)s "
                "allows without a manager (%(threshold)s): a manager must approve it.",
                when=when,
                difference=shown,
                office=office.name,
                threshold=self.currency_id.format(threshold),
            )
            if ask:
                self.env["scs.approval.request"]._ask(
                    self.config_id, "cash_difference", difference, notes, session=self
                )
                problem += " " + self.env._(
                    "The request waits on the managers' dashboard; close again once approved."
                )
            return problem
        if abs(difference) > threshold:
            self.sudo().message_post(
                body=self.env._(
                    "%(manager)s approved the %(when)s cash difference of %(difference)s: "
                    "%(notes)s",
                    manager=self.env.user.name,
                    when=when,
                    difference=shown,
                    notes=notes,
                )
            )
            self.sudo().scs_difference_approved_by_id = self.env.user
        return None

    def _scs_difference_request(self, state, difference):
        """This session's cash-difference request in ``state`` for exactly ``difference``."""
        requests = (
            self.env["scs.approval.request"]
            .sudo()
            .search(
                [
                    ("session_id", "=", self.id),
                    ("kind", "=", "cash_difference"),
                    ("state", "=", state),
                ]
            )
        )
        return requests.filtered(lambda r: self.currency_id.is_zero(r.amount - difference))[:1]

    def action_pos_session_open(self):
        """A desk's first session expects the cash its cash book opened with (an office
        moved onto SCS brings its cash), not zero."""
        first = self.filtered(
            lambda s: s.state == "opening_control"
            and s.config_id.cash_control
            and not s.rescue
            and not self.search_count(
                [("config_id", "=", s.config_id.id), ("id", "!=", s.id)], limit=1
            )
        )
        result = super().action_pos_session_open()
        Sheet = self.env["scs.cash.book.day"].sudo()
        for session in first:
            sheet = Sheet.search(
                [("config_id", "=", session.config_id.id)], order="day desc", limit=1
            )
            if sheet:
                session.cash_register_balance_start = sheet.closing
        return result

    def set_opening_control(self, cashbox_value, notes):
        if self.state == "opening_control" and self.config_id.cash_control:
            problem = self._scs_count_check(
                cashbox_value - self.cash_register_balance_start, notes, self.env._("opening")
            )
            if problem:
                raise UserError(problem)
        return super().set_opening_control(cashbox_value, notes)

    def post_closing_cash_details(self, counted_cash):
        self.ensure_one()
        if self.config_id.cash_control and self.config_id.scs_office_id:
            difference = counted_cash - self.cash_register_balance_end
            office = self.config_id.scs_office_id
            if abs(difference) > office.scs_cash_difference_threshold and not (
                self.env.user.has_group("scs_pos.group_scs_manager")
            ):
                # the reason comes with the closing notes; the manager is needed now
                problem = self._scs_count_check(
                    difference, self.env._("Closing count"), self.env._("closing"), ask=True
                )
                if problem:
                    return {"successful": False, "message": problem, "redirect": False}
        return super().post_closing_cash_details(counted_cash)

    def close_session_from_ui(self, bank_payment_method_diff_pairs=None):
        if self.config_id.cash_control and self.state != "closed":
            # its inputs may have changed in this transaction: Odoo's compute misses them
            self.invalidate_recordset(["cash_register_balance_end", "cash_register_difference"])
            problem = self._scs_count_check(
                self.cash_register_difference,
                self.closing_notes,
                self.env._("closing"),
                ask=True,
            )
            if problem:
                return {"successful": False, "message": problem, "redirect": False}
        return super().close_session_from_ui(bank_payment_method_diff_pairs)

    def _post_statement_difference(self, amount):
        """A surplus found at the count is taken in by a KO-1, a shortage leaves the
        cash book by a KO-2 naming the cashier who answers for it."""
        move = {
            "reason": self.closing_notes or "",
            "count": True,
            "counterparty": self.user_id.name if amount < 0 else "",
        }
        return super(PosSession, self.with_context(scs_cash_order=move))._post_statement_difference(
            amount
        )

    def try_cash_in_out(self, _type, amount, reason, extras):
        """Cash in or out of the desk; its cash order (KO-1, KO-2) is issued with the
        statement line, or neither is written."""
        extras = extras or {}
        move = {
            "reason": reason,
            "reason_code": extras.get("scs_reason_code"),
            "counterparty": extras.get("scs_counterparty"),
        }
        # the desk's cashier may move its cash; the journal items are written for them
        # (create_uid stays the cashier's), as the session's sales are at closing
        sessions = self.with_context(scs_cash_order=move)
        if all(session.config_id.scs_office_id for session in self):
            self.check_access("write")
            sessions = sessions.sudo()
        return super(PosSession, sessions).try_cash_in_out(_type, amount, reason, extras)

    # -- session close: revenue per service, agent sums to 76.05, analytics ------------

    def _accumulate_amounts(self, data):
        if not self.config_id.scs_office_id:
            return super()._accumulate_amounts(data)
        # An office's cash desk posts per service with analytics, and agent lines
        # to the principal: the sales and tax groups are built here. Odoo's own
        # computation of them is skipped (it would be thrown away), except with
        # cash rounding, whose difference Odoo derives from it.
        skip = not self.config_id.cash_rounding
        data = super(PosSession, self.with_context(scs_skip_sales=skip))._accumulate_amounts(data)
        data.update(self._scs_sales_and_taxes())
        return data

    def _scs_sales_and_taxes(self):
        AccountTax = self.env["account.tax"]
        company = self.company_id
        sales = defaultdict(lambda: {"amount": 0.0, "amount_converted": 0.0})
        taxes = defaultdict(
            lambda: {
                "amount": 0.0,
                "amount_converted": 0.0,
                "base_amount": 0.0,
                "base_amount_converted": 0.0,
            }
        )
        orders = self._get_closed_orders().filtered(lambda o: not o.is_invoiced)
        # looked up once per session, not per line
        employee_accounts = self._scs_employee_accounts(orders)
        for order in orders:
            base_lines = order.with_context(
                linked_to_pos=True, scs_skip_sales=False
            )._prepare_tax_base_line_values()
            own = [bl for bl in base_lines if bl["record"].product_id.scs_service_kind != "agent"]
            agent = [bl for bl in base_lines if bl["record"].product_id.scs_service_kind == "agent"]
            if own:
                AccountTax._add_tax_details_in_base_lines(own, company)
                AccountTax._round_base_lines_tax_details(own, company)
                AccountTax._add_accounting_data_in_base_lines_tax_details(
                    own, company, include_caba_tags=True
                )
                tax_results = AccountTax._prepare_tax_lines(own, company)
                for base_line, to_update in tax_results["base_lines_to_update"]:
                    product = base_line["product_id"]
                    key = (
                        base_line["account_id"].id,
                        -1 if base_line["is_refund"] else 1,
                        tuple(
                            base_line["record"]
                            .tax_ids_after_fiscal_position.flatten_taxes_hierarchy()
                            .ids
                        ),
                        tuple(base_line["tax_tag_ids"].ids),
                        product.id,
                        self._scs_analytic_key(order, product, employee_accounts),
                        False,
                    )
                    self._scs_add(
                        sales, key, to_update["amount_currency"], order, base_line["quantity"]
                    )
                for tax_line in tax_results["tax_lines_to_add"]:
                    tax_key = (
                        tax_line["account_id"],
                        tax_line["tax_repartition_line_id"],
                        tuple(tax_line["tax_tag_ids"][0][2]),
                    )
                    taxes[tax_key] = self._update_amounts(
                        taxes[tax_key],
                        {
                            "amount": tax_line["amount_currency"],
                            "base_amount": tax_line["tax_base_amount"],
                        },
                        order.date_order,
                    )
            for base_line in agent:
                self._scs_post_agent_line(order, base_line, sales, taxes, employee_accounts)
        return {"sales": sales, "taxes": taxes}

    def _scs_add(self, sales, key, amount, order, quantity):
        sales[key] = self._update_amounts(sales[key], {"amount": amount}, order.date_order)
        sales[key] = self._update_quantities(sales[key], quantity)

    def _scs_employee_accounts(self, orders):
        """Cashier (user) -> the analytic account of their employee in this company."""
        employees = (
            self.env["hr.employee"]
            .sudo()
            .search(
                [("user_id", "in", orders.user_id.ids), ("company_id", "=", self.company_id.id)]
            )
        )
        return {e.user_id.id: e.scs_analytic_account_id for e in employees}

    def _scs_analytic_key(self, order, product, employee_accounts, supplier=None):
        """Analytic distribution key over Office, Employee, Service and Supplier."""
        accounts = (
            order.session_id.config_id.scs_office_id.analytic_account_id
            | employee_accounts.get(order.user_id.id, self.env["account.analytic.account"])
            | product.scs_analytic_service_id
            | (
                supplier.scs_analytic_account_id
                if supplier
                else self.env["account.analytic.account"]
            )
        )
        return ",".join(str(i) for i in sorted(accounts.ids)) or False

    def _scs_agent_payable_account(self):
        account = self.company_id.scs_agent_payable_account_id
        if not account and self.company_id.chart_template == "ru_scs":
            account = (
                self.env["account.chart.template"]
                .with_company(self.company_id)
                .ref("ru_76_05", raise_if_not_found=False)
            )
            self.company_id.sudo().scs_agent_payable_account_id = account
        if not account:
            raise UserError(
                _(
                    "Set the account for settlements with principals (76.05) of %(company)s "
                    "in the Point of Sale settings before closing a session with agent sales.",
                    company=self.company_id.name,
                )
            )
        return account

    def _scs_commission_tax(self, day):
        """The price-included sale VAT at the general rate in force on ``day``."""
        rate = general_vat_rate(day)
        tax = self.env["account.tax"].search(
            [
                *self.env["account.tax"]._check_company_domain(self.company_id),
                ("type_tax_use", "=", "sale"),
                ("amount_type", "=", "percent"),
                ("amount", "=", rate),
                ("price_include", "=", True),
            ],
            limit=1,
        )
        if not tax:
            raise UserError(
                _(
                    "No price-included sale tax of %(rate)s%% exists for the agent commission "
                    "of %(company)s.",
                    rate=rate,
                    company=self.company_id.name,
                )
            )
        return tax

    def _scs_post_agent_line(self, order, base_line, sales, taxes, employee_accounts):
        """An agent line belongs to its principal (76.05) but for the commission.

        The commission is the agent's revenue and carries the agent's own VAT at the
        general rate; the principal's VAT is not the agent's and is not posted.
        """
        line = base_line["record"]
        product = line.product_id
        supplier = product.scs_supplier_id
        day = fields.Date.context_today(self, order.date_order)
        percent = self._scs_commission_percent(supplier, day)
        # sales are credits: negative in the session's move, refunds positive
        total = -to_kopecks(Decimal(str(line.price_subtotal_incl)))
        commission, principal = split_agent_amount(total, percent)
        sign = 1 if total <= 0 else -1
        analytic = self._scs_analytic_key(order, product, employee_accounts, supplier)
        if principal:
            key = (
                self._scs_agent_payable_account().id,
                sign,
                (),
                (),
                product.id,
                analytic,
                supplier.id,
            )
            self._scs_add(sales, key, float(from_kopecks(principal)), order, base_line["quantity"])
        if not commission:
            return
        tax = self._scs_commission_tax(day)
        vat = vat_included(abs(commission), int(tax.amount)) * (1 if commission > 0 else -1)
        revenue = commission - vat
        document_type = "refund" if sign == -1 else "invoice"
        base_tags = tax.repartition_line_ids.filtered(
            lambda r: r.repartition_type == "base" and r.document_type == document_type
        ).tag_ids
        key = (
            base_line["account_id"].id,
            sign,
            tuple(tax.ids),
            tuple(base_tags.ids),
            product.id,
            analytic,
            False,
        )
        self._scs_add(sales, key, float(from_kopecks(revenue)), order, base_line["quantity"])
        repartition = tax.repartition_line_ids.filtered(
            lambda r: r.repartition_type == "tax" and r.document_type == document_type
        )[:1]
        tax_key = (repartition.account_id.id, repartition.id, tuple(repartition.tag_ids.ids))
        taxes[tax_key] = self._update_amounts(
            taxes[tax_key],
            {"amount": float(from_kopecks(vat)), "base_amount": float(from_kopecks(revenue))},
            order.date_order,
        )

    def _scs_commission_percent(self, supplier, day):
        Contract = self.env["scs.agent.contract"].sudo()
        try:
            return Contract._commission_percent(supplier, self.company_id, day)
        except UserError as err:
            # a session must close 24/7: without a contract the whole sum is owed
            # to the principal, and the gap is left in the session's chatter
            self.message_post(
                body=_(
                    "No agent commission was taken for %(supplier)s on %(day)s: %(error)s",
                    supplier=supplier.display_name,
                    day=day,
                    error=err.args[0],
                )
            )
            return Decimal(0)

    def _get_sale_vals(self, key, sale_vals):
        if len(key) != 7:
            return super()._get_sale_vals(key, sale_vals)
        account_id, sign, tax_ids, tag_ids, product_id, analytic, partner_id = key
        vals = super()._get_sale_vals((account_id, sign, tax_ids, tag_ids, product_id), sale_vals)
        if analytic:
            vals["analytic_distribution"] = {analytic: 100}
        if partner_id:
            partner = self.env["res.partner"].browse(partner_id)
            vals["partner_id"] = partner_id
            vals["name"] = _("Due to principal %(partner)s", partner=partner.display_name)
        return vals
