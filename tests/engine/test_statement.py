"""Supplier statements: the parser on the samples and broken copies, and the matching
of statement rows with our agent sales lines, rule by rule."""

import datetime
import io
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from scs_reconcile.engine import agent_match as M
from scs_reconcile.engine.registry import RegistryError
from scs_reconcile.engine.statement import (
    PROFILES,
    REFUND,
    SALE,
    StatementProfile,
    StatementRow,
    document_key,
    parse,
)

D = Decimal
NBSP = "\u00a0"
DATA = Path(__file__).resolve().parents[2] / "scs_reconcile/tests/data/statements"
INSURER = (DATA / "insurer_2026-03.csv").read_bytes()
SHOP = (DATA / "shop_2026-03.xlsx").read_bytes()


def day(n):
    return datetime.date(2026, 3, n)


def insurer_lines():
    return INSURER.decode("cp1251").split("\r\n")


def insurer_with(line, old, new):
    text = insurer_lines()
    assert old in text[line - 1], text[line - 1]
    text[line - 1] = text[line - 1].replace(old, new, 1)
    return "\r\n".join(text).encode("cp1251")


def fails(data, profile, code):
    with pytest.raises(RegistryError) as err:
        parse(data, profile)
    assert err.value.code == code, str(err.value)
    return err.value


# -- parsing the samples -------------------------------------------------------------


def test_insurer_sample():
    found = parse(INSURER, PROFILES["insurer"])
    assert found.header_line == 5
    assert [r.line for r in found.rows] == list(range(6, 14))
    first = found.rows[0]
    assert (first.kind, first.day, first.document, first.amount, first.commission) == (
        SALE,
        day(2),
        "INS-2026-000101",
        D("890.00"),
        D("178.00"),
    )
    assert (first.booking, first.passenger) == ("ABC123", "IVANOV/IVAN")
    assert found.rows[2].amount == D("1780.00")  # a non-breaking space in thousands
    refund = found.rows[5]
    assert (refund.kind, refund.amount, refund.commission) == (REFUND, D("-890.00"), D("-178.00"))
    assert found.totals == {"line": 14, "amount": D("8110.00"), "commission": D("1644.00")}
    assert found.rows[3].document_key == "INS2026000104"


def test_shop_sample():
    found = parse(SHOP, PROFILES["shop"])
    assert found.header_line == 4
    got = [(r.line, r.day, r.item, r.kind, r.quantity, r.amount) for r in found.rows]
    assert got == [
        (5, day(2), "MUG-01", SALE, D(2), D("1300.00")),
        (6, day(2), "CAP-02", SALE, D(3), D("3600.00")),
        (7, day(3), "MODEL-737", SALE, D(1), D("3500.00")),
        (8, day(3), "MUG-01", SALE, D(1), D("650.00")),
        (9, day(4), "MUG-01", REFUND, D(1), D("-650.00")),
        (10, day(5), "PEN-05", SALE, D(5), D("750.50")),
    ]
    assert all(r.document == "" for r in found.rows)


def test_keys_stable_and_twins_distinct():
    first = parse(INSURER, PROFILES["insurer"])
    again = parse(INSURER, PROFILES["insurer"])
    assert [r.key for r in first.rows] == [r.key for r in again.rows]
    assert len({r.key for r in first.rows}) == len(first.rows)
    # lines 7 and 12 differ only in their day: their keys differ too
    assert first.rows[1].key != first.rows[6].key
    twin = insurer_with(12, "05.03.2026", "02.03.2026")
    twins = parse(twin, PROFILES["insurer"]).rows
    assert twins[1].key != twins[6].key


def test_document_key():
    assert document_key(" ins-2026 000104 ") == "INS2026000104"
    assert document_key("555-2412345678") == document_key("555 2412345678")
    assert document_key("") == ""


# -- bad input -----------------------------------------------------------------------


def test_wrong_encoding():
    data = INSURER.decode("cp1251").encode("utf-8")
    err = fails(data, PROFILES["insurer"], "encoding")
    assert err.params["encoding"] == "cp1251"
    err = fails(INSURER, replace(PROFILES["insurer"], encoding="utf-8"), "encoding")
    assert err.params["line"] == 1


def test_missing_column():
    data = insurer_with(5, ";Страховая премия", ";Премия")
    err = fails(data, PROFILES["insurer"], "header")
    assert err.params["missing"] == ["Страховая премия"]
    data = insurer_with(5, ";Бронирование", ";Бронь")
    err = fails(data, PROFILES["insurer"], "column")
    assert (err.params["line"], err.params["column"]) == (5, "Бронирование")


def test_malformed_number_and_date():
    err = fails(insurer_with(7, "890,00", "89O,00"), PROFILES["insurer"], "number")
    assert (err.params["line"], err.params["column"]) == (7, "Страховая премия")
    err = fails(insurer_with(8, "03.03.2026", "2026-03-03"), PROFILES["insurer"], "date")
    assert (err.params["line"], err.params["column"]) == (8, "Дата продажи")
    err = fails(insurer_with(9, "198,00", "19,8,00"), PROFILES["insurer"], "number")
    assert err.params["column"] == "Агентское вознаграждение"


def test_unknown_kind_and_empty_document():
    err = fails(insurer_with(10, "Продажа", "Обмен"), PROFILES["insurer"], "kind")
    assert (err.params["line"], err.params["value"]) == (10, "Обмен")
    err = fails(insurer_with(10, "INS-2026-000105", ""), PROFILES["insurer"], "empty")
    assert (err.params["line"], err.params["column"]) == (10, "Номер полиса")


def test_totals_and_truncation():
    err = fails(insurer_with(14, "8\u00a0110,00", "8\u00a0111,00"), PROFILES["insurer"], "totals")
    assert (err.params["line"], err.params["column"]) == (14, "Страховая премия")
    cut = "\r\n".join(insurer_lines()[:11]).encode("cp1251")
    err = fails(cut, PROFILES["insurer"], "no_totals")
    assert err.params["marker"] == "Итого"
    short = insurer_with(9, ";990,00;198,00", ";990,00")
    err = fails(short, PROFILES["insurer"], "truncated")
    assert err.params["line"] == 9


def test_signed_amount_against_kind():
    # signed amounts: a refund printed positive is refused, negative it is read
    profile = replace(PROFILES["insurer"], amount_signed=True)
    err = fails(INSURER, profile, "sign")
    assert (err.params["line"], err.params["column"]) == (11, "Страховая премия")
    data = insurer_with(11, ";890,00;178,00", ";-890,00;-178,00")
    data = data.replace("8\u00a0110,00;1\u00a0644,00".encode("cp1251"), b"6\xa0330,00;1\xa0288,00")
    found = parse(data, profile)
    assert (found.rows[5].amount, found.rows[5].commission) == (D("-890.00"), D("-178.00"))


def test_shop_bad_cells():
    book = openpyxl.load_workbook(io.BytesIO(SHOP))
    sheet = book["Реализация"]
    sheet["D6"] = 0
    buffer = io.BytesIO()
    book.save(buffer)
    err = fails(buffer.getvalue(), PROFILES["shop"], "number")
    assert (err.params["line"], err.params["column"]) == (6, "Количество")
    sheet["D6"] = 3
    sheet["B7"] = None
    buffer = io.BytesIO()
    book.save(buffer)
    err = fails(buffer.getvalue(), PROFILES["shop"], "empty")
    assert (err.params["line"], err.params["column"]) == (7, "Артикул")


def test_profile_needs_an_identifier():
    with pytest.raises(RegistryError) as err:
        StatementProfile(name="x", file_type="csv", columns={"date": "d", "amount": "a"}, kinds={})
    assert err.value.code == "profile_required"
    with pytest.raises(RegistryError) as err:
        StatementProfile(
            name="x",
            file_type="csv",
            columns={"date": "d", "amount": "a", "rrn": "r", "document": "n"},
            kinds={},
        )
    assert err.value.code == "profile_field"
    with pytest.raises(RegistryError) as err:
        StatementProfile(
            name="x",
            file_type="csv",
            columns={"date": "d", "amount": "a", "document": "n"},
            kinds={"оплата": "purchase"},
        )
    assert err.value.code == "profile_kind"


# -- matching --------------------------------------------------------------------------


def line(key, when, amount, document="", item="", quantity=1, commission=None, **extra):
    return M.AgentLine(
        key=key,
        day=day(when),
        amount=D(amount),
        document=document,
        item=item,
        quantity=D(quantity),
        commission=None if commission is None else D(commission),
        **extra,
    )


def row(n, when, amount, document="", item="", quantity=1, commission=None, kind=None, **extra):
    amount = D(amount)
    return StatementRow(
        line=n,
        key=f"k{n}",
        kind=kind or (REFUND if amount < 0 else SALE),
        day=day(when),
        amount=amount,
        document=document,
        item=item,
        quantity=D(quantity),
        commission=None if commission is None else D(commission),
        **extra,
    )


def by_line(result):
    return {o.row_line: o for o in result.outcomes}


def insurer_ours():
    """Our insurer lines of the sample month, as the README of the samples says."""
    return [
        line("s101", 2, "890.00", "INS-2026-000101", commission="178.00"),
        line("s102", 2, "890.00", "INS-2026-000102", commission="178.00"),
        line("s103a", 3, "890.00", "INS-2026-000103", commission="178.00"),
        line("s103b", 3, "890.00", "INS-2026-000103", commission="178.00"),
        line("s104", 3, "890.00", "INS-2026-000104", commission="178.00"),
        line("s105", 4, "890.00", "INS-2026-000105", commission="178.00"),
        line("r101", 5, "-890.00", "INS-2026-000101", commission="-178.00"),
        line("s109", 6, "890.00", "INS-2026-000109", commission="178.00", booking="QQQ111"),
        line("s110", 7, "890.00", "INS-2026-000110", commission="178.00"),
    ]


def test_insurer_sample_outcomes():
    rows = parse(INSURER, PROFILES["insurer"]).rows
    result = M.match(rows, insurer_ours(), period=(day(1), day(31)))
    got = {o.row_line: (o.status, o.line_keys, o.difference) for o in result.outcomes}
    assert got == {
        6: (M.MATCHED, ("s101",), 0),
        7: (M.MATCHED, ("s102",), 0),
        8: (M.SPLIT, ("s103a", "s103b"), 0),
        9: (M.AMOUNT_MISMATCH, ("s104",), D("100.00")),
        10: (M.COMMISSION_MISMATCH, ("s105",), 0),
        11: (M.MATCHED, ("r101",), 0),
        12: (M.DUPLICATE, (), 0),
        13: (M.UNMATCHED, (), 0),
    }
    assert by_line(result)[10].commission_difference == D("22.00")
    assert result.missing == ("s109", "s110")
    suggested = [(s.row_line, s.line_key) for s in result.suggestions]
    assert suggested[0] == (13, "s109")  # one digit off, same booking, same amount
    assert "document differs in 1" in result.suggestions[0].reasons


def test_shop_sample_outcomes():
    rows = parse(SHOP, PROFILES["shop"]).rows
    ours = [
        line("mug2", 2, "1300.00", item="MUG-01", quantity=2),
        line("cap1", 2, "1200.00", item="CAP-02"),
        line("cap2", 2, "2400.00", item="CAP-02", quantity=2),
        line("model", 4, "3500.00", item="MODEL-737"),
        line("mug600", 3, "600.00", item="MUG-01"),
        line("mugback", 4, "-650.00", item="MUG-01"),
    ]
    result = M.match(rows, ours)
    got = {o.row_line: (o.status, o.line_keys, o.difference) for o in result.outcomes}
    assert got == {
        5: (M.MATCHED, ("mug2",), 0),
        6: (M.SPLIT, ("cap1", "cap2"), 0),
        7: (M.MATCHED, ("model",), 0),
        8: (M.AMOUNT_MISMATCH, ("mug600",), D("50.00")),
        9: (M.MATCHED, ("mugback",), 0),
        10: (M.UNMATCHED, (), 0),
    }
    assert result.missing == ()


def test_refund_row_takes_a_refund_line_not_the_sale():
    ours = [line("sale", 2, "890.00", "P1"), line("back", 3, "-890.00", "P1")]
    result = M.match([row(1, 3, "-890.00", "P1")], ours, period=(day(1), day(31)))
    assert by_line(result)[1].line_keys == ("back",)
    assert result.missing == ("sale",)


def test_document_closest_day_first():
    ours = [line("early", 1, "-100.00", "P1"), line("late", 9, "-100.00", "P1")]
    result = M.match([row(1, 8, "-100.00", "P1")], ours)
    assert by_line(result)[1].line_keys == ("late",)


def test_tolerance():
    ours = [line("a", 2, "890.00", "P1", commission="178.00")]
    rows = [row(1, 2, "890.40", "P1", commission="178.30")]
    assert by_line(M.match(rows, ours))[1].status == M.AMOUNT_MISMATCH
    loose = M.Tolerance(amount=D("0.50"))
    assert by_line(M.match(rows, ours, loose))[1].status == M.MATCHED
    with pytest.raises(ValueError):
        M.Tolerance(amount=D("-1"))


def test_commission_unknown_on_our_side_is_not_checked():
    ours = [line("a", 2, "890.00", "P1")]
    result = M.match([row(1, 2, "890.00", "P1", commission="500.00")], ours)
    assert by_line(result)[1].status == M.MATCHED


def test_settled_earlier_is_a_duplicate_and_not_missing():
    ours = [line("a", 2, "890.00", "P1", settled=True), line("b", 2, "890.00", "P2")]
    result = M.match([row(1, 2, "890.00", "P1")], ours, period=(day(1), day(31)))
    assert by_line(result)[1].status == M.DUPLICATE
    assert result.missing == ("b",)


def test_split_is_bounded():
    ours = [line(f"l{i}", 2, "10.00", "P1") for i in range(12)]
    # 12 lines of 10.00: the first eight are tried, 80.00 is found, 120.00 is not
    assert by_line(M.match([row(1, 2, "80.00", "P1")], ours))[1].status == M.SPLIT
    result = M.match([row(1, 2, "120.00", "P1")], ours)
    assert by_line(result)[1].status == M.AMOUNT_MISMATCH


def test_item_day_window():
    ours = [line("far", 9, "100.00", item="X")]
    result = M.match([row(1, 2, "100.00", item="X")], ours)
    assert by_line(result)[1].status == M.UNMATCHED
    result = M.match([row(1, 2, "100.00", item="X")], ours, M.Tolerance(days=7))
    assert by_line(result)[1].status == M.MATCHED


def test_item_group_mismatch_puts_difference_once():
    ours = [line("a", 2, "100.00", item="X"), line("b", 2, "100.00", item="X")]
    rows = [row(1, 2, "150.00", item="X", quantity=2), row(2, 2, "75.00", item="X")]
    result = by_line(M.match(rows, ours))
    assert (result[1].status, result[1].difference, result[1].line_keys) == (
        M.AMOUNT_MISMATCH,
        D("25.00"),
        ("a", "b"),
    )
    assert (result[2].status, result[2].difference, result[2].line_keys) == (
        M.AMOUNT_MISMATCH,
        0,
        (),
    )


def test_empty_statement():
    result = M.match([], [line("a", 2, "1.00", "P")])
    assert result.outcomes == () and result.missing == ()
