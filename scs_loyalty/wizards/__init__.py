from . import base_partner_merge
from . import scs_loyalty_voucher_issue
from . import scs_migration_wizard
