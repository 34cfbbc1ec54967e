from . import scs_acquirer
