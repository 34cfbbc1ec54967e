from . import scs_registry_import
from . import scs_reconcile_case_close
from . import scs_statement_import
