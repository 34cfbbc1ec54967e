"""SCS benchmarks: wall time and SQL queries, SCS add-ons against native Odoo.

Both databases are clones of the test templates: native Odoo with the modules
our add-ons depend on, and the same with the SCS add-ons installed. The same
scenarios (bench/scenarios.py) run on each in this one run, and the table shows
the ratio. Then bench/loyalty.py runs once on a clone of the SCS template, where
native pos_loyalty is installed as well: both sides in one database, a second
table. Run with ``./scs bench`` (``--only loyalty``: that part alone).
"""

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))

import odoodb  # noqa: E402

SCRIPT = Path(__file__).resolve().parent / "scenarios.py"
LOYALTY_SCRIPT = Path(__file__).resolve().parent / "loyalty.py"


def _shell(template, db, script):
    """The ``BENCH`` rows that ``script`` prints in ``odoo-bin shell`` on a fresh clone
    of ``template``, dropped afterwards."""
    odoodb.clone(template, db)
    try:
        proc = subprocess.run(
            odoodb.odoo_cmd(["shell", "-d", db, "--log-level=warn", "--no-http"]),
            cwd=odoodb.ROOT,
            input=script.read_text(),
            text=True,
            capture_output=True,
            check=False,
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
        "--only", choices=["loyalty"], help="run only this part (the loyalty benchmark)"
    )
    args = parser.parse_args()
    scs_template = odoodb.ensure_template(demo=False)
    if args.only != "loyalty":
        _main_table(args, scs_template)
    _loyalty_table(scs_template)
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


if __name__ == "__main__":
    sys.exit(main())
