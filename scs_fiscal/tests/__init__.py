from . import test_pos_config
from . import test_fiscal_queue
from . import test_fiscal_shift
from . import test_agreement_scenarios
from . import test_frontend
from . import test_relay
from . import test_cash_book_agreement
from . import test_dashboard
