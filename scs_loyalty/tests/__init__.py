from . import test_loyalty_program
