"""Cash book benchmark, run inside ``odoo-bin shell`` (``env`` is given) by bench/run.py.

One clone of the SCS template; native Odoo's side runs in the same database, same run.

Set-up (not measured): one office in Asia/Irkutsk with one cash desk (cash limit
100,000, one open session), and from a fixed seed a year of it, the 365 local days of
2026: 2,000 cash in/out moves issued as cash orders through ``scs.cash.order._scs_issue``
in time order (change fund, cash from the bank, advances, petty expenses: a cash-out
never exceeds what the moves brought in so far, so that none of them books register
cash early, which would move part of the measured work into the set-up), which also
creates the 365 sheets; then 98,000 register cash payments (95,000 sales, 3,000
refunds; 2% of them within 90 s of local midnight), bulk-inserted by SQL as
``pos_order`` + ``pos_payment`` rows in the desk's session, none in an order yet.

1. Generating the book: ``scs.cash.book.day._scs_close_until(desk, 2026-12-31)``, as
   the closing job runs it on 2 January 2027 (the clock is set to then): the register
   cash of the 98,000 payments becomes one KO-1 and one KO-2 per local day, and the 365
   sheets are closed (balances, cash limit, chatter).
2. Printing the year as the accountant: the ``scs.cash.book.print`` wizard with output
   XLSX for 1 January - 31 December (the workbook and its attachment), and the KO-4
   QWeb HTML of the 365 sheets (``ir.actions.report._render_qweb_html``; the PDF would
   add wkhtmltopdf's time on top of it).
3. Native Odoo doing the same work: the day totals of the same payments by
   ``read_group`` by local day (sales and refunds apart), then Odoo's own cash book, the
   cash journal's daily statements: 365 ``account.bank.statement`` with their 2,730
   lines (the 730 register day totals and the 2,000 moves, each line a posted journal
   entry), and its statement report as QWeb HTML for the 365 statements.

Targets: (1) + (2) under 30 s and 500 MiB. Prints one ``BENCH {json}`` line per
measurement (scenario, side, ms, queries, peak_mib, ...). Nothing is committed. With
``SCS_BENCH_PROFILE=1`` steps 1 and 2 run once more first under cProfile, in a
savepoint rolled back after it, and print their top functions
(``SCS_BENCH_PROFILE=<file>``: the stats of step 1 are dumped there too).
"""

import cProfile
import datetime
import io
import os
import pstats
import random
import time
from decimal import Decimal
from unittest import mock

import pytz
from shellkit import (  # bench/run.py puts bench/ on the path
    Memory,
    emit,
    insert_paid_orders,
    money,
    user,
)

import odoo
from odoo import Command, fields

SEED = 20260101
TZ = "Asia/Irkutsk"
YEAR = 2026
DAYS = 365
START = datetime.date(YEAR, 1, 1)
SALES = 95_000
REFUNDS = 3_000
MOVES = 2_000
MIDNIGHT_SHARE = 0.02  # payments within 90 s of local midnight
CASH_LIMIT = 100_000
#: the closing job's run that closes 31 December: 04:00 on 2 January 2027 in Irkutsk
CLOCK = datetime.datetime(2027, 1, 1, 20, 0)
TARGET_MS = 30_000
TARGET_MIB = 500
PROFILE = os.environ.get("SCS_BENCH_PROFILE")
KOPECK = Decimal("0.01")
SOLD = ("paid", "done", "invoiced")


def _measure(env, func, profile=None):
    """(result, facts) of ``func()`` through the flush the commit would run: wall ms,
    SQL queries, peak memory."""
    env.invalidate_all()
    with Memory() as memory:
        q0, t0 = odoo.sql_db.sql_counter, time.perf_counter()
        if profile:
            profile.enable()
        result = func()
        env.cr.flush()
        if profile:
            profile.disable()
        elapsed, queries = time.perf_counter() - t0, odoo.sql_db.sql_counter - q0
    return result, {"ms": round(elapsed * 1000, 1), "queries": queries, **memory.facts}


# -- data ------------------------------------------------------------------------------------


def _local_utc(zone, day, seconds):
    local = datetime.datetime.combine(day, datetime.time()) + datetime.timedelta(seconds=seconds)
    return zone.localize(local).astimezone(pytz.utc).replace(tzinfo=None)


def _generate():
    """(payments [(n, UTC moment, amount)], moves [(UTC moment, kind, amount, basis)])."""
    rnd = random.Random(SEED)
    zone = pytz.timezone(TZ)
    days = [START + datetime.timedelta(days=d) for d in range(DAYS)]

    def moment():
        day = rnd.choice(days)
        if rnd.random() < MIDNIGHT_SHARE:
            # just after the local day starts, or just before it ends
            seconds = rnd.randrange(0, 90) if rnd.random() < 0.5 else 86_400 - rnd.randrange(1, 91)
        else:
            seconds = rnd.randrange(86_400)
        return _local_utc(zone, day, seconds)

    payments = [(moment(), money(rnd, 300, 30_000)) for _ in range(SALES)]
    payments += [(moment(), -money(rnd, 200, 5_000)) for _ in range(REFUNDS)]
    payments.sort()
    payments = [(n, at, amount) for n, (at, amount) in enumerate(payments, 1)]

    spots = sorted((rnd.choice(days), rnd.randrange(8 * 3600, 22 * 3600)) for _ in range(MOVES))
    moves, balance = [], Decimal(0)
    for day, seconds in spots:
        at = _local_utc(zone, day, seconds)
        if rnd.random() < 0.5 or balance < 1000:
            amount, basis = rnd.choice(
                (
                    (Decimal(5000), "Change fund"),
                    (Decimal(10000), "Change fund"),
                    (money(rnd, 1000, 20_000), "Cash from the bank"),
                )
            )
            moves.append((at, "in", amount, basis))
            balance += amount
        else:
            amount = min(money(rnd, 100, 5_000), balance)
            basis = rnd.choice(("Advance to an employee", "Petty expenses", "Taxi for the crew"))
            moves.append((at, "out", amount, basis))
            balance -= amount
    return payments, moves


# -- set-up ----------------------------------------------------------------------------------


def _setup(env):
    company = env.company
    company.write({"scs_head_name": "Орлов О.О.", "scs_chief_accountant_name": "Кузнецова Е.В."})
    Account = env["account.account"]
    sales_account = Account.create(
        {"code": "BNCH9001", "name": "Bench cash sales", "account_type": "income"}
    )
    refunds_account = Account.create(
        {"code": "BNCH6201", "name": "Bench cash refunds", "account_type": "liability_current"}
    )
    Journal = env["account.journal"]
    cash = Journal.create({"name": "Bench desk cash", "code": "BCBC", "type": "cash"})
    sales = Journal.create({"name": "Bench cash book POS", "code": "BCBP", "type": "general"})
    native_cash = Journal.create({"name": "Bench native cash book", "code": "BCBN", "type": "cash"})
    pm_cash = env["pos.payment.method"].create({"name": "Bench cash", "journal_id": cash.id})
    assert pm_cash.is_cash_count
    plan = env["account.analytic.plan"].create({"name": "Bench cash book office"})
    office = env["scs.office"].create(
        {
            "name": "Bench Irkutsk office",
            "code": "BIKT",
            "tz": TZ,
            "scs_cash_limit": CASH_LIMIT,
            "scs_cash_sales_account_id": sales_account.id,
            "scs_cash_refunds_account_id": refunds_account.id,
            "analytic_account_id": env["account.analytic.account"]
            .create({"name": "Bench Irkutsk office", "plan_id": plan.id})
            .id,
        }
    )
    config = env["pos.config"].create(
        {
            "name": "Bench Irkutsk desk 1",
            "journal_id": sales.id,
            "scs_office_id": office.id,
            "payment_method_ids": [Command.set([pm_cash.id])],
        }
    )
    cashier = user(
        env,
        "cashbook",
        "cashier",
        ("point_of_sale.group_pos_user", "scs_pos.group_scs_cashier"),
        tz=TZ,
    )
    accountant = user(
        env,
        "cashbook",
        "accountant",
        (
            "scs_pos.group_scs_accountant",
            "point_of_sale.group_pos_user",
            "account.group_account_user",
        ),
        tz=TZ,
    )
    office.user_ids = cashier
    config.with_user(cashier).open_ui()
    env.cr.flush()
    return {
        "config": config,
        "session": config.current_session_id,
        "office": office,
        "method": pm_cash,
        "cashier": cashier,
        "accountant": accountant,
        "native_journal": native_cash,
    }


def _issue_moves(env, ctx, moves):
    """The cash in/out moves as the cashier issues them, in time order."""
    Order = env["scs.cash.order"].with_user(ctx["cashier"])
    for n, (at, kind, amount, basis) in enumerate(moves, 1):
        Order._scs_issue(
            ctx["config"],
            kind,
            amount,
            "cash_move",
            f"bench-move:{n}",
            moment=at,
            counterparty="Инкассатор банка" if basis == "Cash from the bank" else "",
            basis=basis,
            session_id=ctx["session"].id,
        )
    env.cr.flush()
    registered = env["scs.cash.order"].search_count([("source", "!=", "cash_move")])
    assert registered == 0, f"{registered} register orders issued in the set-up"


def _insert_payments(env, ctx, payments):
    cr = env.cr
    buf = io.StringIO()
    for n, at, amount in payments:
        buf.write(f"{n}\t{at}\t{amount}\n")
    buf.seek(0)
    cr.execute("CREATE TEMP TABLE bench_cash (n int, at_utc timestamp, amount numeric)")
    cr._obj.copy_expert("COPY bench_cash FROM STDIN", buf)
    params = {
        "session": ctx["session"].id,
        "config": ctx["config"].id,
        "company": env.company.id,
        "office": ctx["office"].id,
        "pricelist": ctx["config"].pricelist_id.id or None,
        "uid": ctx["cashier"].id,
        "method": ctx["method"].id,
    }
    insert_paid_orders(cr, "bench_cash", "cashbook", params)
    cr.execute(
        """
        INSERT INTO pos_payment (
            pos_order_id, payment_method_id, session_id, company_id, name, amount,
            payment_date, is_change, scs_tender_kind, create_uid, write_uid, create_date,
            write_date)
        SELECT o.id, %(method)s, %(session)s, %(company)s, '', b.amount, b.at_utc, false,
               'cash', %(uid)s, %(uid)s, b.at_utc, b.at_utc
          FROM bench_cash b
          JOIN pos_order o ON o.session_id = %(session)s AND o.sequence_number = b.n
         ORDER BY b.n
        """,
        params,
    )
    cr.execute("DROP TABLE bench_cash")
    cr.execute("ANALYZE pos_order, pos_payment")
    env.invalidate_all()
    count = env["pos.payment"].search_count([("payment_method_id", "=", ctx["method"].id)])
    assert count == SALES + REFUNDS, count


# -- measurements ----------------------------------------------------------------------------


def _clock():
    return mock.patch.object(fields.Datetime, "now", staticmethod(lambda *args: CLOCK))


def _close(env, ctx):
    Sheet = env["scs.cash.book.day"]
    last = START + datetime.timedelta(days=DAYS - 1)
    with _clock():
        return Sheet._scs_close_until(ctx["config"], last)


def _xlsx(env, ctx):
    wizard = (
        env["scs.cash.book.print"]
        .with_user(ctx["accountant"])
        .create(
            {
                "config_id": ctx["config"].id,
                "date_from": START,
                "date_to": START + datetime.timedelta(days=DAYS - 1),
                "output": "xlsx",
            }
        )
    )
    action = wizard.action_print()
    attachment_id = int(action["url"].split("/")[3].split("?")[0])
    return env["ir.attachment"].browse(attachment_id)


def _sheets(env, ctx):
    return env["scs.cash.book.day"].search([("config_id", "=", ctx["config"].id)], order="day")


def _html(env, ctx, report, ids):
    Report = env["ir.actions.report"].with_user(ctx["accountant"])
    return Report._render_qweb_html(report, ids)[0]


def _ours(env, ctx):
    profiles = {}
    if PROFILE:
        savepoint = env.cr.savepoint()
        for name, func in (
            ("close", lambda: _close(env, ctx)),
            ("xlsx", lambda: _xlsx(env, ctx)),
            (
                "html",
                lambda: _html(
                    env, ctx, "scs_pos.action_report_scs_cash_book", _sheets(env, ctx).ids
                ),
            ),
        ):
            profiles[name] = cProfile.Profile()
            _measure(env, func, profiles[name])
        savepoint.close(rollback=True)
        env.invalidate_all()
        for name, profile in profiles.items():
            _profile_rows(name, profile)
        if PROFILE != "1":
            profiles["close"].dump_stats(PROFILE)

    closed, facts = _measure(env, lambda: _close(env, ctx))
    env.cr.execute(
        """
        SELECT source, count(*), sum(amount) FROM scs_cash_order
         WHERE config_id = %s GROUP BY source
        """,
        [ctx["config"].id],
    )
    by_source = {source: (count, amount) for source, count, amount in env.cr.fetchall()}
    env.cr.execute(
        """
        SELECT count(*) FILTER (WHERE scs_cash_order_id IS NULL), count(*)
          FROM pos_payment WHERE payment_method_id = %s
        """,
        [ctx["method"].id],
    )
    left, payments = env.cr.fetchone()
    sheets = _sheets(env, ctx)
    assert left == 0 and len(closed) == DAYS, (left, len(closed))
    assert set(sheets.mapped("state")) == {"closed"}
    # the book holds together: each sheet opens with the previous closing, and the
    # year's closing is what the moves and the payments brought in
    env.cr.execute(
        """
        SELECT count(*) FILTER (WHERE opening <> coalesce(prev, 0)
                                   OR closing <> opening + income - expense),
               (array_agg(closing ORDER BY day DESC))[1]
          FROM (SELECT *, lag(closing) OVER (ORDER BY day) AS prev
                  FROM scs_cash_book_day WHERE config_id = %s) s
        """,
        [ctx["config"].id],
    )
    broken, closing = env.cr.fetchone()
    env.cr.execute(
        "SELECT sum(amount) FROM pos_payment WHERE payment_method_id = %s", [ctx["method"].id]
    )
    expected = round(env.cr.fetchone()[0] + float(ctx["moves_net"]), 2)
    assert broken == 0 and round(closing, 2) == expected, (broken, closing, expected)
    registered = by_source["register_sales"][0] + by_source.get("register_refunds", (0,))[0]
    emit(
        f"close {DAYS} days: register orders from {payments:,} payments, sheets closed",
        "scs",
        step="generate",
        rows=payments,
        orders=registered,
        sheets=len(sheets),
        over_limit_days=len(sheets.filtered("over_limit")),
        **facts,
    )
    ctx["orders"] = sum(count for count, _amount in by_source.values())
    ctx["year_closing"] = sheets[-1].closing

    attachment, facts = _measure(env, lambda: _xlsx(env, ctx))
    emit(
        f"print the year as XLSX (wizard), {len(sheets)} sheets, {ctx['orders']:,} orders",
        "scs",
        step="print",
        rows=ctx["orders"],
        file_kib=round(attachment.file_size / 1024),
        **facts,
    )
    html, facts = _measure(
        env, lambda: _html(env, ctx, "scs_pos.action_report_scs_cash_book", sheets.ids)
    )
    emit(
        f"KO-4 QWeb HTML of the {len(sheets)} sheets",
        "scs",
        step="print",
        rows=ctx["orders"],
        html_kib=round(len(html) / 1024),
        **facts,
    )


def _native(env, ctx, moves):
    """Native Odoo: the day totals by read_group, the cash journal's daily statements,
    their report."""
    zone = pytz.timezone(TZ)
    Payment = env["pos.payment"].with_context(tz=TZ)
    base = [
        ("session_id.config_id", "=", ctx["config"].id),
        ("payment_method_id.is_cash_count", "=", True),
        ("pos_order_id.state", "in", SOLD),
    ]

    def totals():
        found = {}
        for sign, op in ((1, ">"), (-1, "<")):
            for group in Payment.read_group(
                [*base, ("amount", op, 0)],
                ["amount:sum"],
                ["payment_date:day"],
                lazy=False,
            ):
                day = group["__range"]["payment_date:day"]["from"]
                local = pytz.utc.localize(fields.Datetime.to_datetime(day)).astimezone(zone)
                found[(local.date(), sign)] = (group["amount"], group["__count"])
        return found

    found, facts = _measure(env, totals)
    assert sum(count for _amount, count in found.values()) == SALES + REFUNDS
    emit(
        f"read_group of the {SALES + REFUNDS:,} payments by local day, sales and refunds",
        "native",
        step="generate",
        rows=SALES + REFUNDS,
        groups=len(found),
        **facts,
    )

    # the day's lines: the moves, then the register totals at the day's last second
    lines = {}
    for at, kind, amount, basis in moves:
        signed = float(amount) if kind == "in" else -float(amount)
        lines.setdefault(_day_of(at, zone), []).append((at, basis, signed))
    for (day, sign), (amount, _count) in found.items():
        end = _local_utc(zone, day, 86_399)
        ref = "Cash sales through the register" if sign > 0 else "Cash refunds"
        lines.setdefault(day, []).append((end, ref, round(amount, 2)))
    journal = ctx["native_journal"]

    def statements():
        vals, balance = [], 0.0
        for day in sorted(lines):
            todays = sorted(lines[day])
            start = balance
            balance = round(balance + sum(amount for _at, _ref, amount in todays), 2)
            vals.append(
                {
                    "name": f"Cash {day}",
                    "journal_id": journal.id,
                    "date": day,
                    "balance_start": start,
                    "balance_end_real": balance,
                    "line_ids": [
                        Command.create(
                            {
                                "journal_id": journal.id,
                                "date": day,
                                "payment_ref": ref,
                                "amount": amount,
                            }
                        )
                        for _at, ref, amount in todays
                    ],
                }
            )
        return env["account.bank.statement"].create(vals)

    created, facts = _measure(env, statements)
    n_lines = sum(len(v) for v in lines.values())
    assert len(created.line_ids) == n_lines, (len(created.line_ids), n_lines)
    emit(
        f"cash journal statements: {len(created)} days, {n_lines:,} lines (posted entries)",
        "native",
        step="generate",
        rows=n_lines,
        **facts,
    )
    html, facts = _measure(
        env, lambda: _html(env, ctx, "account.action_report_account_statement", created.ids)
    )
    emit(
        f"statement report QWeb HTML of the {len(created)} statements",
        "native",
        step="print",
        rows=n_lines,
        html_kib=round(len(html) / 1024),
        **facts,
    )


def _day_of(at, zone):
    return pytz.utc.localize(at).astimezone(zone).date()


def _profile_rows(name, profile, top=20):
    stats = pstats.Stats(profile)
    entries = sorted(stats.stats.items(), key=lambda item: item[1][3], reverse=True)[:top]
    for (file, line, func), (_cc, calls, tottime, cumtime, _callers) in entries:
        short = file.split("/odoo/addons/")[-1].split("/site-packages/")[-1]
        emit(
            "profile",
            "profile",
            step=name,
            where=f"{short}:{line} {func}",
            calls=calls,
            tottime_ms=round(tottime * 1000),
            cumtime_ms=round(cumtime * 1000),
        )


def run(env):
    t0 = time.perf_counter()
    payments, moves = _generate()
    ctx = _setup(env)
    t1 = time.perf_counter()
    _issue_moves(env, ctx, moves)
    ctx["moves_net"] = sum(a if kind == "in" else -a for _at, kind, a, _b in moves)
    t_moves = time.perf_counter() - t1
    t1 = time.perf_counter()
    _insert_payments(env, ctx, payments)
    t_insert = time.perf_counter() - t1
    near_midnight = sum(
        1 for _n, at, _amount in payments if min((t := _local_seconds(at)), 86_400 - t) <= 90
    )
    emit(
        "set-up",
        "info",
        days=DAYS,
        payments=len(payments),
        refunds=REFUNDS,
        near_midnight=near_midnight,
        moves=len(moves),
        moves_in=sum(m[1] == "in" for m in moves),
        moves_s=round(t_moves, 1),
        insert_s=round(t_insert, 1),
        setup_s=round(time.perf_counter() - t0, 1),
        wkhtmltopdf=_wkhtmltopdf(env),
    )
    _ours(env, ctx)
    _native(env, ctx, moves)
    env.cr.rollback()


def _local_seconds(at):
    local = pytz.utc.localize(at).astimezone(pytz.timezone(TZ))
    return local.hour * 3600 + local.minute * 60 + local.second


def _wkhtmltopdf(env):
    return env["ir.actions.report"].get_wkhtmltopdf_state()


run(env)  # noqa: F821
