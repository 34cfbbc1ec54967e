from . import test_loyalty_program
from . import test_certificates
