"""The whole SCS test suite: lint, engine tests, Odoo tests with POS tours.

Called by ``./scs test`` after set-up (virtualenv, Odoo, PostgreSQL, Chromium).
Prints one table and a pytest-style closing line; exits non-zero on any failure,
and also when the Odoo tests did not run (no result line, fewer tests than the
add-ons define, a skipped tour).
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import odoodb  # noqa: E402
import testlog  # noqa: E402

ROOT = odoodb.ROOT
WORK = odoodb.WORK
LOG = WORK / "log"
# a second developer run (another terminal, a helper) picks its own database and log
TEST_DB = os.environ.get("SCS_TEST_DB", "scs_test")


class Outcome:
    def __init__(self, name):
        self.name = name
        self.passed = self.failed = self.skipped = 0
        self.seconds = 0.0
        self.notes = []

    def absorb(self, verdict):
        self.passed += verdict.passed
        self.failed += verdict.failed
        self.skipped += verdict.skipped
        self.notes += verdict.notes


def run_lint():
    out = Outcome("lint (pre-commit)")
    t0 = time.time()
    env = dict(os.environ)
    env["PRE_COMMIT_HOME"] = str(WORK / "pre-commit")
    env["PATH"] = os.pathsep.join(
        [str(odoodb.VENV / "bin"), str(WORK / "node" / "node_modules" / ".bin"), env["PATH"]]
    )
    env["SKIP"] = env.get("SCS_LINT_SKIP", "")
    log = LOG / "lint.log"
    with open(log, "w") as fh:
        proc = subprocess.run(
            [
                str(odoodb.VENV / "bin" / "pre-commit"),
                "run",
                "--all-files",
                "--show-diff-on-failure",
                "--color=never",
            ],
            cwd=ROOT,
            env=env,
            stdout=fh,
            stderr=subprocess.STDOUT,
        )
    text = log.read_text()
    out.absorb(testlog.judge_lint(text, proc.returncode))
    if out.failed:
        print(text[-6000:])
    out.seconds = time.time() - t0
    return out


def run_engine_tests():
    out = Outcome("pytest (no database)")
    t0 = time.time()
    junit = LOG / "pytest.xml"
    proc = subprocess.run(
        [
            str(odoodb.VENV / "bin" / "python"),
            "-m",
            "pytest",
            "-p",
            "no:odoo",
            "-p",
            "no:cacheprovider",
            "-q",
            "--junitxml",
            str(junit),
            "tests",
        ],
        cwd=ROOT,
    )
    out.absorb(testlog.judge_junit(junit.read_text() if junit.exists() else "", proc.returncode))
    out.seconds = time.time() - t0
    return out


def expected_odoo_tests():
    count = 0
    for addon in odoodb.ADDONS:
        for path in (ROOT / addon / "tests").glob("test_*.py"):
            count += testlog.count_test_methods(path.read_text())
    return count


def run_odoo_tests(rebuild, only_tags=None):
    out = Outcome("Odoo tests + POS tours")
    t0 = time.time()
    template = odoodb.ensure_template(demo=False, rebuild=rebuild)
    odoodb.clone(template, TEST_DB)
    tags = only_tags or ",".join(f"/{a}" for a in odoodb.ADDONS)
    log = LOG / ("odoo-tests.log" if TEST_DB == "scs_test" else f"odoo-tests-{TEST_DB}.log")
    print(
        f"[scs] running the Odoo tests of {', '.join(odoodb.ADDONS)} "
        f"(log: {log.relative_to(ROOT)})",
        flush=True,
    )
    with open(log, "w") as fh:
        proc = odoodb.odoo(
            [
                "-d",
                TEST_DB,
                "--test-enable",
                "--test-tags",
                tags,
                "--stop-after-init",
                "--without-demo=all",
                "--log-level=test",
                "--http-port",
                str(odoodb.free_port()),
                "--max-cron-threads=0",
            ],
            stdout=fh,
        )
    text = log.read_text(errors="replace")
    # a developer's subset (--tags) is not held to the full count of tests
    verdict = testlog.judge_odoo(text, proc.returncode, 0 if only_tags else expected_odoo_tests())
    out.absorb(verdict)
    if "no result line" in " ".join(verdict.notes):
        print(text[-8000:])
    if out.failed:
        for line in text.splitlines():
            if (
                " ERROR " in line
                or " CRITICAL " in line
                or line.startswith(("Traceback", "  File", "AssertionError"))
            ):
                print(line[:400])
    out.seconds = time.time() - t0
    return out


def run_shell_checks(title, script, demo, extra_env=None):
    """Run a check script in ``odoo-bin shell`` on a clone of a template."""
    out = Outcome(title)
    t0 = time.time()
    template = odoodb.ensure_template(demo=demo)
    db = "scs_test_checks"
    odoodb.clone(template, db)
    log = LOG / f"{Path(script).stem}.log"
    env = dict(os.environ, SCS_ROOT=str(ROOT), **(extra_env or {}))
    with open(log, "w") as fh:
        proc = subprocess.run(
            odoodb.odoo_cmd(["shell", "-d", db, "--log-level=warn", "--no-http"]),
            cwd=ROOT,
            input=(ROOT / script).read_text(),
            text=True,
            stdout=fh,
            stderr=subprocess.STDOUT,
            env=env,
            check=False,
        )
    text = log.read_text(errors="replace")
    out.absorb(testlog.judge_checks(text, proc.returncode))
    if out.failed:
        out.notes.append(f"log: {log.relative_to(ROOT)}")
        print(text[-4000:])
    odoodb.drop(db)
    out.seconds = time.time() - t0
    return out


def run_demo_checks():
    """All add-ons with their demo data install together, and the demo is complete."""
    return run_shell_checks("demo database checks", "tests/demo/check_demo.py", demo=True)


def run_i18n_checks(write=False):
    """The .pot files match the code and ru.po translates all of them."""
    extra = {"SCS_I18N_WRITE": "1"} if write else {}
    return run_shell_checks("translations", "tests/i18n/check_i18n.py", demo=False, extra_env=extra)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the template databases")
    parser.add_argument("--no-lint", action="store_true", help="skip the lint step")
    parser.add_argument(
        "--only", choices=["lint", "pytest", "odoo", "i18n", "demo"], help="run one step only"
    )
    parser.add_argument(
        "--tags", help="Odoo test tags of a subset to run while developing, e.g. /scs_pos:TestX"
    )
    parser.add_argument(
        "--write-pot", action="store_true", help="regenerate the .pot files, then check them"
    )
    args = parser.parse_args()
    LOG.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    steps = []
    if args.only in (None, "lint") and not args.no_lint:
        steps.append(run_lint())
    if args.only in (None, "pytest"):
        steps.append(run_engine_tests())
    if args.only in (None, "odoo"):
        steps.append(run_odoo_tests(args.rebuild, args.tags))
    if args.only in (None, "i18n"):
        steps.append(run_i18n_checks(write=args.write_pot))
    if args.only in (None, "demo"):
        steps.append(run_demo_checks())
    print()
    print(f"{'step':<28}{'passed':>8}{'failed':>8}{'skipped':>9}{'seconds':>9}")
    for s in steps:
        print(f"{s.name:<28}{s.passed:>8}{s.failed:>8}{s.skipped:>9}{s.seconds:>9.1f}")
        for note in s.notes:
            print(f"    ! {note}")
    passed = sum(s.passed for s in steps)
    failed = sum(s.failed for s in steps)
    skipped = sum(s.skipped for s in steps)
    print(f"total time {time.time() - t0:.0f}s")
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
