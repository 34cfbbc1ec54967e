from . import base_partner_merge
from . import scs_loyalty_voucher_issue
