from . import test_pos_config
