"""The cash book (KO-4) as an XLSX workbook laid out like the unified form: a title
page, then each day's sheet ("КАССА за ...", "Лист N") with its opening balance,
orders, day totals, closing balance and signatures, a page break after each.

Written with XlsxWriter in constant-memory mode: a year of sheets streams to the
file row by row.
"""

import io

import xlsxwriter

from ..engine.cashbook import INCOMING
from ..engine.words import count_in_words_ru

MONTHS = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
FORM = "Унифицированная форма № КО-4, утв. постановлением Госкомстата России от 18.08.98 № 88"
COLUMNS = (
    ("Номер документа", 12),
    ("От кого получено или кому выдано", 46),
    ("Номер корреспондирующего счета, субсчета", 16),
    ("Приход, руб. коп.", 16),
    ("Расход, руб. коп.", 16),
)


def long_date(day):
    return f"«{day.day:02d}» {MONTHS[day.month - 1]} {day.year} г."


def write(book, header):
    """The XLSX bytes of ``book`` (:class:`~..engine.cashbook.Book`); ``header``:
    organisation, division, okpo, cashier, accountant (names as printed)."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": True})
    ws = workbook.add_worksheet("КО-4")
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    for col, (_title, width) in enumerate(COLUMNS):
        ws.set_column(col, col, width)
    fmt = _formats(workbook)
    breaks = [_title_page(ws, fmt, book, header)]
    for sheet in book.sheets:
        breaks.append(_sheet(ws, fmt, sheet, header, breaks[-1]))
    ws.set_h_pagebreaks(breaks[:-1] if len(breaks) > 1 else [])
    workbook.close()
    return buffer.getvalue()


def _formats(workbook):
    base = {"font_name": "Times New Roman", "font_size": 10, "valign": "vcenter"}
    return {
        "text": workbook.add_format(base),
        "small": workbook.add_format({**base, "font_size": 8, "align": "right"}),
        "title": workbook.add_format({**base, "bold": True, "font_size": 12, "align": "center"}),
        "head": workbook.add_format(
            {**base, "bold": True, "border": 1, "text_wrap": True, "align": "center"}
        ),
        "cell": workbook.add_format({**base, "border": 1, "text_wrap": True}),
        "money": workbook.add_format({**base, "border": 1, "num_format": "#,##0.00"}),
        "label": workbook.add_format({**base, "border": 1, "bold": True}),
        "total": workbook.add_format({**base, "border": 1, "bold": True, "num_format": "#,##0.00"}),
        "x": workbook.add_format({**base, "border": 1, "align": "center"}),
    }


def _title_page(ws, fmt, book, header):
    years = sorted({s.day.year for s in book.sheets})
    ws.write(0, 0, FORM, fmt["small"])
    ws.write(1, 3, "Код", fmt["head"])
    ws.write(2, 2, "Форма по ОКУД", fmt["text"])
    ws.write(2, 3, "0310004", fmt["x"])
    ws.write(3, 0, header.get("organisation", ""), fmt["text"])
    ws.write(3, 2, "по ОКПО", fmt["text"])
    ws.write(3, 3, header.get("okpo", ""), fmt["x"])
    ws.write(4, 0, header.get("division", ""), fmt["text"])
    ws.write(6, 0, "КАССОВАЯ КНИГА", fmt["title"])
    ws.write(7, 0, "на " + ", ".join(f"{y} г." for y in years) if years else "", fmt["text"])
    return 9


def _sheet(ws, fmt, sheet, header, row):
    ws.write(row, 0, f"КАССА за {long_date(sheet.day)}", fmt["title"])
    ws.write(row, 4, f"Лист {sheet.number}", fmt["text"])
    row += 1
    for col, (title, _width) in enumerate(COLUMNS):
        ws.write(row, col, title, fmt["head"])
    row += 1
    for col in range(len(COLUMNS)):
        ws.write(row, col, col + 1, fmt["x"])
    row += 1
    ws.write(row, 0, "", fmt["cell"])
    ws.write(row, 1, "Остаток на начало дня", fmt["label"])
    ws.write(row, 2, "", fmt["cell"])
    ws.write_number(row, 3, float(sheet.opening), fmt["total"])
    ws.write(row, 4, "x", fmt["x"])
    row += 1
    for order in sheet.orders:
        ws.write(row, 0, str(order.number), fmt["cell"])
        ws.write(row, 1, _party(order), fmt["cell"])
        ws.write(row, 2, order.account, fmt["cell"])
        incoming = order.kind == INCOMING
        ws.write(row, 3, float(order.amount) if incoming else "", fmt["money"])
        ws.write(row, 4, "" if incoming else float(order.amount), fmt["money"])
        row += 1
    for label, income, expense in (
        ("Итого за день", float(sheet.income), float(sheet.expense)),
        ("Остаток на конец дня", float(sheet.closing), "x"),
        ("в том числе на заработную плату", 0.0, "x"),
    ):
        ws.write(row, 0, "", fmt["cell"])
        ws.write(row, 1, label, fmt["label"])
        ws.write(row, 2, "", fmt["cell"])
        ws.write_number(row, 3, income, fmt["total"])
        if isinstance(expense, float):
            ws.write_number(row, 4, expense, fmt["total"])
        else:
            ws.write(row, 4, expense, fmt["x"])
        row += 1
    row += 1
    ws.write(row, 0, "Кассир", fmt["text"])
    ws.write(row, 2, header.get("cashier", ""), fmt["text"])
    row += 1
    ws.write(
        row,
        0,
        "Записи в кассовой книге проверил и документы в количестве "
        f"{count_in_words_ru(sheet.incoming_count)} приходных и "
        f"{count_in_words_ru(sheet.outgoing_count)} расходных получил.",
        fmt["text"],
    )
    row += 1
    ws.write(row, 0, "Бухгалтер", fmt["text"])
    ws.write(row, 2, header.get("accountant", ""), fmt["text"])
    return row + 2


def _party(order):
    if order.basis and order.counterparty:
        return f"{order.counterparty}; {order.basis}"
    return order.counterparty or order.basis
