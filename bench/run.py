"""SCS benchmarks: wall time and SQL queries, SCS add-ons against native Odoo.

Both databases are clones of the test templates: native Odoo with the modules
our add-ons depend on, and the same with the SCS add-ons installed. The same
scenarios (bench/scenarios.py) run on each in this one run, and the table shows
the ratio. Then bench/loyalty.py runs once on a clone of the SCS template, where
native pos_loyalty is installed as well: both sides in one database, a second
table. Then bench/reconcile.py runs once on a clone of the SCS template with OCA's
``account_statement_import_sheet_file`` installed in that clone only: a 100,000-row
acquirer registry imported and matched by scs_reconcile, its engine alone, and the same
file as a bank statement with OCA's sheet import, a third table. Last, bench/cashbook.py
runs once on a clone of the SCS template: the cash book of an office's year (365 days,
100,000 cash operations) closed and printed, against native Odoo's day totals and cash
journal statements in the same database, a fourth table. Then bench/migration.py: an
office of 50,000 customers, 5,000 certificates and 200,000 points lines checked and
imported into a database that holds another office, against base_import of a slice of
its customers, a fifth table. Run with ``./scs bench`` (``--only loyalty``,
``--only reconcile``, ``--only cashbook`` or ``--only migration``: that part alone).
"""

import argparse
import importlib.metadata
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))

import odoodb  # noqa: E402

SCRIPT = Path(__file__).resolve().parent / "scenarios.py"
LOYALTY_SCRIPT = Path(__file__).resolve().parent / "loyalty.py"
RECONCILE_SCRIPT = Path(__file__).resolve().parent / "reconcile.py"
CASHBOOK_SCRIPT = Path(__file__).resolve().parent / "cashbook.py"
MIGRATION_SCRIPT = Path(__file__).resolve().parent / "migration.py"
#: OCA's sheet import, from requirements-oca.txt; installed in the reconcile clone only
OCA_SHEET = "account_statement_import_sheet_file"
SIDES = {"scs": "ours", "engine": "engine", "oca": "OCA", "native": "native"}


def _shell(template, db, script, install=(), env=None):
    """The ``BENCH`` rows that ``script`` prints in ``odoo-bin shell`` on a fresh clone
    of ``template`` (with the modules ``install`` installed first), dropped afterwards."""
    odoodb.clone(template, db)
    try:
        if install:
            odoodb.say(f"{db}: installing {', '.join(install)}")
            odoodb._install(db, list(install), False, f"install-{db}.log")
        proc = subprocess.run(
            odoodb.odoo_cmd(["shell", "-d", db, "--log-level=warn", "--no-http"]),
            cwd=odoodb.ROOT,
            # the scripts import bench/shellkit.py
            input=f"import sys\nsys.path.insert(0, {str(SCRIPT.parent)!r})\n{script.read_text()}",
            text=True,
            capture_output=True,
            check=False,
            env=env,
        )
    finally:
        odoodb.drop(db)
    rows = [json.loads(line[6:]) for line in proc.stdout.splitlines() if line.startswith("BENCH ")]
    if proc.returncode or not rows or "Traceback" in proc.stdout + proc.stderr:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        raise SystemExit(f"[scs] benchmark on {db} failed")
    return rows


def run_on(template, db):
    return {row["scenario"]: row for row in _shell(template, db, SCRIPT)}


def _merge(rounds):
    """Median over rounds of each scenario's median time; queries must not vary."""
    merged = {}
    for name in rounds[0]:
        rows = [r[name] for r in rounds]
        merged[name] = {
            "ms": statistics.median(row["ms"] for row in rows),
            "queries": max(row["queries"] for row in rows),
        }
    return merged


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3, help="alternating runs of each side")
    parser.add_argument(
        "--only",
        choices=["loyalty", "reconcile", "cashbook", "migration"],
        help="run only this part (the loyalty, acquirer registry, cash book or office "
        "migration benchmark)",
    )
    parser.add_argument(
        "--oca-rows",
        type=int,
        default=10_000,
        help="rows of the registry OCA's sheet import reads (reconcile part; 0: skip OCA)",
    )
    args = parser.parse_args()
    if args.only in (None, "reconcile") and args.oca_rows:
        _check_oca()
    scs_template = odoodb.ensure_template(demo=False)
    if args.only is None:
        _main_table(args, scs_template)
    if args.only in (None, "loyalty"):
        _loyalty_table(scs_template)
    if args.only in (None, "reconcile"):
        _reconcile_table(scs_template, args.oca_rows)
    if args.only in (None, "cashbook"):
        _cashbook_table(scs_template)
    if args.only in (None, "migration"):
        _migration_table(scs_template)
    return 0


def _main_table(args, scs_template):
    native_template = f"scs_base_nodemo_{odoodb.base_key(False)}"
    native_rounds, scs_rounds = [], []
    for i in range(args.rounds):
        # alternate which side runs first, so that drift in machine load hits both
        order = [("native", native_template), ("scs", scs_template)]
        for side, template in order if i % 2 == 0 else reversed(order):
            odoodb.say(f"round {i + 1}/{args.rounds}: {side}")
            rows = run_on(template, f"scs_bench_{side}")
            (native_rounds if side == "native" else scs_rounds).append(rows)
    native, ours = _merge(native_rounds), _merge(scs_rounds)
    head = (
        f"{'scenario':<42}{'native ms':>10}{'SCS ms':>9}{'x':>6}"
        f"{'native q':>10}{'SCS q':>8}{'x':>6}"
    )
    print(head)
    print("-" * len(head))
    for name, row in native.items():
        mine = ours[name]
        t_ratio = mine["ms"] / row["ms"] if row["ms"] else float("nan")
        q_ratio = mine["queries"] / row["queries"] if row["queries"] else float("nan")
        print(
            f"{name:<42}{row['ms']:>10.1f}{mine['ms']:>9.1f}{t_ratio:>6.2f}"
            f"{row['queries']:>10}{mine['queries']:>8}{q_ratio:>6.2f}"
        )
    print(
        f"ms: median over {args.rounds} alternating rounds of each round's median wall time; "
        "q: SQL queries; x: SCS / native"
    )


def _fmt(value, width, spec=""):
    return "-".rjust(width) if value is None else format(value, f">{width}{spec}")


def _loyalty_table(scs_template):
    odoodb.say("loyalty: native pos_loyalty and SCS in one database (bulk insert ~1 min)")
    rows = _shell(scs_template, "scs_bench_loyalty", LOYALTY_SCRIPT)
    by_scenario, info = {}, []
    for row in rows:
        if row["side"] == "info":
            info.append(row)
            continue
        by_scenario.setdefault(row["scenario"], {})[row["side"]] = row
    print()
    head = (
        f"{'loyalty scenario':<56}{'native ms':>10}{'SCS ms':>9}{'x':>7}"
        f"{'native q':>10}{'SCS q':>7}{'x':>6}"
    )
    print(head)
    print("-" * len(head))
    targets, plans = [], []
    for name, sides in by_scenario.items():
        native, mine = sides.get("native", {}), sides.get("scs", {})
        n_ms, s_ms = native.get("ms"), mine.get("ms")
        n_q, s_q = native.get("queries"), mine.get("queries")
        t_ratio = s_ms / n_ms if n_ms and s_ms is not None else None
        q_ratio = s_q / n_q if n_q and s_q is not None else None
        print(
            f"{name:<56}{_fmt(n_ms, 10, '.2f')}{_fmt(s_ms, 9, '.2f')}{_fmt(t_ratio, 7, '.2f')}"
            f"{_fmt(n_q, 10)}{_fmt(s_q, 7)}{_fmt(q_ratio, 6, '.2f')}"
        )
        plans.extend((name, side, row["plan"]) for side, row in sides.items() if "plan" in row)
        if mine.get("target_ms") and s_ms is not None:
            flag = "ok" if s_ms < mine["target_ms"] else "over"
            targets.append(f"{name.split(': ', 1)[-1]} {s_ms:.2f} ms < {mine['target_ms']}: {flag}")
    print(
        "ms: median wall time of 25 runs (engine: 200) in one run; q: median SQL queries; "
        "x: SCS / native"
    )
    print("target, SCS balance: " + "; ".join(targets))
    for name, side, plan in plans:
        used = ", ".join(plan["indexes"]) or "no index"
        print(
            f"plan, {side}, {name.split(': ', 1)[-1]}: {' > '.join(plan['nodes'])} ({used}), "
            f"{plan['buffers']} buffers, {plan['exec_ms']} ms"
        )
    for row in info:
        facts = ", ".join(f"{k} {v}" for k, v in row.items() if k not in ("scenario", "side"))
        print(f"{row['scenario']}: {facts}")


def _check_oca():
    try:
        importlib.metadata.version(f"odoo-addon-{OCA_SHEET}")
    except importlib.metadata.PackageNotFoundError:
        raise SystemExit(
            f"[scs] {OCA_SHEET} is not installed in the virtualenv: run ./scs bench "
            "(set-up installs requirements-oca.txt)"
        ) from None


def _reconcile_table(scs_template, oca_rows):
    oca = f"OCA on {oca_rows:,} rows ~{oca_rows * 0.035 / 60:.0f} min" if oca_rows else "no OCA"
    odoodb.say(
        f"reconcile: a 100,000-row registry, ours and OCA's {OCA_SHEET} in one database "
        f"(set-up ~1 min, ours ~3 min; {oca})"
    )
    env = dict(os.environ, SCS_BENCH_OCA_ROWS=str(oca_rows))
    install = [OCA_SHEET] if oca_rows else []
    rows = _shell(scs_template, "scs_bench_reconcile", RECONCILE_SCRIPT, install, env)
    measured = _measured_table(
        "reconcile measurement",
        rows,
        62,
        sides=("scs", "engine", "oca"),
        per_row=True,
        timing=" (engine: median of 3)",
        queries_note=" (execute_values pages included)",
    )
    split = [r for r in rows if r["side"] == "split"]
    profile = [r for r in rows if r["side"] == "profile"]
    print("targets: " + "; ".join(_reconcile_targets(measured)))
    _split_tree(split)
    for row in profile:
        print(
            f"profile: {row['where']}: {row['calls']} calls, {row['tottime_ms']} ms own, "
            f"{row['cumtime_ms']} ms with callees"
        )
    _info_lines(rows)


def _reconcile_targets(measured):
    ours = next((r for r in measured if r.get("target_ms")), None)
    oca = next((r for r in measured if r.get("target_ratio")), None)
    if ours is None:
        return ["no import measured"]
    flags = []
    s, limit = ours["ms"] / 1000, ours["target_ms"] / 1000
    flags.append(f"import {s:.1f} s < {limit:.0f} s: {'ok' if s < limit else 'over'}")
    peak, cap = ours["peak_mib"], ours["target_mib"]
    flags.append(f"peak {peak} MiB < {cap} MiB: {'ok' if peak < cap else 'over'}")
    if oca:
        ratio = (oca["ms"] / oca["rows"]) / (ours["ms"] / ours["rows"])
        want = oca["target_ratio"]
        flags.append(
            f"per row OCA / ours {ratio:.1f}x >= {want}x: {'ok' if ratio >= want else 'under'}"
            f" (OCA on {oca['rows']:,} rows, ours on {ours['rows']:,})"
        )
        same = next((r for r in measured if r["side"] == "scs" and r["rows"] == oca["rows"]), None)
        if same and same is not ours:
            same_ratio = (oca["ms"] / oca["rows"]) / (same["ms"] / same["rows"])
            flags.append(f"at {oca['rows']:,} rows each: {same_ratio:.1f}x")
    return flags


def _split_tree(split):
    """The timed run's parts as a tree: what takes at least 0.5% of the import, and
    each node's time outside its timed children."""
    total = next((r for r in split if r["part"] == ["total (timed run)"]), None)
    parts = [r for r in split if r is not total and r["part"][0] != "total (timed run)"]
    if not parts or total is None:
        return
    floor = total["ms"] * 0.005
    print()
    print(
        f"split of _scs_import (a second run, {total['ms'] / 1000:.1f} s with timers around "
        "its parts, their own cost included; RSS and peak after the part's first run):"
    )
    head = f"{'part':<66}{'ms':>9}{'calls':>8}{'queries':>8}{'RSS MiB':>8}{'peak':>6}"
    print(head)
    print("-" * len(head))
    children = {}
    for row in parts:
        children.setdefault(tuple(row["part"][:-1]), []).append(row)

    def show(row):
        path = tuple(row["part"])
        depth = len(path) - 1
        if row["ms"] < floor:
            return
        label = "  " * depth + path[-1]
        print(
            f"{label:<66}{row['ms']:>9.1f}{row['calls']:>8}{row['queries']:>8}"
            f"{_fmt(row.get('rss_mib'), 8)}{_fmt(row.get('peak_mib'), 6)}"
        )
        kids = children.get(path, [])
        for kid in kids:
            show(kid)
        if any(k["ms"] >= floor for k in kids):
            rest = row["ms"] - sum(k["ms"] for k in kids)
            rest_q = row["queries"] - sum(k["queries"] for k in kids)
            if rest >= floor:
                print(f"{'  ' * (depth + 1) + '(the rest)':<66}{rest:>9.1f}{'':>8}{rest_q:>8}")

    for row in children.get((), []):
        show(row)
    print(_split_summary(parts, total))


def _split_summary(parts, total):
    """The brief's four parts (and the rest), from the tree's labels."""

    def ms(*labels):
        return sum(r["ms"] for r in parts if len(r["part"]) == 2 and r["part"][1] in labels) + sum(
            r["ms"] for r in parts if len(r["part"]) == 3 and r["part"][2] in labels
        )

    parse = ms("engine parse")
    create = ms("registry.create")
    match = ms("registry._scs_match")
    store = ms("registry._scs_store_outcomes")
    cases = ms("registry._scs_open_cases")
    engine = ms("engine match")
    other = total["ms"] - parse - create - match
    return (
        f"split: parse {parse / 1000:.1f} s; the registry record {create / 1000:.1f} s; "
        f"matching {(match - store - cases) / 1000:.1f} s (engine {engine / 1000:.1f} s, "
        f"the rest reading the payments); rows written with their outcomes "
        f"{store / 1000:.1f} s; cases {cases / 1000:.1f} s; "
        f"other {other / 1000:.1f} s (look-ups, chatter and attachment, flush)"
    )


LEGEND = (
    "s: wall time of one run{timing}, through the flush the commit would run; queries: SQL "
    "statements{queries}; rows: what the step handles; peak MiB: the shell process's RSS "
    "high-water mark over the step (reset before it), +MiB: over its RSS before"
)


def _measured_table(
    title, rows, width, sides=("scs", "native"), per_row=False, timing="", queries_note=""
):
    """The measured rows (of ``sides``) of a benchmark script as one table; returns them."""
    measured = [r for r in rows if r["side"] in sides]
    print()
    head = (
        f"{title:<{width}}{'s':>8}{'queries':>9}{'rows':>9}"
        f"{'us/row' if per_row else '':>{9 if per_row else 0}}{'peak MiB':>9}{'+MiB':>6}"
    )
    print(head)
    print("-" * len(head))
    for row in measured:
        name = f"{SIDES[row['side']]}: {row['scenario']}"
        per = f"{row['ms'] * 1000 / row['rows']:>9.1f}" if per_row else ""
        print(
            f"{name:<{width}}{row['ms'] / 1000:>8.2f}{row['queries']:>9}{row['rows']:>9,}"
            f"{per}{_fmt(row.get('peak_mib'), 9)}{_fmt(row.get('growth_mib'), 6)}"
        )
    print(LEGEND.format(timing=timing, queries=queries_note))
    return measured


def _info_lines(rows, skip=()):
    for row in rows:
        if row["side"] == "info" and row["scenario"] not in skip:
            facts = ", ".join(f"{k} {v}" for k, v in row.items() if k not in ("scenario", "side"))
            print(f"{row['scenario']}: {facts}")


def _cashbook_table(scs_template):
    odoodb.say("cash book: a year of one desk, 100,000 cash operations (set-up ~2 min)")
    rows = _shell(scs_template, "scs_bench_cashbook", CASHBOOK_SCRIPT)
    measured = _measured_table("cash book measurement", rows, 78)
    ours = [r for r in measured if r["side"] == "scs"]
    native = [r for r in measured if r["side"] == "native"]
    if ours:
        s = sum(r["ms"] for r in ours) / 1000
        peak = max(r["peak_mib"] for r in ours)
        flags = [
            f"generate + print {s:.1f} s < 30 s: {'ok' if s < 30 else 'over'}",
            f"peak {peak} MiB < 500 MiB: {'ok' if peak < 500 else 'over'}",
        ]
        if native:
            n_s = sum(r["ms"] for r in native) / 1000
            flags.append(f"native's same work {n_s:.1f} s ({s / n_s:.2f}x)")
        print("targets: " + "; ".join(flags))
    for row in rows:
        if row["side"] == "profile":
            print(
                f"profile, {row['step']}: {row['where']}: {row['calls']} calls, "
                f"{row['tottime_ms']} ms own, {row['cumtime_ms']} ms with callees"
            )
    _info_lines(rows)


def _migration_table(scs_template):
    odoodb.say(
        "migration: an office of 50,000 customers, 5,000 certificates and 200,000 points "
        "lines into a database holding another office (~5 min)"
    )
    rows = _shell(scs_template, "scs_bench_migration", MIGRATION_SCRIPT)
    measured = _measured_table(
        "migration measurement",
        rows,
        52,
        per_row=True,
        queries_note=" (execute_values pages included)",
    )
    by_name = {(r["side"], r["scenario"]): r for r in measured}
    check = by_name.get(("scs", "check (dry run) of the office's files"))
    done = by_name.get(("scs", "import of the office's files"))
    target = next((r["target_s"] for r in rows if r["scenario"] == "target"), 300)
    flags = []
    if check and done:
        total = (check["ms"] + done["ms"]) / 1000
        flags.append(
            f"check + import {total:.1f} s < {target} s: {'ok' if total < target else 'over'}"
        )
    for native in (r for r in measured if r["side"] == "native"):
        mine = by_name.get(("scs", native["scenario"]))
        if mine:
            flags.append(
                f"{native['scenario']}: base_import {native['ms'] / mine['ms']:.1f}x our time"
            )
    print("targets: " + "; ".join(flags))
    _info_lines(rows, skip=("target",))


if __name__ == "__main__":
    sys.exit(main())
