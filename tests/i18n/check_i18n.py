"""Translation checks, run by ./scs test inside ``odoo-bin shell`` (``env`` is given).

For each SCS add-on: the committed ``i18n/<addon>.pot`` equals a fresh export
(Odoo reads the .pot beside a .po to place its terms, so a stale .pot silently
drops translations), and ``i18n/ru.po`` translates every term of it. With
SCS_I18N_WRITE=1 in the environment the .pot files are rewritten instead.
Prints ``I18N-CHECK ok|fail <name>: <detail>`` lines.
"""

import io
import os
import re
from pathlib import Path

import polib

from odoo.tools.translate import trans_export

ROOT = Path(os.environ["SCS_ROOT"])
DATE_LINE = re.compile(r'^"(POT-Creation-Date|PO-Revision-Date): .*\\n"$', re.M)


def _check(name, condition, detail=""):
    print(f"I18N-CHECK {'ok' if condition else 'fail'} {name}: {detail}")  # noqa: T201


def _export(env, addon):
    buffer = io.BytesIO()
    trans_export(False, [addon], buffer, "po", env.cr)
    return buffer.getvalue().decode()


def run(env):
    write = os.environ.get("SCS_I18N_WRITE") == "1"
    for manifest in sorted(ROOT.glob("*/__manifest__.py")):
        addon = manifest.parent.name
        pot_path = ROOT / addon / "i18n" / f"{addon}.pot"
        fresh = _export(env, addon)
        committed = pot_path.read_text() if pot_path.exists() else ""
        same = DATE_LINE.sub("", committed) == DATE_LINE.sub("", fresh)
        if write and not same:
            # only a real change rewrites the file: no churn on the dates alone
            pot_path.parent.mkdir(exist_ok=True)
            pot_path.write_text(fresh)
            committed, same = fresh, True
        _check(f"{addon}.pot up to date", same, "run ./scs i18n to regenerate" if not same else "")
        po_path = ROOT / addon / "i18n" / "ru.po"
        if not po_path.exists():
            _check(f"{addon} ru.po", False, "missing")
            continue
        po = {e.msgid: e.msgstr for e in polib.pofile(str(po_path)) if not e.obsolete}
        missing = [e.msgid for e in polib.pofile(fresh) if e.msgid and not po.get(e.msgid)]
        _check(f"{addon} ru.po complete", not missing, missing[:5])


run(env)  # noqa: F821
