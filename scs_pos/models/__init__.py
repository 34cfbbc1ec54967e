from . import scs_office
from . import pos_config
from . import pos_order
from . import pos_session
from . import product_template
from . import res_partner
from . import scs_agent_contract
from . import res_config_settings
