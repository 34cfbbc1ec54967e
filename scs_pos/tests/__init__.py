from . import test_chart
from . import test_office
from . import test_catalogue
from . import test_order_sync
from . import test_frontend
from . import test_i18n
from . import test_booking
from . import test_sales_report
