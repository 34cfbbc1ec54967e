from . import scs_migrate
