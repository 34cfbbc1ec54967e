"""Acquirer registry benchmark, run inside ``odoo-bin shell`` (``env`` is given) by bench/run.py.

One clone of the SCS template, where bench/run.py has installed OCA's
``account_statement_import_sheet_file`` as well: both sides in one database, one run.

Set-up (not measured): a Sber-format registry of 100,000 rows, written like the
sample ``scs_reconcile/tests/data/acquirer/sber_2026-03-02.csv`` (its header, cp1251,
``;``, CRLF, decimal comma) from a fixed seed: purchases mostly, refunds, reversal
pairs (a purchase and its cancel, which the POS never recorded), a few rows the POS
does not know; and the 100,000 POS card payments it should match (1,000 of them not
in the registry), bulk-inserted by SQL as ``pos_order`` + ``pos_payment`` rows of one
session of a desk whose 40 card payment methods (one per terminal) are the acquirer's.

1. ``scs.acquirer.registry._scs_import`` of the file as the accountant, through the
   flush the commit would run: wall time, SQL queries, and the process's memory
   (RSS high-water mark, reset just before, and its growth over the RSS before).
   Targets: under 30 s and 1 GiB. Then the same import again with timers around
   its parts (engine calls, our model methods, ORM create/recompute/flush), for the
   split; kept, it is followed by the next day's registry of 2,000 rows, whose
   look-back window holds the payments the first one settled. And the import of
   the file's first 10,000 rows alone.
2. The engine alone: ``registry.parse`` of the file, and ``matching.match`` of its
   rows against the payments as ``rows.Payment`` built in Python.
3. OCA: the same file (its first ``SCS_BENCH_OCA_ROWS`` rows, 10,000 unless set:
   at 34 ms a row there, and more per row as the statement grows, 100,000 would take
   OCA an hour or more) imported as a bank statement through
   ``account.statement.import`` with a sheet mapping of the Sber layout, as the UI
   does (wizard created with the file, then ``import_file_button``); and its parser
   alone. Target: per row, ours at least 5 times faster.

Nothing is committed: each import runs in a savepoint rolled back after it.
Prints one ``BENCH {json}`` line per measurement (scenario, side, ms, queries, ...).
With ``SCS_BENCH_PROFILE=1`` one more import runs under cProfile and prints its top
functions (``SCS_BENCH_PROFILE=<file>``: its stats are dumped there too).
"""

import base64
import cProfile
import datetime
import functools
import inspect
import io
import os
import pstats
import random
import statistics
import sys
import time
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytz
from shellkit import (  # bench/run.py puts bench/ on the path
    Memory,
    emit,
    insert_paid_orders,
    money,
    status_kib,
    user,
)

import odoo
from odoo import Command

import odoo.addons.scs_reconcile as scs_reconcile
from odoo.addons.scs_reconcile.engine import matching, registry, rows

SEED = 20260302
ROWS = 100_000
PAYMENTS = 100_000
REFUNDS = 4_000
PAIRS = 400  # purchase + reversal, two rows each, no POS payment
UNMATCHED = 200  # registry rows the POS does not know
PURCHASES = ROWS - REFUNDS - 2 * PAIRS - UNMATCHED  # each matches one POS sale
POS_ONLY = PAYMENTS - PURCHASES - REFUNDS  # POS sales not in this registry
SUBSET = 10_000
NEXT_DAY = 2_000
OCA_ROWS = int(os.environ.get("SCS_BENCH_OCA_ROWS") or 10_000)
TERMINALS = 40
DAYS = 7
START = datetime.date(2026, 2, 23)
TZ = "Europe/Moscow"
FEE_RATE = Decimal("0.016")
ENGINE_REPEAT = 3
PROFILE = os.environ.get("SCS_BENCH_PROFILE")  # 1: top functions; a path: stats dumped there
TARGET_MS = 30_000
TARGET_MIB = 1024
TARGET_RATIO = 5
SAMPLE = Path(scs_reconcile.__file__).parent / "tests/data/acquirer/sber_2026-03-02.csv"
KOPECK = Decimal("0.01")
ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
BINS = ("427600", "220220", "510621", "553691", "220015")
NULL = r"\N"  # COPY's text format


# -- data --------------------------------------------------------------------------------


def _generate():
    """(registry rows as CSV cells in file order, POS payments, the outcomes expected).

    A payment is (n, terminal, rrn, auth code, card mask, local time, amount, the RRN
    of the sale a refund gives back or "")."""
    rnd = random.Random(SEED)
    terminals = [f"1040{n:04d}" for n in range(1, TERMINALS + 1)]
    rrns = set()

    def rrn():
        while True:
            value = str(rnd.randrange(10**11, 10**12))
            if value not in rrns:
                rrns.add(value)
                return value

    def auth():
        return "".join(rnd.choices(ALNUM, k=6))

    def mask():
        return f"{rnd.choice(BINS)}******{rnd.randrange(10**4):04d}"

    def moment():
        day = START + datetime.timedelta(days=rnd.randrange(DAYS))
        return datetime.datetime.combine(day, datetime.time()) + datetime.timedelta(
            seconds=rnd.randrange(7 * 3600, 23 * 3600)
        )

    last = datetime.datetime.combine(START + datetime.timedelta(days=DAYS - 1), datetime.time(23))
    found, payments = [], []

    def row(at, tid, word, card, code, ref, amount, fee, net):
        found.append((at, tid, word, card, code, ref, amount, fee, net))

    def pay(tid, ref, code, card, at, amount, original=""):
        # the POS records the payment a few seconds after the terminal's slip
        at = at + datetime.timedelta(seconds=rnd.randrange(1, 15))
        payments.append([0, tid, ref, code, card, at, amount, original])

    sales = []
    for _ in range(PURCHASES + POS_ONLY):
        sale = (rnd.choice(terminals), rrn(), auth(), mask(), moment(), money(rnd, 300, 50_000))
        sales.append(sale)
    for tid, ref, code, card, at, amount in sales[:PURCHASES]:
        fee = (amount * FEE_RATE).quantize(KOPECK, ROUND_HALF_UP)
        row(at, tid, "Оплата", card, code, ref, amount, fee, amount - fee)
    for tid, ref, code, card, at, amount in sales:
        pay(tid, ref, code, card, at, amount)
    for tid, ref, _code, card, at, amount in rnd.sample(sales[:PURCHASES], REFUNDS):
        back = amount if rnd.random() < 0.5 else money(rnd, 1, max(int(amount), 2))
        back = min(back, amount)
        when = min(at + datetime.timedelta(minutes=rnd.randrange(30, 36 * 60)), last)
        refund_rrn, refund_auth = rrn(), auth()
        row(when, tid, "Возврат", card, refund_auth, refund_rrn, back, Decimal("0.00"), -back)
        pay(tid, refund_rrn, refund_auth, card, when, -back, original=ref)
    for _ in range(PAIRS):
        tid, ref, code, card, at = rnd.choice(terminals), rrn(), auth(), mask(), moment()
        amount = money(rnd, 300, 50_000)
        zero = Decimal("0.00")
        row(at, tid, "Оплата", card, code, ref, amount, zero, amount)
        cancel = at + datetime.timedelta(seconds=rnd.randrange(60, 1800))
        row(cancel, tid, "Отмена", card, code, ref, amount, zero, -amount)
    for _ in range(UNMATCHED):
        tid, amount = rnd.choice(terminals), money(rnd, 300, 50_000)
        fee = (amount * FEE_RATE).quantize(KOPECK, ROUND_HALF_UP)
        row(moment(), tid, "Оплата", mask(), auth(), rrn(), amount, fee, amount - fee)
    found.sort(key=lambda r: (r[0], r[1], r[5]))
    payments.sort(key=lambda p: (p[5], p[1], p[2]))
    for n, payment in enumerate(payments, 1):
        payment[0] = n
    cells = [_cells(*r) for r in found]
    expected = Counter(
        {
            matching.MATCHED: PURCHASES + REFUNDS,
            matching.REVERSED_PAIR: 2 * PAIRS,
            matching.UNMATCHED_REGISTRY: UNMATCHED,
        }
    )
    return cells, [tuple(p) for p in payments], expected


def _cells(at, tid, word, card, code, ref, amount, fee, net):
    """One registry row's cells, in the sample's columns and formats."""
    return [
        f"{at:%d.%m.%Y}",
        f"{at:%H:%M:%S}",
        f"{at + datetime.timedelta(days=1):%d.%m.%Y}",
        tid,
        "780000123456",
        word,
        card,
        code,
        ref,
        f"{amount:.2f}".replace(".", ","),
        f"{fee:.2f}".replace(".", ","),
        f"{net:.2f}".replace(".", ","),
        str(500 + int(tid[-4:])),  # the terminal's batch
        "RUB",
    ]


def _csv(cells):
    """The registry file of these rows, as the sample writes it."""
    header = SAMPLE.read_bytes().decode("cp1251").split("\r\n", 1)[0]
    assert len(header.split(";")) == 14, header
    lines = [header, *(";".join(c) for c in cells)]
    return ("\r\n".join(lines) + "\r\n").encode("cp1251")


# -- set-up --------------------------------------------------------------------------


def _setup(env):
    company = env.company
    Account = env["account.account"]
    clearing = Account.create(
        {
            "code": "BNCH5703",
            "name": "Bench card money in transit",
            "account_type": "asset_current",
            "reconcile": True,
        }
    )
    fee = Account.create(
        {"code": "BNCH9102", "name": "Bench acquiring fees", "account_type": "expense"}
    )
    Journal = env["account.journal"]
    cash = Journal.create({"name": "Bench cash", "code": "BRCS", "type": "cash"})
    card = Journal.create(
        {"name": "Bench card", "code": "BRCD", "type": "bank", "default_account_id": clearing.id}
    )
    sales = Journal.create({"name": "Bench POS", "code": "BRPS", "type": "general"})
    Method = env["pos.payment.method"]
    pm_cash = Method.create({"name": "Bench cash", "journal_id": cash.id})
    terminals = [f"1040{n:04d}" for n in range(1, TERMINALS + 1)]
    methods = Method.create(
        [
            {"name": f"Bench Sber {tid}", "journal_id": card.id, "scs_terminal_id": tid}
            for tid in terminals
        ]
    )
    plan = env["account.analytic.plan"].create({"name": "Bench reconcile office"})
    office = env["scs.office"].create(
        {
            "name": "Bench reconcile office",
            "code": "BRECON",
            "tz": TZ,
            "analytic_account_id": env["account.analytic.account"]
            .create({"name": "Bench reconcile office", "plan_id": plan.id})
            .id,
        }
    )
    config = env["pos.config"].create(
        {
            "name": "Bench reconcile desk",
            "journal_id": sales.id,
            "scs_office_id": office.id,
            "payment_method_ids": [Command.set([pm_cash.id, *methods.ids])],
        }
    )
    cashier = user(
        env, "reconcile", "cashier", ("point_of_sale.group_pos_user", "scs_pos.group_scs_cashier")
    )
    # POS user too: without it a fresh import stops on reading the acquirer's payment
    # methods (scs_acquirer.py, _scs_terminal_offices)
    accountant = user(
        env,
        "reconcile",
        "accountant",
        ("scs_pos.group_scs_accountant", "point_of_sale.group_pos_user"),
    )
    office.user_ids = cashier
    config.with_user(cashier).open_ui()
    acquirer = env["scs.acquirer"].create(
        {
            "name": "Bench Sberbank",
            "code": "bench_sber",
            "company_id": company.id,
            "clearing_account_id": clearing.id,
            "fee_account_id": fee.id,
            "tz": TZ,
            "payment_method_ids": [Command.set(methods.ids)],
            "profile_id": env.ref("scs_reconcile.profile_sber").id,
        }
    )
    env.cr.flush()
    return {
        "acquirer": acquirer,
        "accountant": accountant,
        "config": config,
        "session": config.current_session_id,
        "office": office,
        "method_of": dict(zip(terminals, methods.ids, strict=True)),
    }


def _insert_payments(env, ctx, payments, total=PAYMENTS, refunds=REFUNDS):
    """The POS side by SQL: one paid order per payment, in the desk's open session;
    ``total``: the acquirer's payments after it, ``refunds``: the refunds in it."""
    cr = env.cr
    utc = pytz.utc
    zone = pytz.timezone(TZ)
    buf = io.StringIO()
    for n, tid, ref, code, card, at, amount, original in payments:
        at_utc = zone.localize(at).astimezone(utc).replace(tzinfo=None)
        method = ctx["method_of"][tid]
        original = original or NULL
        buf.write(f"{n}\t{tid}\t{ref}\t{code}\t{card}\t{at_utc}\t{amount}\t{method}\t{original}\n")
    buf.seek(0)
    cr.execute(
        """
        CREATE TEMP TABLE bench_pay (
            n int, tid varchar, rrn varchar, auth varchar, mask varchar, at_utc timestamp,
            amount numeric, method int, orig_rrn varchar)
        """
    )
    cr._obj.copy_expert("COPY bench_pay FROM STDIN", buf)
    params = {
        "session": ctx["session"].id,
        "config": ctx["config"].id,
        "company": env.company.id,
        "office": ctx["office"].id,
        "pricelist": ctx["config"].pricelist_id.id or None,
        "uid": env.uid,
        "acquirer": ctx["acquirer"].id,
    }
    insert_paid_orders(cr, "bench_pay", "reconcile", params)
    cr.execute(
        """
        INSERT INTO pos_payment (
            pos_order_id, payment_method_id, session_id, company_id, name, amount,
            payment_date, is_change, scs_tender_kind, scs_terminal_id, scs_rrn, scs_auth_code,
            scs_card_mask, scs_acquirer_id, create_uid, write_uid, create_date, write_date)
        SELECT o.id, b.method, %(session)s, %(company)s, '', b.amount, b.at_utc, false, 'card',
               b.tid, b.rrn, b.auth, b.mask, %(acquirer)s, %(uid)s, %(uid)s, b.at_utc, b.at_utc
          FROM bench_pay b
          JOIN pos_order o ON o.session_id = %(session)s AND o.sequence_number = b.n
         ORDER BY b.n
        """,
        params,
    )
    cr.execute(
        """
        UPDATE pos_payment r SET scs_refunded_payment_id = s.id
          FROM bench_pay b, pos_payment s
         WHERE b.orig_rrn IS NOT NULL
           AND r.session_id = %(session)s AND r.scs_rrn = b.rrn
           AND s.session_id = %(session)s AND s.scs_rrn = b.orig_rrn
        """,
        params,
    )
    linked = cr.rowcount
    cr.execute("DROP TABLE bench_pay")
    cr.execute("ANALYZE pos_order, pos_payment")
    env.invalidate_all()
    count = env["pos.payment"].search_count(
        [("payment_method_id", "in", list(ctx["method_of"].values()))]
    )
    assert count == total and linked == refunds, (count, linked)


# -- timing helpers --------------------------------------------------------------------


class _Queries:
    """SQL statements sent outside Odoo's cursor counter: the pages of
    psycopg2's ``execute_values`` (page_size 100 unless given) in our modules."""

    def __init__(self):
        self.patched = []
        self.pages = 0

    def __enter__(self):
        for name, module in list(sys.modules.items()):
            if name.startswith("odoo.addons.scs_reconcile") and hasattr(module, "execute_values"):
                original = module.execute_values

                @functools.wraps(original)
                def counted(cur, sql, argslist, *args, _original=original, **kwargs):
                    argslist = list(argslist)
                    size = kwargs.get("page_size", args[1] if len(args) > 1 else 100)
                    pages = max(1, -(-len(argslist) // size))
                    self.pages += pages
                    odoo.sql_db.sql_counter += pages
                    return _original(cur, sql, argslist, *args, **kwargs)

                module.execute_values = counted
                self.patched.append((module, original))
        return self

    def __exit__(self, *exc):
        for module, original in self.patched:
            module.execute_values = original


class _Split:
    """Timers around the engine calls, our models' methods and the ORM calls an import
    makes: (seconds, calls, queries) per call path, in the order first entered."""

    SHORT = {
        "scs.acquirer.registry": "registry",
        "scs.acquirer.registry.row": "row",
        "scs.acquirer": "acquirer",
        "pos.payment": "payment",
        "scs.reconcile.case": "case",
        "scs.reconcile.suggestion": "suggestion",
    }
    ORM = {
        "scs.acquirer.registry": ("create", "search_count", "message_post", "_compute_counts"),
        "scs.acquirer.registry.row": ("create", "_create", "search"),
        "pos.payment": ("search", "_compute_scs_acquirer_id"),
        "scs.reconcile.case": ("create", "search_count"),
        "scs.reconcile.suggestion": ("create",),
    }

    def __init__(self, env):
        self.env = env
        self.stack = []
        self.parts = {}
        self.patched = []

    def _timed(self, label, func):
        split = self

        @functools.wraps(func)
        def timed(*args, **kwargs):
            split.stack.append(label(args) if callable(label) else label)
            path = tuple(split.stack)
            part = split.parts.setdefault(path, [0.0, 0, 0, None, None])
            q0, t0 = odoo.sql_db.sql_counter, time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                part[0] += time.perf_counter() - t0
                part[1] += 1
                part[2] += odoo.sql_db.sql_counter - q0
                if len(path) <= 3 and part[1] <= 3:
                    # memory after the part, and the peak so far (not for per-row calls)
                    part[3], part[4] = status_kib("VmRSS"), status_kib("VmHWM")
                split.stack.pop()

        return timed

    def _patch(self, owner, name, label):
        raw = inspect.getattr_static(owner, name)
        own = owner.__dict__.get(name, _MISSING)
        if isinstance(raw, staticmethod):
            new = staticmethod(self._timed(label, raw.__func__))
        elif isinstance(raw, classmethod):
            new = classmethod(self._timed(label, raw.__func__))
        else:
            new = self._timed(label, getattr(owner, name))
        setattr(owner, name, new)
        self.patched.append((owner, name, own))

    def __enter__(self):
        self._patch(registry, "parse", "engine parse")
        self._patch(matching, "match", "engine match")
        # the ORM's deferred work, per model: stored computes, then the UPDATEs
        base = odoo.models.BaseModel
        self._patch(base, "_recompute_field", lambda args: f"recompute {args[0]._name}")
        self._patch(base, "_flush", lambda args: f"flush {args[0]._name}")
        for model, short in self.SHORT.items():
            cls = self.env.registry[model]
            names = set(self.ORM.get(model, ()))
            for name in dir(cls):
                if name.startswith("_scs_"):
                    func = inspect.getattr_static(cls, name)
                    func = getattr(func, "__func__", func)
                    module = getattr(inspect.getmodule(func), "__name__", "")
                    if callable(func) and module.startswith("odoo.addons.scs_reconcile"):
                        names.add(name)
            for name in sorted(names):
                self._patch(cls, name, f"{short}.{name}")
        return self

    def __exit__(self, *exc):
        for owner, name, own in reversed(self.patched):
            if own is _MISSING:
                delattr(owner, name)
            else:
                setattr(owner, name, own)


_MISSING = object()


def _import(env, ctx, data, filename, profile=None, keep=False):
    """Our import of ``data`` as the accountant, flushed as the commit would, in a
    savepoint rolled back after it (``keep``: released, the import stays):
    (seconds, queries, memory facts, statuses, cases opened)."""
    user = ctx["accountant"]
    Registry = env["scs.acquirer.registry"].with_user(user)
    acquirer = ctx["acquirer"].with_user(user)
    savepoint = env.cr.savepoint()
    env.invalidate_all()
    with _Queries() as extra, Memory() as memory:
        q0, t0 = odoo.sql_db.sql_counter, time.perf_counter()
        if profile:
            profile.enable()
        reg = Registry._scs_import(acquirer, data, filename)
        env.cr.flush()
        if profile:
            profile.disable()
        elapsed, queries = time.perf_counter() - t0, odoo.sql_db.sql_counter - q0
    assert reg, "the file was imported before"
    env.cr.execute(
        """
        SELECT status, count(*) FROM scs_acquirer_registry_row
         WHERE registry_id = %s GROUP BY status
        """,
        [reg.id],
    )
    statuses = Counter(dict(env.cr.fetchall()))
    env.cr.execute(
        """
        SELECT count(*) FROM scs_reconcile_case c
          JOIN scs_acquirer_registry_row r ON r.id = c.row_id
         WHERE r.registry_id = %s
        """,
        [reg.id],
    )
    cases = env.cr.fetchone()[0]
    savepoint.close(rollback=not keep)
    env.invalidate_all()
    return elapsed, queries, memory.facts | {"raw_pages": extra.pages}, statuses, cases


# -- measurements ----------------------------------------------------------------------


def _ours(env, ctx, data, cells, expected):
    filename = "sber_bench_100k.csv"
    elapsed, queries, memory, statuses, cases = _import(env, ctx, data, filename)
    assert statuses == expected, (statuses, expected)
    emit(
        f"_scs_import, {ROWS:,} rows vs {PAYMENTS:,} payments",
        "scs",
        ms=round(elapsed * 1000, 1),
        queries=queries,
        rows=ROWS,
        cases=cases,
        target_ms=TARGET_MS,
        target_mib=TARGET_MIB,
        **memory,
    )
    # the same import with timers around its parts, kept for the next day's registry
    kept = env.cr.savepoint()
    with _Split(env) as split:
        split_elapsed, split_queries, _memory, statuses, _cases = _import(
            env, ctx, data, filename, keep=True
        )
    assert statuses == expected, statuses
    for path, (seconds, calls, part_queries, rss, hwm) in split.parts.items():
        emit(
            "split",
            "split",
            part=list(path),
            ms=round(seconds * 1000, 1),
            calls=calls,
            queries=part_queries,
            rss_mib=rss and round(rss / 1024),
            peak_mib=hwm and round(hwm / 1024),
        )
    emit(
        "split",
        "split",
        part=["total (timed run)"],
        ms=round(split_elapsed * 1000, 1),
        calls=1,
        queries=split_queries,
    )
    _next_day(env, ctx)
    kept.close(rollback=True)
    env.invalidate_all()
    if PROFILE:
        profile = cProfile.Profile()
        _import(env, ctx, data, filename, profile=profile)
        _profile_rows(profile)
        if PROFILE != "1":
            profile.dump_stats(PROFILE)
    # the file's first 10,000 rows (a registry of its own: no row known yet)
    subset = _csv(cells[:SUBSET])
    elapsed, queries, memory, statuses, cases = _import(env, ctx, subset, "sber_bench_10k.csv")
    assert sum(statuses.values()) == SUBSET, statuses
    emit(
        f"_scs_import, first {SUBSET:,} rows",
        "scs",
        ms=round(elapsed * 1000, 1),
        queries=queries,
        rows=SUBSET,
        cases=cases,
        **memory,
    )


def _next_day(env, ctx):
    """The next day's registry, 2,000 purchases, once the 100,000 rows are in: its
    payments' look-back window holds the 99,000 that registry settled."""
    rnd = random.Random(SEED + 1)
    day = datetime.datetime.combine(START + datetime.timedelta(days=DAYS), datetime.time())
    payments, cells = [], []
    for k in range(NEXT_DAY):
        tid, amount = f"1040{rnd.randrange(1, TERMINALS + 1):04d}", money(rnd, 300, 50_000)
        ref, code = str(rnd.randrange(10**11, 10**12)), "".join(rnd.choices(ALNUM, k=6))
        card = f"{rnd.choice(BINS)}******{rnd.randrange(10**4):04d}"
        at = day + datetime.timedelta(seconds=7 * 3600 + k * 16)
        fee = (amount * FEE_RATE).quantize(KOPECK, ROUND_HALF_UP)
        payments.append((PAYMENTS + k + 1, tid, ref, code, card, at, amount, ""))
        cells.append(_cells(at, tid, "Оплата", card, code, ref, amount, fee, amount - fee))
    _insert_payments(env, ctx, payments, total=PAYMENTS + NEXT_DAY, refunds=0)
    elapsed, queries, _memory, statuses, cases = _import(
        env, ctx, _csv(cells), "sber_bench_next_day.csv"
    )
    assert statuses == Counter({matching.MATCHED: NEXT_DAY}), statuses
    emit(
        f"_scs_import, the next day's {NEXT_DAY:,} rows, {PURCHASES + REFUNDS:,} settled",
        "scs",
        ms=round(elapsed * 1000, 1),
        queries=queries,
        rows=NEXT_DAY,
        cases=cases,
    )


def _profile_rows(profile, top=25):
    stats = pstats.Stats(profile)
    entries = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)[:top]
    for (file, line, name), (_cc, calls, tottime, cumtime, _callers) in entries:
        short = file.split("/odoo/addons/")[-1].split("/site-packages/")[-1]
        emit(
            "profile",
            "profile",
            where=f"{short}:{line} {name}",
            calls=calls,
            tottime_ms=round(tottime * 1000),
            cumtime_ms=round(cumtime * 1000),
        )


def _engine(env, ctx, data, payments, expected):
    profile = ctx["acquirer"].profile_id._scs_engine_profile()
    tolerance = ctx["acquirer"]._scs_tolerance()
    with Memory() as memory:
        times = []
        for _ in range(ENGINE_REPEAT):
            t0 = time.perf_counter()
            parsed = registry.parse(data, profile, "sber_bench_100k.csv")
            times.append(time.perf_counter() - t0)
        assert len(parsed.rows) == ROWS
        t0 = time.perf_counter()
        facts = [
            rows.Payment(
                key=n,
                terminal_id=tid,
                rrn=ref,
                amount=amount,
                at=at,
                auth_code=code,
                kind="refund" if amount < 0 else "sale",
                original_rrn=original,
                extra={"card_mask": card},
            )
            for n, tid, ref, code, card, at, amount, original in payments
        ]
        build = time.perf_counter() - t0
        match_times = []
        for _ in range(ENGINE_REPEAT):
            t0 = time.perf_counter()
            result = matching.match(parsed.rows, facts, tolerance)
            match_times.append(time.perf_counter() - t0)
    statuses = Counter(o.status for o in result.outcomes)
    assert statuses == expected, (statuses, expected)
    assert len(result.pos_only) == POS_ONLY, len(result.pos_only)
    emit(
        f"registry.parse, {ROWS:,} rows",
        "engine",
        ms=round(statistics.median(times) * 1000, 1),
        queries=0,
        rows=ROWS,
        runs=ENGINE_REPEAT,
    )
    emit(
        f"matching.match, {ROWS:,} rows vs {PAYMENTS:,} payments",
        "engine",
        ms=round(statistics.median(match_times) * 1000, 1),
        queries=0,
        rows=ROWS,
        runs=ENGINE_REPEAT,
        suggestions=len(result.suggestions),
        pos_only=len(result.pos_only),
        build_payments_ms=round(build * 1000, 1),
        **memory.facts,
    )


def _oca(env, ctx, cells):
    """The registry as a bank statement, with OCA's sheet import, as the accountant."""
    if not OCA_ROWS:
        return
    if "account.statement.import.sheet.mapping" not in env:
        emit("OCA sheet import", "info", missing="account_statement_import_sheet_file")
        return
    journal = env["account.journal"].create(
        {"name": "Bench Sber statement", "code": "BRST", "type": "bank"}
    )
    mapping = env["account.statement.import.sheet.mapping"].create(
        {
            "name": "Sber acquiring registry",
            "file_encoding": "windows-1251",
            "delimiter": "semicolon",
            "quotechar": '"',
            "float_thousands_sep": "none",
            "float_decimal_sep": "comma",
            "timestamp_format": "%d.%m.%Y",
            "timestamp_column": "Дата операции",
            "amount_type": "simple_value",
            "amount_column": "Сумма к возмещению",
            "description_column": "Тип операции,RRN,Номер карты",
            "reference_column": "RRN",
            "notes_column": "Номер терминала,Код авторизации",
        }
    )
    journal.default_sheet_mapping_id = mapping
    n_rows = min(OCA_ROWS, ROWS)
    data = _csv(cells[:n_rows])
    filename = f"sber_bench_{n_rows}.csv"
    user = ctx["accountant"]
    env.cr.flush()

    # its parser alone (bytes to the statement's values, no records)
    Parser = env["account.statement.import.sheet.parser"].with_user(user)
    t0 = time.perf_counter()
    _currency, _account, statements = Parser.with_context(journal_id=journal.id).parse(
        data, mapping, filename
    )
    parse = time.perf_counter() - t0
    assert len(statements[0]["transactions"]) == n_rows
    emit(
        f"parser alone, {n_rows:,} rows",
        "oca",
        ms=round(parse * 1000, 1),
        queries=0,
        rows=n_rows,
    )

    # the wizard as the UI drives it: created with the uploaded file, then the button
    encoded = base64.b64encode(data)
    Wizard = env["account.statement.import"].with_user(user).with_context(journal_id=journal.id)
    savepoint = env.cr.savepoint()
    env.invalidate_all()
    with Memory() as memory:
        q0, t0 = odoo.sql_db.sql_counter, time.perf_counter()
        wizard = Wizard.create(
            {
                "statement_file": encoded,
                "statement_filename": filename,
                "sheet_mapping_id": mapping.id,
            }
        )
        action = wizard.import_file_button()
        env.cr.flush()
        elapsed, queries = time.perf_counter() - t0, odoo.sql_db.sql_counter - q0
    statement = env["account.bank.statement"].browse(action["domain"][0][2])
    assert len(statement.line_ids) == n_rows, len(statement.line_ids)
    savepoint.close(rollback=True)
    env.invalidate_all()
    emit(
        f"sheet import wizard, {n_rows:,} rows",
        "oca",
        ms=round(elapsed * 1000, 1),
        queries=queries,
        rows=n_rows,
        target_ratio=TARGET_RATIO,
        **memory.facts,
    )


def run(env):
    t0 = time.perf_counter()
    cells, payments, expected = _generate()
    data = _csv(cells)
    t_generate = time.perf_counter() - t0
    ctx = _setup(env)
    t1 = time.perf_counter()
    _insert_payments(env, ctx, payments)
    t_insert = time.perf_counter() - t1
    emit(
        "set-up",
        "info",
        rows=ROWS,
        payments=PAYMENTS,
        file_mib=round(len(data) / 2**20, 1),
        terminals=TERMINALS,
        days=DAYS,
        generate_s=round(t_generate, 1),
        insert_s=round(t_insert, 1),
        setup_s=round(time.perf_counter() - t0, 1),
    )
    _ours(env, ctx, data, cells, expected)
    _engine(env, ctx, data, payments, expected)
    _oca(env, ctx, cells)
    env.cr.rollback()


run(env)  # noqa: F821
