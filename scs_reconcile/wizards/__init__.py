from . import scs_registry_import
