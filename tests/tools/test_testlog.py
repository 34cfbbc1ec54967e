"""The suite's verdicts: a run that did not happen is never a success."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))

import testlog  # noqa: E402

RESULT = "2026-11-25 03:21:42,1 77 ERROR db odoo.tests.result: {} when loading database 'db'"
OK_RESULT = RESULT.format("0 failed, 0 error(s) of 29 tests").replace(" ERROR ", " INFO ")


def test_green_odoo_run():
    v = testlog.judge_odoo(OK_RESULT, 0, expected=29)
    assert (v.passed, v.failed, v.skipped) == (29, 0, 0)


def test_no_result_line_is_a_failure():
    v = testlog.judge_odoo("Traceback (most recent call last):\n  boom", 255, expected=29)
    assert v.failed >= 1 and v.passed == 0
    assert "did not run" in v.notes[-1]


def test_fewer_tests_than_defined_fail():
    # setUpClass errors make whole classes vanish from the count
    log = RESULT.format("0 failed, 8 error(s) of 5 tests")
    v = testlog.judge_odoo(log, 1, expected=29)
    assert v.failed == 8 + 24


def test_failures_are_named():
    log = (
        "2026-11-25 03:21:41,6 1 ERROR db odoo.addons.scs_fiscal.tests.test_x: "
        "FAIL: TestFiscal.test_mode\n" + RESULT.format("1 failed, 0 error(s) of 29 tests")
    )
    v = testlog.judge_odoo(log, 1, expected=29)
    assert (v.passed, v.failed) == (28, 1)
    assert v.notes == ["FAIL: TestFiscal.test_mode"]


def test_skipped_tour_fails():
    log = (
        "2026-11-25 03:21:41,6 1 INFO db odoo.addons.scs_pos.tests.test_frontend: "
        "skipped TestFrontend.test_tour : websocket-client module is not installed\n" + OK_RESULT
    )
    v = testlog.judge_odoo(log, 0, expected=29)
    assert v.skipped == 1 and v.failed == 1 and v.passed == 28


def test_nonzero_exit_without_failures_fails():
    v = testlog.judge_odoo(OK_RESULT, 1, expected=29)
    assert v.failed == 1


def test_lint():
    text = (
        "ruff check....Passed\nforbidden files....(no files to check)Skipped\nprettier....Failed\n"
    )
    v = testlog.judge_lint(text, 1)
    assert (v.passed, v.failed, v.skipped) == (1, 1, 1)
    assert v.notes == ["prettier"]
    assert testlog.judge_lint("An error has occurred: InvalidConfigError", 1).failed == 1


def test_junit():
    xml = '<testsuites><testsuite tests="5" failures="1" errors="1" skipped="1"/></testsuites>'
    v = testlog.judge_junit(xml, 1)
    assert (v.passed, v.failed, v.skipped) == (2, 2, 1)
    assert testlog.judge_junit("", 4).failed == 1
    assert testlog.judge_junit('<testsuite tests="0"/>', 5).failed == 1


def test_shell_checks():
    v = testlog.judge_checks("DEMO-CHECK ok a: x\nDEMO-CHECK fail b: y\n", 0)
    assert (v.passed, v.failed) == (1, 1)
    assert testlog.judge_checks("DEMO-CHECK ok a: x\nTraceback ...", 1).failed == 1
    assert testlog.judge_checks("", 0).failed == 1


def test_count_test_methods():
    src = "class T:\n    def test_a(self):\n        pass\n    def helper(self):\n        pass\n"
    assert testlog.count_test_methods(src) == 1
