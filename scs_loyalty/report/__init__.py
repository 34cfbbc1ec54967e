from . import scs_loyalty_liability_report
