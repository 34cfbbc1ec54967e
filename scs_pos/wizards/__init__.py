from . import scs_cash_book_print
from . import scs_cash_move
