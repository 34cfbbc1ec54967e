from . import loyalty_program
