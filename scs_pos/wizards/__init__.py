from . import scs_cash_book_print
