from . import test_loyalty_program
from . import test_certificates
from . import test_vouchers
from . import test_points
from . import test_fiscal
from . import test_concurrent_spending
from . import test_frontend
from . import test_liability_report
