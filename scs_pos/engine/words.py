"""Amounts in words for cash orders (KO-1, KO-2): "сто двадцать два рубля 50 копеек"."""

from num2words import num2words

from .money import KOPECK, to_decimal


def _plural(n, one, few, many):
    n = abs(n) % 100
    if 11 <= n <= 19:
        return many
    n %= 10
    if n == 1:
        return one
    if 2 <= n <= 4:
        return few
    return many


def amount_in_words_ru(amount):
    """Roubles in words and kopecks in figures, as the unified forms expect.

    Odoo's ``amount_to_text`` does not decline the rouble, so it is done here.
    """
    value = to_decimal(amount).quantize(KOPECK)
    if value < 0:
        raise ValueError("a cash order amount cannot be negative")
    roubles = int(value)
    kopecks = int((value - roubles) * 100)
    words = num2words(roubles, lang="ru")
    rub = _plural(roubles, "рубль", "рубля", "рублей")
    kop = _plural(kopecks, "копейка", "копейки", "копеек")
    text = f"{words} {rub} {kopecks:02d} {kop}"
    return text[0].upper() + text[1:]


def count_in_words_ru(count):
    """A count of documents in words, as the cash book's signature line writes it."""
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ValueError("a count is a whole number, never negative")
    return num2words(count, lang="ru")


__all__ = ["amount_in_words_ru", "count_in_words_ru"]
