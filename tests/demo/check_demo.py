"""Checks of the demo database, run by ./scs test inside ``odoo-bin shell``.

The Odoo tests never rely on demo data; these checks are about the demo data
itself: what a newcomer sees after ``./scs demo``. Each check prints one line
``DEMO-CHECK ok|fail <name>: <detail>``.
"""

import datetime

# ``env`` is provided by odoo-bin shell.
# pylint: disable=undefined-variable


def _check(name, condition, detail=""):
    status = "ok" if condition else "fail"
    print(f"DEMO-CHECK {status} {name}: {detail}")  # noqa: T201


def run(env):
    ref = env.ref
    company = ref("scs_pos.scs_company_demo")
    chart = env["account.chart.template"].with_company(company)
    _check(
        "company in RUB with the SCS chart",
        company.currency_id.name == "RUB" and company.chart_template == "ru_scs",
        company.currency_id.name,
    )
    codes = ["50.01", "51", "57.03", "62.01", "62.02", "76.05", "90.01", "90.03", "91.02", "98.01"]
    found = set(
        env["account.account"]
        .with_company(company)
        .search([("company_ids", "in", company.id)])
        .mapped("code")
    )
    _check("Russian account codes", set(codes) <= found, sorted(set(codes) - found))
    offices = {
        ref("scs_pos.office_irk_demo"): "Asia/Irkutsk",
        ref("scs_pos.office_msk_demo"): "Europe/Moscow",
    }
    for office, tz in offices.items():
        # an office's desk; a mobile terminal at its gate comes on top
        config = office.pos_config_ids.filtered(lambda c: not c.scs_mobile)
        _check(
            f"office {office.code}",
            office.tz == tz
            and office.analytic_account_id
            and len(config) == 1
            and office.manager_id
            and office.user_ids,
            f"{office.tz}, {config.name}",
        )
        # certificates, vouchers and points have bank-type journals of their own
        methods = config.payment_method_ids.filtered(
            lambda m: m.scs_tender_kind in ("cash", "card")
        )
        journals = methods.journal_id
        _check(
            f"office {office.code} cash and card journals",
            sorted(journals.mapped("type")) == ["bank", "cash"],
            journals.mapped("name"),
        )
        card = journals.filtered(lambda j: j.type == "bank")
        _check(
            f"office {office.code} card journal posts to 57.03",
            card.default_account_id == chart.ref("ru_57_03"),
            "",
        )
    roles = {
        "irk.cashier": "scs_pos.group_scs_cashier",
        "mow.cashier": "scs_pos.group_scs_cashier",
        "irk.manager": "scs_pos.group_scs_manager",
        "mow.manager": "scs_pos.group_scs_manager",
        "accountant": "scs_pos.group_scs_accountant",
        "scs.admin": "scs_pos.group_scs_admin",
        "head.office": "scs_pos.group_scs_head_office",
    }
    for login, group in roles.items():
        user = env["res.users"].search([("login", "=", login)])
        _check(f"login {login}", user and user.has_group(group), group)
    services = env["product.template"].search(
        [("scs_service_kind", "!=", False), ("company_id", "=", company.id)]
    )
    own = services.filtered(lambda p: p.scs_service_kind == "own")
    agent = services.filtered(lambda p: p.scs_service_kind == "agent")
    _check("own services", len(own) >= 4, own.mapped("name"))
    _check(
        "agent services of two suppliers with INN",
        len(agent.scs_supplier_id) == 2 and all(agent.scs_supplier_id.mapped("vat")),
        agent.scs_supplier_id.mapped("vat"),
    )
    contracts = env["scs.agent.contract"]
    for supplier in agent.scs_supplier_id:
        percent = contracts._commission_percent(supplier, company, datetime.date(2026, 11, 25))
        _check(f"commission of {supplier.name}", percent > 0, str(percent))
    coded = services.filtered("scs_booking_code").mapped("scs_booking_code")
    _check("booking service codes", {"TKT-INTL", "0B5", "INS"} <= set(coded), sorted(coded))
    endpoint = env["ir.config_parameter"].sudo().get_param("scs_pos.booking_endpoint")
    _check("booking service configured", bool(endpoint), endpoint)
    _check(
        "service analytics",
        all(services.mapped("scs_analytic_service_id")),
        services.filtered(lambda p: not p.scs_analytic_service_id).mapped("name"),
    )
    suppliers = agent.scs_supplier_id.with_company(company)
    _check(
        "supplier analytics",
        all(suppliers.mapped("scs_analytic_account_id")),
        suppliers.mapped("name"),
    )
    cashiers = env["res.users"].search([("login", "in", ["irk.cashier", "mow.cashier"])])
    employees = env["hr.employee"].sudo().search([("user_id", "in", cashiers.ids)])
    _check(
        "cashiers' employee analytics",
        len(employees) == 2 and all(employees.mapped("scs_analytic_account_id")),
        employees.mapped("name"),
    )
    comfort = env.ref("scs_pos.bundle_comfort_demo")
    _check("bundle Comfort", len(comfort.line_ids) == 3, comfort.line_ids.product_id.mapped("name"))
    rates = set(services.taxes_id.mapped(lambda t: (t.amount, t.tax_group_id.name)))
    _check(
        "VAT 22%, 0% and not subject",
        {(22.0, "VAT 22%"), (0.0, "VAT 0%"), (0.0, "Not subject to VAT")} <= rates,
        sorted(rates),
    )
    managers = ref("scs_pos.user_manager_irk_demo") | ref("scs_pos.user_manager_msk_demo")
    _check(
        "managers approve with a PIN",
        all(managers.sudo().mapped("scs_pin_hash"))
        and ref("scs_pos.user_manager_irk_demo")._scs_check_pin("1111") is None,
        managers.mapped("login"),
    )
    gate = ref("scs_fiscal.pos_config_irk_gate_demo")
    _check(
        "mobile gate terminal with a cloud register",
        gate.scs_mobile
        and gate.scs_fiscal_register_id.kind == "cloud"
        and gate.iface_available_categ_ids
        and not gate.payment_method_ids.filtered(lambda m: m.scs_tender_kind == "cash"),
        gate.name,
    )
    # the dashboard: each manager sees their office, head office all of them
    offices = env["scs.office"].search([("company_id", "=", company.id)])
    for login, expected in (
        ("irk.manager", ref("scs_pos.office_irk_demo")),
        ("mow.manager", ref("scs_pos.office_msk_demo")),
        ("head.office", offices),
    ):
        user = env["res.users"].search([("login", "=", login)])
        data = env["scs.dashboard"].with_user(user).with_company(company).get_data([])
        seen = {office["id"] for office in data["offices"]}
        _check(
            f"dashboard of {login}",
            seen == set(expected.ids) and len(data["tiles"]) >= 7,
            f"{sorted(seen)} {[t['key'] for t in data['tiles']]}",
        )
    limit = env["scs.role.limit"]._limit_for(ref("scs_pos.user_cashier_irk_demo"), company)
    _check(
        "cashier's limits: 5% discount, 5,000 refund",
        (limit.max_discount, limit.max_refund) == (5, 5000),
        limit,
    )
    methods = env["pos.payment.method"].search([("company_id", "=", company.id)])
    _check(
        "tender kinds cash, card, certificate, voucher and points; card terminals",
        set(methods.mapped("scs_tender_kind"))
        == {"cash", "card", "certificate", "voucher", "points"}
        and all(methods.filtered(lambda m: m.scs_tender_kind == "card").mapped("scs_terminal_id")),
        methods.mapped(lambda m: (m.name, m.scs_tender_kind)),
    )

    irk = ref("scs_pos.pos_config_irk_demo")
    _check(
        "Irkutsk desk fiscalizes on the cloud register (Moscow clock)",
        irk.scs_fiscal_mode == "cloud" and irk.scs_fiscal_register_id.tz == "Europe/Moscow",
        irk.scs_fiscal_register_id.name,
    )
    msk = ref("scs_pos.pos_config_msk_demo")
    _check(
        "Moscow desk prints on its local register and takes cards through its proxy",
        msk.scs_fiscal_mode == "local"
        and msk.is_posbox
        and msk.proxy_ip
        and len(msk.scs_proxy_token or "") >= 32
        and ref("scs_pos.pm_card_msk_demo").use_payment_terminal == "scs_proxy",
        (msk.scs_fiscal_register_id.name, msk.proxy_ip),
    )
    none = chart.ref("ru_vat_sale_none")
    _check("'not subject to VAT' is told apart on receipts", none.scs_ffd_vat == "none", none.name)
    certificates = ref("scs_loyalty.program_certificate_demo").with_company(company)
    _check(
        "gift certificates are an advance received (62.02), sold as an advance at 22/122",
        certificates.scs_liability_account_id.code == "62.02"
        and certificates.scs_product_id.property_account_income_id.code == "62.02"
        and certificates.scs_product_id.scs_ffd_payment_method == "3"
        and not certificates.pos_ok,
        certificates.scs_product_id.display_name,
    )
    for desk in (irk, msk):
        tenders = desk.payment_method_ids.filtered("scs_loyalty_program_id")
        _check(
            f"{desk.name} takes certificates, vouchers and points, and accrues points",
            set(tenders.mapped("scs_tender_kind")) == {"certificate", "voucher", "points"}
            and all(
                m.outstanding_account_id == m.scs_loyalty_program_id.scs_liability_account_id
                for m in tenders
            )
            and desk.scs_points_program_id == ref("scs_loyalty.program_points_demo"),
            tenders.mapped("name"),
        )

    sber = ref("scs_reconcile.acquirer_sber_demo").with_company(company)
    _check(
        "Sberbank acquiring reads its registries with the shipped profile and posts them",
        sber.profile_id == ref("scs_reconcile.profile_sber")
        and sber.transit_account_id.code == "57.01"
        and sber.dispute_account_id
        and sber.journal_id,
        sber.profile_id.name,
    )
    irkutsk = ref("scs_pos.office_irk_demo").with_company(company)
    _check(
        "the demo offices keep a cash book: limit, count threshold, register accounts",
        irkutsk.scs_cash_limit == 100000
        and irkutsk.scs_cash_sales_account_id.code == "90.01"
        and company.scs_chief_accountant_name
        and env["scs.cash.reason"].search_count([("code", "=", "collection")]),
        irkutsk.name,
    )
    insurer = ref("scs_reconcile.statement_source_insurer_demo").with_company(company)
    _check(
        "the insurer's agent reports are checked with the shipped insurer profile",
        insurer.partner_id == ref("scs_pos.partner_insurer_demo")
        and insurer.profile_id == ref("scs_reconcile.profile_insurer")
        and insurer._scs_writeoff_accounts()[0].code == "76.05",
        insurer.profile_id.name,
    )


run(env)  # noqa: F821
