from decimal import Decimal

import pytest

from scs_pos.engine.words import amount_in_words_ru, count_in_words_ru


@pytest.mark.parametrize(
    "amount, text",
    [
        ("1", "Один рубль 00 копеек"),
        ("2.01", "Два рубля 01 копейка"),
        ("5.22", "Пять рублей 22 копейки"),
        ("11.11", "Одиннадцать рублей 11 копеек"),
        ("21.5", "Двадцать один рубль 50 копеек"),
        (Decimal("1220.00"), "Одна тысяча двести двадцать рублей 00 копеек"),
        ("0.99", "Ноль рублей 99 копеек"),
        # the edge values
        ("0", "Ноль рублей 00 копеек"),
        ("21", "Двадцать один рубль 00 копеек"),
        ("1000000.01", "Один миллион рублей 01 копейка"),
    ],
)
def test_amount_in_words(amount, text):
    assert amount_in_words_ru(amount) == text


def test_negative_amount_refused():
    with pytest.raises(ValueError):
        amount_in_words_ru("-1")


def test_count_in_words():
    assert [count_in_words_ru(n) for n in (0, 1, 2, 21)] == ["ноль", "один", "два", "двадцать один"]
    for bad in (-1, 1.5, True):
        with pytest.raises(ValueError):
            count_in_words_ru(bad)
