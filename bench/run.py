"""SCS benchmarks: wall time and SQL queries, SCS add-ons against native Odoo.

Both databases are clones of the test templates: native Odoo with the modules
our add-ons depend on, and the same with the SCS add-ons installed. The same
scenarios (bench/scenarios.py) run on each in this one run, and the table shows
the ratio. Run with ``./scs bench``.
"""

import json
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


def main():
    scs_template = odoodb.ensure_template(demo=False)
    native_template = f"scs_base_nodemo_{odoodb.base_key(False)}"
    odoodb.say("running the scenarios on native Odoo")
    native = run_on(native_template, "scs_bench_native")
    odoodb.say("running the scenarios with the SCS add-ons")
    ours = run_on(scs_template, "scs_bench_scs")
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
    print("ms: median wall time of the runs; q: SQL queries; x: SCS / native")
    return 0


if __name__ == "__main__":
    sys.exit(main())
