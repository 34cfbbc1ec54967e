"""Office migration benchmark, run inside ``odoo-bin shell`` (``env`` is given) by
bench/run.py.

One clone of the SCS template. Set-up (not measured): the company's VAT taxes under
the chart's names, a certificate, a voucher and a points program, an office with three
cash desks, and another office already moved onto SCS by the same import (20,000
customers, 2,000 certificates, 50,000 points lines), so that the database is not
empty. Then, from a fixed seed, the files of the office that moves: 200 services,
50,000 customers (cp1251 CSV, as old systems export), 5,000 certificates, 500
vouchers, 200,000 points lines over 40,000 of the customers, three cash openings.

1. The check: ``scs.migration.scs_run(..., dry_run=True)``.
2. The import: the same files, ``dry_run=False`` (it checks again: it never trusts
   an earlier check).
3. The re-run: the same files again, which creates nothing.
4. Native Odoo: ``base_import.import`` of a slice of the customers CSV (5,000 rows,
   as UTF-8) into ``res.partner``, against our import of the same slice alone.

Target: check + import under 5 minutes (a third of the 15-minute window). Prints one
``BENCH {json}`` line per measurement (scenario, side, ms, queries, rows, peak_mib).
Nothing is committed.
"""

import io
import random
import time

from shellkit import Memory, emit, money  # bench/run.py puts bench/ on the path

import odoo
from odoo import Command

SEED = 20260601
CUSTOMERS = 50_000
CERTIFICATES = 5_000
VOUCHERS = 500
POINTS_LINES = 200_000
POINTS_CUSTOMERS = 40_000
SERVICES = 200
OTHER = {"customers": 20_000, "certificates": 2_000, "points": 50_000}
NATIVE_ROWS = 5_000
TARGET_S = 300
VAT = ("22", "20", "10", "0", "none")
FIRST = ("Иван", "Ольга", "Пётр", "Анна", "Сергей", "Мария", "Алексей", "Елена")
LAST = ("Смирнов", "Кузнецов", "Попов", "Васильев", "Соколов", "Морозов", "Волков")


def _measure(env, func):
    with Memory() as memory:
        q0, t0 = odoo.sql_db.sql_counter, time.perf_counter()
        result = func()
        env.flush_all()
        elapsed, queries = time.perf_counter() - t0, odoo.sql_db.sql_counter - q0
    return result, {"ms": round(elapsed * 1000, 1), "queries": queries, **memory.facts}


# -- set-up ----------------------------------------------------------------------------


def _taxes(env, company):
    """Sales taxes under the names of the SCS chart (the template's company keeps the
    generic chart): the services' VAT column finds them."""
    for code in VAT:
        tax = env["account.tax"].create(
            {
                "name": f"Bench VAT {code}",
                "amount": 0 if code == "none" else float(code),
                "type_tax_use": "sale",
                "price_include_override": "tax_included",
                "company_id": company.id,
            }
        )
        env["ir.model.data"].create(
            {
                "module": "account",
                "name": f"{company.id}_ru_vat_sale_{code}",
                "model": "account.tax",
                "res_id": tax.id,
                "noupdate": True,
            }
        )


def _programs(env, company):
    Account = env["account.account"]

    def account(code, kind):
        return Account.create({"code": code, "name": f"Bench {code}", "account_type": kind}).id

    journal = env["account.journal"].create(
        {"name": "Bench migration", "code": "BMIG", "type": "general"}
    )
    common = {
        "company_id": company.id,
        "scs_journal_id": journal.id,
        "scs_breakage_account_id": account("BM9101", "income_other"),
        "scs_validity_months": 12,
    }
    Program = env["loyalty.program"]
    Program.create(
        {
            **common,
            "name": "Bench certificates",
            "scs_kind": "certificate",
            "scs_liability_account_id": account("BM6202", "liability_current"),
        }
    )
    Program.create(
        {
            **common,
            "name": "Bench vouchers",
            "scs_kind": "voucher",
            "scs_liability_account_id": account("BM7609", "liability_current"),
            "scs_expense_account_id": account("BM9102", "expense"),
        }
    )
    Program.create(
        {
            **common,
            "name": "Bench miles",
            "scs_kind": "points",
            "scs_liability_account_id": account("BM9801", "liability_current"),
            "scs_expense_account_id": account("BM4401", "expense"),
        }
    )


def _desks(env, company):
    plan = env["account.analytic.plan"].create({"name": "Bench migration office"})
    office = env["scs.office"].create(
        {
            "name": "Bench Vladivostok",
            "code": "BVVO",
            "tz": "Asia/Vladivostok",
            "analytic_account_id": env["account.analytic.account"]
            .create({"name": "Bench Vladivostok", "plan_id": plan.id})
            .id,
        }
    )
    names = []
    for n in range(1, 4):
        cash = env["account.journal"].create(
            {"name": f"Bench mig cash {n}", "code": f"BMC{n}", "type": "cash"}
        )
        method = env["pos.payment.method"].create(
            {"name": f"Bench mig cash {n}", "journal_id": cash.id}
        )
        sales = env["account.journal"].create(
            {"name": f"Bench mig POS {n}", "code": f"BMP{n}", "type": "general"}
        )
        config = env["pos.config"].create(
            {
                "name": f"Bench VVO desk {n}",
                "journal_id": sales.id,
                "scs_office_id": office.id,
                "payment_method_ids": [Command.set(method.ids)],
                "company_id": company.id,
            }
        )
        names.append(config.name)
    return names


# -- the files ---------------------------------------------------------------------------


def _csv(header, rows, sep=";"):
    out = io.StringIO()
    out.write(sep.join(header) + "\n")
    for row in rows:
        out.write(sep.join(str(cell) for cell in row) + "\n")
    return out.getvalue()


def _files(rnd, prefix, customers, certificates, vouchers, points_lines, points_customers, desks):
    """(name, bytes) of an office's files and the customers CSV rows (for the native
    comparison)."""
    today = "2026-11-30"
    ids = [f"{prefix}{n:06d}" for n in range(customers)]
    people = [
        (
            legacy,
            f"{rnd.choice(LAST)} {rnd.choice(FIRST)} {n}",
            f"+7914{n:07d}",
            f"c{n}.{prefix.lower()}@example.com" if n % 3 else "",
        )
        for n, legacy in enumerate(ids)
    ]
    files = [
        (
            "customers.csv",
            _csv(("legacy_id", "name", "phone", "email"), people).encode("cp1251"),
        )
    ]
    if prefix == "V":
        services = [
            (
                f"BM-{n:04d}",
                f"Bench service {n}",
                "goods" if n % 20 == 0 else "own",
                f"{money(rnd, 100, 20_000)}".replace(".", ","),
                VAT[n % len(VAT)],
            )
            for n in range(SERVICES)
        ]
        files.append(
            ("services.csv", _csv(("code", "name", "kind", "price", "vat"), services).encode())
        )
        cash = [(desk, today, money(rnd, 1_000, 200_000)) for desk in desks]
        files.append(("cash_openings.csv", _csv(("desk", "day", "balance"), cash).encode()))
    cards = [
        (
            f"{prefix}GC-{n:07d}",
            money(rnd, 500, 30_000),
            f"2026-{rnd.randint(1, 11):02d}-{rnd.randint(1, 28):02d}",
            "2030-12-31",
            rnd.choice(("22", "0", "")),
            rnd.choice(ids) if n % 5 else "",
        )
        for n in range(certificates)
    ]
    files.append(
        (
            "certificates.csv",
            _csv(
                ("code", "balance", "issued", "expires", "vat_rate", "customer_id"), cards
            ).encode(),
        )
    )
    if vouchers:
        rows = [
            (f"{prefix}VC-{n:06d}", money(rnd, 500, 10_000), "2026-10-01", rnd.choice(ids), "Delay")
            for n in range(vouchers)
        ]
        files.append(
            (
                "vouchers.csv",
                _csv(("code", "balance", "issued", "customer_id", "reason"), rows).encode(),
            )
        )
    holders = ids[:points_customers]
    lots = [
        (
            holders[n % len(holders)],
            rnd.randint(1, 500),
            f"2026-{rnd.randint(1, 11):02d}-{rnd.randint(1, 28):02d}",
            "2030-12-31",
        )
        for n in range(points_lines)
    ]
    files.append(
        ("points.csv", _csv(("customer_id", "points", "accrued", "expires"), lots).encode())
    )
    return files, people


def _native(env, people):
    """base_import of the customers slice, as a UTF-8 CSV with Odoo's own columns."""
    data = _csv(("name", "phone", "email", "ref"), [(n, p, e, i) for i, n, p, e in people], ",")
    wizard = env["base_import.import"].create(
        {
            "res_model": "res.partner",
            "file": data.encode(),
            "file_name": "customers.csv",
            "file_type": "text/csv",
        }
    )
    options = {"quoting": '"', "separator": ",", "has_headers": True, "encoding": "utf-8"}
    result = wizard.execute_import(
        ["name", "phone", "email", "ref"], ["name", "phone", "email", "ref"], options
    )
    assert not [m for m in result["messages"] if m.get("type") == "error"], result["messages"][:3]
    return len(result["ids"])


def main(env):
    rnd = random.Random(SEED)
    admin = env.ref("base.user_admin")
    env = env(user=admin.id, context={"tz": "Asia/Vladivostok", "lang": "en_US"})
    company = env.company
    rub = env.ref("base.RUB")
    rub.active = True
    company.currency_id = rub  # certificates and vouchers are in roubles
    _taxes(env, company)
    _programs(env, company)
    desks = _desks(env, company)
    Migration = env["scs.migration"]

    # another office, already on SCS
    other, _people = _files(
        rnd, "K", OTHER["customers"], OTHER["certificates"], 0, OTHER["points"], 15_000, ()
    )
    run, facts = _measure(env, lambda: Migration.scs_run(other, "KHV", dry_run=False))
    assert run.state == "done", run.report[-3000:]
    emit(
        "set-up: another office imported first",
        "info",
        s=round(facts["ms"] / 1000, 1),
        created=run.created_count,
    )
    env.invalidate_all()

    files, people = _files(
        rnd, "V", CUSTOMERS, CERTIFICATES, VOUCHERS, POINTS_LINES, POINTS_CUSTOMERS, desks
    )
    size = sum(len(data) for _name, data in files)
    emit("files", "info", files=len(files), mib=round(size / 2**20, 1))
    rows = CUSTOMERS + CERTIFICATES + VOUCHERS + POINTS_LINES + SERVICES + len(desks)

    run, facts = _measure(env, lambda: Migration.scs_run(files, "VVO", dry_run=True))
    assert run.state == "checked", run.report[-3000:]
    emit("check (dry run) of the office's files", "scs", rows=rows, **facts)
    env.invalidate_all()

    run, facts = _measure(env, lambda: Migration.scs_run(files, "VVO", dry_run=False))
    assert run.state == "done", run.report[-3000:]
    assert run.created_count == rows, (run.created_count, rows)
    emit("import of the office's files", "scs", rows=rows, **facts)
    emit("report", "info", totals=run.report.splitlines()[-9:])
    env.invalidate_all()

    run, facts = _measure(env, lambda: Migration.scs_run(files, "VVO", dry_run=False))
    assert run.created_count == 0 and run.unchanged_count == rows, run.report[-2000:]
    emit("re-run of the same files (0 created)", "scs", rows=rows, **facts)
    env.invalidate_all()

    # native: base_import of the same customers, a slice, against ours of that slice
    nat_people = [(f"N{i}", n, p, e) for i, (_legacy, n, p, e) in enumerate(people[:NATIVE_ROWS])]
    ours = [
        (
            "customers.csv",
            _csv(("legacy_id", "name", "phone", "email"), nat_people).encode("cp1251"),
        )
    ]
    run, facts = _measure(env, lambda: Migration.scs_run(ours, "NAT", dry_run=False))
    assert run.created_count == NATIVE_ROWS, run.report[-2000:]
    emit(f"{NATIVE_ROWS:,} customers alone", "scs", rows=NATIVE_ROWS, **facts)
    env.invalidate_all()
    count, facts = _measure(env, lambda: _native(env, nat_people))
    assert count == NATIVE_ROWS, count
    emit(f"{NATIVE_ROWS:,} customers alone", "native", rows=NATIVE_ROWS, **facts)
    emit("target", "info", target_s=TARGET_S)


main(env)  # noqa: F821 (odoo-bin shell gives env)
