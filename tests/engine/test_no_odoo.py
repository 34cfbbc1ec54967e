"""Engines are plain Python: importing all of them must not import odoo."""

import importlib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _engine_modules():
    for path in sorted(ROOT.glob("*/engine/**/*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        parts = [p for p in rel.parts if p != "__init__"]
        yield ".".join(parts)


def test_engines_exist():
    assert "scs_pos.engine.money" in list(_engine_modules())


def test_engines_do_not_import_odoo():
    modules = list(_engine_modules())
    code = (
        "import sys; sys.path.insert(0, 'tests'); import conftest, importlib\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m == 'odoo' or m.startswith('odoo.'))\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
    assert importlib.util.find_spec("scs_pos.engine") is not None
