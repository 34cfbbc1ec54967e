from . import test_acquirer
from . import test_chargeback
from . import test_registry_import
from . import test_statement
from . import test_dashboard
