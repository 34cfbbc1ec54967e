from . import scs_sales_report
from . import scs_tender_report
