from . import scs_fiscal_correction_wizard
from . import scs_fiscal_agreement_wizard
