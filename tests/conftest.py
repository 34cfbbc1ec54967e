"""Engine tests: the add-ons' ``engine`` packages, imported without Odoo.

Each add-on folder is registered as a bare namespace so that
``import scs_pos.engine.money`` does not run the add-on's ``__init__`` (which
imports its Odoo models). Engines must never import odoo; a test checks it.
"""

import importlib.machinery
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDONS = sorted(p.parent.name for p in ROOT.glob("*/__manifest__.py"))

for _addon in ADDONS:
    if _addon not in sys.modules:
        _spec = importlib.machinery.ModuleSpec(_addon, None, is_package=True)
        _module = importlib.util.module_from_spec(_spec)
        _module.__path__ = [str(ROOT / _addon)]
        sys.modules[_addon] = _module
