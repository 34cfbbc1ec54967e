from . import scs_acquirer
from . import scs_reconcile_profile
from . import scs_acquirer_registry
from . import scs_reconcile_case
from . import pos_payment
from . import scs_reconcile_report
from . import account_move
