"""The KO-4 workbook read back: the form's title, each day's sheet with its balances,
orders and signature line, and a page break after each sheet."""

import datetime
import io
from decimal import Decimal

import openpyxl

from scs_pos.adapters import cashbook_xlsx
from scs_pos.engine import cashbook as C

UTC = datetime.datetime


def book():
    orders = [
        C.CashOrder(
            1,
            C.INCOMING,
            1,
            UTC(2026, 3, 2, 3),
            Decimal("1220.00"),
            "Касса ККТ",
            "90.01",
            "Выручка",
        ),
        C.CashOrder(
            2,
            C.OUTGOING,
            1,
            UTC(2026, 3, 2, 9),
            Decimal("1000.00"),
            "Инкассатор Петров П.П.",
            "57.01",
        ),
        C.CashOrder(
            3,
            C.INCOMING,
            2,
            UTC(2026, 3, 3, 3),
            Decimal("10.50"),
            "Иванов И.И.",
            "71.01",
            "Возврат подотчёта",
        ),
    ]
    return C.compose(orders, "Asia/Irkutsk", opening=Decimal("300.00"), sheet_numbers={2026: 60})


def test_workbook_layout():
    data = cashbook_xlsx.write(
        book(),
        {
            "organisation": "АО «Авиакомпания»",
            "okpo": "12345678",
            "cashier": "Сидорова А.А.",
            "accountant": "Кузнецова Е.В.",
        },
    )
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    cells = list(ws.iter_rows(values_only=True))
    flat = [v for row in cells for v in row if v not in (None, "")]
    assert "0310004" in flat and "12345678" in flat and "КАССОВАЯ КНИГА" in flat
    assert "КАССА за «02» марта 2026 г." in flat and "Лист 61" in flat
    assert "КАССА за «03» марта 2026 г." in flat and "Лист 62" in flat

    def row_of(label, start=0):
        for i, row in enumerate(cells[start:], start):
            if label in row:
                return i, row
        raise AssertionError(label)

    i, opening = row_of("Остаток на начало дня")
    assert opening[3] == 300.0
    assert cells[i + 1][:5] == ("1", "Касса ККТ; Выручка", "90.01", 1220.0, None)
    assert cells[i + 2][3:5] == (None, 1000.0)
    _, total = row_of("Итого за день", i)
    assert total[3:5] == (1220.0, 1000.0)
    j, closing = row_of("Остаток на конец дня", i)
    assert (closing[3], closing[4]) == (520.0, "x")
    _, words = next(
        (k, r) for k, r in enumerate(cells[j:], j) if r[0] and "количестве" in str(r[0])
    )
    assert "один приходных и один расходных" in words[0]
    _, second = row_of("Остаток на начало дня", j)
    assert second[3] == 520.0  # carried forward
    breaks = [b.id for b in ws.row_breaks.brk]
    assert len(breaks) == 2  # after the title page and the first sheet


def test_empty_book():
    data = cashbook_xlsx.write(C.compose([], "Europe/Moscow"), {})
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws["A7"].value == "КАССОВАЯ КНИГА"
