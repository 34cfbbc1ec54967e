from . import scs_sales_report
