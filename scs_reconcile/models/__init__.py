from . import scs_acquirer
from . import pos_payment
