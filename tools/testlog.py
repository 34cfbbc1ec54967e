"""Verdicts on test-runner output: pure functions, tested in tests/tools/.

The suite must never report success when the tests did not run, so every judge
treats a missing summary, a silent crash or fewer tests than defined as a failure.
"""

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

RESULT_RE = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")
SKIP_RE = re.compile(r" INFO \S+ [\w.]+: skipped (\S+)")
FAIL_RE = re.compile(r" (?:ERROR|CRITICAL) \S+ [\w.]+: (FAIL|ERROR): (.*)")
TEST_DEF_RE = re.compile(r"^\s+def (test_\w+)\(", re.M)
CHECK_RE = re.compile(r"^(?:DEMO|I18N)-CHECK (ok|fail) (.*)$", re.M)


@dataclass
class Verdict:
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    notes: list = field(default_factory=list)


def count_test_methods(source):
    """Test methods a Python test file defines."""
    return len(TEST_DEF_RE.findall(source))


def judge_lint(text, returncode):
    """pre-commit output: one line per hook ending in Passed, Skipped or Failed."""
    v = Verdict()
    for line in text.splitlines():
        if line.endswith("Passed"):
            v.passed += 1
        elif line.endswith("Skipped"):
            v.skipped += 1
        elif line.endswith("Failed"):
            v.failed += 1
            v.notes.append(line.split("...")[0].strip())
    if returncode and not v.failed:
        v.failed = 1
        v.notes.append(f"pre-commit exited {returncode}")
    if not v.passed and not v.failed:
        v.failed = 1
        v.notes.append("pre-commit ran no hook")
    return v


def judge_junit(xml_text, returncode):
    """pytest's JUnit XML; no file or no test run is a failure."""
    v = Verdict()
    if xml_text:
        root = ET.fromstring(xml_text)
        suite = root if root.tag == "testsuite" else root.find("testsuite")
        total = int(suite.get("tests", 0))
        v.failed = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        v.skipped = int(suite.get("skipped", 0))
        v.passed = total - v.failed - v.skipped
    if returncode not in (0, 1) or v.passed + v.failed == 0:
        v.failed = max(v.failed, 1)
        v.notes.append(f"pytest exited {returncode} after {v.passed + v.failed} tests")
    return v


def judge_odoo(text, returncode, expected):
    """Odoo's test log; ``expected`` is how many test methods the add-ons define.

    Skips count as failures: a tour that skips (no browser, no websocket-client)
    has not proven anything.
    """
    v = Verdict()
    v.notes += [f"{kind}: {what}" for kind, what in FAIL_RE.findall(text)]
    v.skipped = len(SKIP_RE.findall(text))
    results = RESULT_RE.findall(text)
    if not results:
        v.failed = max(1, len(v.notes))
        v.notes.append("the Odoo test run printed no result line: the tests did not run")
        return v
    failed, errors, run = (int(x) for x in results[-1])
    v.failed = failed + errors
    v.passed = max(run - v.failed - v.skipped, 0)
    if run < expected:
        v.failed += expected - run
        v.notes.append(f"only {run} of the {expected} Odoo tests defined by the add-ons ran")
    if v.skipped:
        v.failed += v.skipped
        v.notes.append(f"{v.skipped} Odoo test(s) skipped: tests and tours must run, not skip")
    if returncode and not v.failed:
        v.failed = 1
        v.notes.append(f"odoo exited {returncode}")
    return v


def judge_checks(text, returncode):
    """``DEMO-CHECK``/``I18N-CHECK`` lines of a check script run in odoo shell."""
    v = Verdict()
    for status, detail in CHECK_RE.findall(text):
        if status == "ok":
            v.passed += 1
        else:
            v.failed += 1
            v.notes.append(detail)
    if returncode or not v.passed or "Traceback" in text:
        v.failed = max(v.failed, 1)
        v.notes.append("the checks did not complete")
    return v
