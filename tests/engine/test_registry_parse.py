"""The registry parser on the sample registries and on broken copies of them."""

import datetime
import io
import re
from collections import defaultdict
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from scs_reconcile.engine.registry import PROFILES, Profile, RegistryError, parse

D = Decimal
NBSP = "\u00a0"
DATA = Path(__file__).resolve().parents[2] / "scs_reconcile/tests/data/acquirer"
FILES = {
    "sber": "sber_2026-03-02.csv",
    "tbank": "tbank_2026-03-02.csv",
    "vtb": "vtb_2026-03-02.xlsx",
}
ENCODINGS = {"sber": "cp1251", "tbank": "utf-8"}
NEWLINES = {"sber": "\r\n", "tbank": "\n"}
MAR2, MAR3 = datetime.date(2026, 3, 2), datetime.date(2026, 3, 3)


def sample(bank):
    return (DATA / FILES[bank]).read_bytes()


def lines(bank):
    """The sample CSV's lines (the last one is empty: the file ends with a newline)."""
    return sample(bank).decode(ENCODINGS[bank]).split(NEWLINES[bank])


def edit(bank, line, old, new):
    """The sample CSV with ``old`` replaced by ``new`` in file line ``line``."""
    text = lines(bank)
    assert old in text[line - 1]
    text[line - 1] = text[line - 1].replace(old, new, 1)
    return NEWLINES[bank].join(text).encode(ENCODINGS[bank])


def fails(data, profile, code):
    with pytest.raises(RegistryError) as err:
        parse(data, profile)
    assert err.value.code == code, str(err.value)
    return err.value


# the samples, against the README

README = {  # settlement date: rows, signed amount, fees, net
    "sber": {
        MAR2: (13, "208775.12", "3348.09", "205427.03"),
        MAR3: (17, "121813.08", "2026.80", "119786.28"),
    },
    "tbank": {
        MAR2: (10, "177489.44", "3177.06", "174312.38"),
        MAR3: (17, "92203.57", "2403.63", "89799.94"),
    },
    "vtb": {
        MAR2: (11, "159037.96", "2937.26", "156100.70"),
        MAR3: (15, "130549.63", "3216.15", "127333.48"),
    },
}


@pytest.mark.parametrize("bank", README)
def test_samples_add_up_per_settlement_date(bank):
    registry = parse(sample(bank), PROFILES[bank])
    days = defaultdict(lambda: [0, D(0), D(0), D(0)])
    for row in registry.rows:
        day = days[row.settlement_date]
        day[0] += 1
        day[1] += row.amount
        day[2] += row.fee
        day[3] += row.net
    expected = {d: [n, D(a), D(f), D(net)] for d, (n, a, f, net) in README[bank].items()}
    assert dict(days) == expected
    assert registry.header_line == 1 and registry.totals is None
    assert [r.line for r in registry.rows] == list(range(2, len(registry.rows) + 2))


SPECIAL = [  # the README's rows that are not plain purchases: bank, kind, RRN, TID, amount, fee
    ("sber", "refund", "245213940259", "10234562", "-2992.92", "0"),
    ("sber", "refund", "895811806287", "10234561", "-480.00", "0"),
    ("sber", "purchase", "308902435371", "10234561", "11875.00", "0"),
    ("sber", "reversal", "308902435371", "10234561", "-11875.00", "0"),
    ("sber", "chargeback", "354209724910", "10234562", "-1869.47", "0"),
    ("sber", "purchase", "799359227640", "10234561", "3201.60", "51.23"),
    ("tbank", "refund", "115542832499", "10587001", "-2250.00", "0"),
    ("tbank", "cancel_refund", "115542832499", "10587001", "2250.00", "0"),
    ("tbank", "chargeback", "687800684992", "10587002", "-35993.40", "0"),
    ("tbank", "fee_only", "361133373872", "10587001", "0", "5.00"),
    ("vtb", "refund", "989722537193", "10911002", "-43716.50", "0"),
    ("vtb", "reversal", "392475673551", "10911001", "-2500.00", "0"),
    ("vtb", "chargeback", "372145635844", "10911002", "-4409.01", "0"),
]


@pytest.mark.parametrize(("bank", "kind", "rrn", "tid", "amount", "fee"), SPECIAL)
def test_special_rows_get_their_kind_and_sign(bank, kind, rrn, tid, amount, fee):
    rows = [r for r in parse(sample(bank), PROFILES[bank]).rows if (r.kind, r.rrn) == (kind, rrn)]
    assert [(r.terminal_id, r.amount, r.fee, r.net) for r in rows] == [
        (tid, D(amount), D(fee), D(amount) - D(fee))
    ]


def test_a_row_has_every_field():
    first = parse(sample("sber"), PROFILES["sber"]).rows[0]
    assert first.operation_at == datetime.datetime(2026, 3, 1, 7, 12, 17)
    assert (first.settlement_date, first.terminal_id, first.merchant_id) == (
        MAR2,
        "10234562",
        "780000123456",
    )
    assert (first.card_mask, first.auth_code, first.batch, first.currency, first.raw_kind) == (
        "427600******3907",
        "006W90",
        "523",
        "RUB",
        "Оплата",
    )
    assert (first.amount, first.fee, first.net) == (D("42811.50"), D("684.98"), D("42126.52"))


# keys and the file's hash


def test_the_same_file_gives_the_same_keys():
    one, two = (parse(sample("tbank"), PROFILES["tbank"]) for _ in range(2))
    assert [r.key for r in one.rows] == [r.key for r in two.rows]
    assert len({r.key for r in one.rows}) == len(one.rows)
    assert len(one.rows[0].key) == 32 and one.sha256 == two.sha256 and len(one.sha256) == 64


def test_identical_rows_keep_apart():
    text = lines("tbank")
    twin = "\n".join(text[:-1] + [text[1], ""]).encode()
    plain, doubled = parse(sample("tbank"), PROFILES["tbank"]), parse(twin, PROFILES["tbank"])
    first, last = doubled.rows[0], doubled.rows[-1]
    assert replace(last, line=2, key="") == replace(first, key="")
    assert last.key != first.key
    assert [r.key for r in doubled.rows[:-1]] == [r.key for r in plain.rows]
    assert doubled.sha256 != plain.sha256


# encodings


def test_utf8_with_a_bom():
    plain = parse(sample("tbank"), PROFILES["tbank"])
    bom = b"\xef\xbb\xbf" + sample("tbank")
    for encoding in ("utf-8", "utf-8-sig"):
        assert parse(bom, replace(PROFILES["tbank"], encoding=encoding)).rows == plain.rows


def test_a_wrong_encoding_names_the_line():
    err = fails(sample("sber"), replace(PROFILES["sber"], encoding="utf-8"), "encoding")
    assert err.params["line"] == 1
    one_cp1251_row = edit("tbank", 5, "Debit", "Оплата").replace(
        "Оплата".encode(), "Оплата".encode("cp1251")
    )
    assert fails(one_cp1251_row, PROFILES["tbank"], "encoding").params["line"] == 5


def test_utf8_read_as_cp1251_finds_no_header_and_says_what_it_expected():
    mojibake = sample("sber").decode("cp1251").encode("utf-8")
    err = fails(mojibake, PROFILES["sber"], "header")
    # only the ASCII "RRN" survives
    assert err.params["missing"] == [
        "Дата операции",
        "Номер терминала",
        "Тип операции",
        "Сумма операции",
    ]
    assert "Дата операции, Номер терминала" in str(err) and "cp1251" in str(err)


# a portal ("human") export: title block, NBSP thousands, a totals row

PORTAL = replace(PROFILES["sber"], thousands_separator=NBSP, totals_marker="Итого")


def grouped(number):
    """'-42811,50' or Decimal('-42811.50') as '-42 811,50' with an NBSP."""
    text = f"{D(str(number).replace(',', '.')):,.2f}"
    return text.replace(",", NBSP).replace(".", ",")


def portal_export(fee_off="0", totals=True):
    plain = parse(sample("sber"), PROFILES["sber"]).rows
    data = []
    for line in lines("sber")[1:-1]:
        cells = line.split(";")
        cells[9:12] = map(grouped, cells[9:12])
        data.append(";".join(cells))
    sums = [sum((getattr(r, f) for r in plain), D(0)) for f in ("amount", "fee", "net")]
    sums[1] += D(fee_off)
    text = [
        "Реестр операций по эквайрингу",
        'ТСП: ООО "Ромашка";Мерчант 780000123456',
        "Период: 01.03.2026 - 02.03.2026",
        "",
        lines("sber")[0],
        *data,
        *(["Итого;;;;;;;;;" + ";".join(map(grouped, sums)) + ";;"] if totals else []),
        *(["Ответственный: __________"] if totals else []),  # after the totals: ignored
        "",
    ]
    return "\r\n".join(text).encode("cp1251")


def test_a_portal_export_reads_like_the_plain_one():
    plain = parse(sample("sber"), PROFILES["sber"])
    portal = parse(portal_export(), PORTAL)
    assert portal.header_line == 5
    assert [replace(r, line=r.line - 4) for r in portal.rows] == list(plain.rows)
    assert portal.totals == {
        "line": 36,
        "amount": D("330588.20"),
        "fee": D("5374.89"),
        "net": D("325213.31"),
    }
    err = fails(portal_export(), PROFILES["sber"], "number")  # no thousands separator there
    assert (err.params["line"], err.params["column"]) == (6, "Сумма операции")


def test_totals_that_do_not_add_up():
    err = fails(portal_export(fee_off="0.01"), PORTAL, "totals")
    assert err.params == {
        "line": 36,
        "column": "Комиссия",
        "expected": D("5374.89"),
        "found": D("5374.90"),
    }
    assert "line 36, Комиссия" in str(err)
    # cut off right after a row: only the missing totals row tells
    assert fails(portal_export(totals=False), PORTAL, "no_totals").params["line"] == 35


# broken files


def test_a_truncated_file():
    err = fails(sample("sber")[:-30], PROFILES["sber"], "truncated")
    assert err.params == {"line": 31, "found": 10, "expected": 14}
    xlsx = sample("vtb")
    fails(xlsx[: len(xlsx) // 2], PROFILES["vtb"], "xlsx")


def test_a_missing_column():
    no_batch = "\n".join(line.rpartition(",")[0] for line in lines("tbank")).encode()
    err = fails(no_batch, PROFILES["tbank"], "column")
    assert err.params == {"line": 1, "column": "batch_number"}
    no_rrn = edit("tbank", 1, ",rrn,", ",ref,")
    assert fails(no_rrn, PROFILES["tbank"], "header").params["missing"] == ["rrn"]


@pytest.mark.parametrize("value", ["42811,5,0", "12,3,4", "42 811,50", "42811.50", "42811,505", ""])
def test_a_malformed_number(value):
    err = fails(edit("sber", 2, "42811,50", value), PROFILES["sber"], "number")
    assert err.params == {"line": 2, "column": "Сумма операции", "value": value}
    assert str(err).startswith("line 2, Сумма операции:")


@pytest.mark.parametrize(
    ("old", "new", "column"),
    [("01.03.2026", "2026-03-01", "Дата операции"), ("07:28:55", "7.28", "Время операции")],
)
def test_a_malformed_date(old, new, column):
    err = fails(edit("sber", 4, old, new), PROFILES["sber"], "date")
    assert (err.params["line"], err.params["column"], err.params["value"]) == (4, column, new)
    assert str(err).startswith(f"line 4, {column}:")


def test_an_unknown_operation_type():
    err = fails(edit("tbank", 4, "Debit", "Purchase"), PROFILES["tbank"], "kind")
    assert err.params == {"line": 4, "column": "operation_type", "value": "Purchase"}


def test_rows_that_contradict_themselves():
    err = fails(edit("sber", 2, "42126,52", "42126,53"), PROFILES["sber"], "net")
    assert (err.params["line"], err.params["column"]) == (2, "Сумма к возмещению")
    err = fails(edit("sber", 2, "247361853142", "24736185314"), PROFILES["sber"], "rrn")
    assert (err.params["line"], err.params["column"]) == (2, "RRN")
    # T-Bank's amounts are positive: read as signed, the chargeback (line 12) is wrong
    err = fails(sample("tbank"), replace(PROFILES["tbank"], amount_signed=True), "sign")
    assert (err.params["line"], err.params["kind"]) == (12, "chargeback")
    # a failed authorisation needs no RRN
    no_rrn = edit("tbank", 22, "361133373872", "")
    assert parse(no_rrn, PROFILES["tbank"]).rows[20].rrn == ""


def test_the_source_travels_with_the_error_and_profiles_are_checked():
    with pytest.raises(RegistryError) as err:
        parse(b"nothing here\n", PROFILES["tbank"], source="tbank.csv")
    assert err.value.params["source"] == "tbank.csv"
    with pytest.raises(RegistryError) as err:
        Profile("x", "csv", {"date": "d", "terminal_id": "t", "kind": "k", "amount": "a"}, {})
    assert err.value.params == {"profile": "x", "field": "rrn"}


# an XLSX with a title block, text cells and a totals row


def test_an_xlsx_with_text_cells():
    plain = parse(sample("vtb"), PROFILES["vtb"])
    book = openpyxl.Workbook()
    book.active.title = "Сводка"  # the profile names its sheet: not the first one
    sheet = book.create_sheet("Операции")
    sheet.append(["Реестр операций ВТБ"])
    sheet.append(["ТСП 000091100055", None, "за 01.03.2026 - 02.03.2026"])
    sheet.append([])
    sheet.append(list(PROFILES["vtb"].columns.values()))
    for r in plain.rows:
        when = r.operation_at.strftime("%d.%m.%Y %H:%M:%S")
        ids = [r.settlement_date.strftime("%d.%m.%Y"), r.terminal_id, r.merchant_id, r.raw_kind]
        sheet.append(
            [when, *ids, r.card_mask, r.auth_code, r.rrn, *map(grouped, (r.amount, r.fee, r.net))]
        )
    sums = [float(sum((getattr(r, f) for r in plain.rows), D(0))) for f in ("amount", "fee", "net")]
    sheet.append(["Итого:", *[None] * 7, *sums])
    out = io.BytesIO()
    book.save(out)
    assert re.fullmatch(r"-?[0-9]{1,3}(\xa0[0-9]{3})*,[0-9]{2}", sheet["I5"].value)

    text = parse(out.getvalue(), replace(PROFILES["vtb"], totals_marker="Итого"))
    assert text.header_line == 4 and text.totals["line"] == 31
    assert [replace(r, line=r.line - 3) for r in text.rows] == list(plain.rows)
    assert text.totals["amount"] == D("289587.59")
