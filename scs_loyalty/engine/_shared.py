"""scs_pos's engine helpers, however the add-ons were imported.

Under Odoo this package is ``odoo.addons.scs_loyalty.engine``, under the plain
engine tests it is ``scs_loyalty.engine``: scs_pos's engine sits beside it in
both cases, under the same parent package.
"""

import importlib

_PARENT = __name__.rsplit(".", 3)[0] + "." if __name__.count(".") > 2 else ""

errors = importlib.import_module(_PARENT + "scs_pos.engine.errors")
money = importlib.import_module(_PARENT + "scs_pos.engine.money")
inn = importlib.import_module(_PARENT + "scs_pos.engine.inn")
