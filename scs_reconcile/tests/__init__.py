from . import test_acquirer
