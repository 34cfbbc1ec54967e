"""SCS benchmarks: wall time and SQL queries, SCS add-ons against native Odoo.

Both databases are clones of the test templates: native Odoo with the modules
our add-ons depend on, and the same with the SCS add-ons installed. The same
scenarios (bench/scenarios.py) run on each in this one run, and the table shows
the ratio. Run with ``./scs bench``.
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


def run_on(template, db):
    odoodb.clone(template, db)
    try:
        proc = subprocess.run(
            odoodb.odoo_cmd(["shell", "-d", db, "--log-level=warn", "--no-http"]),
            cwd=odoodb.ROOT,
            input=SCRIPT.read_text(),
            text=True,
            capture_output=True,
            check=False,
        )
    finally:
        odoodb.drop(db)
    rows = {}
    for line in proc.stdout.splitlines():
        if line.startswith("BENCH "):
            row = json.loads(line[6:])
            rows[row["scenario"]] = row
    if proc.returncode or not rows or "Traceback" in proc.stdout + proc.stderr:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        raise SystemExit(f"[scs] benchmark on {db} failed")
    return rows


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
    args = parser.parse_args()
    scs_template = odoodb.ensure_template(demo=False)
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
