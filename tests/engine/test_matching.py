import csv
import datetime
import random
from collections import Counter
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from scs_reconcile.engine import matching
from scs_reconcile.engine.matching import (
    AMOUNT_MISMATCH,
    CHARGEBACK,
    DUPLICATE,
    FEE_ONLY,
    MATCHED,
    REVERSED_PAIR,
    SPLIT,
    UNMATCHED_REGISTRY,
    MatchError,
    Outcome,
    Suggestion,
    Tolerance,
    match,
)
from scs_reconcile.engine.rows import (
    CANCEL_REFUND,
    CHARGEBACK_REVERSAL,
    PURCHASE,
    REFUND,
    REVERSAL,
    Payment,
    RegistryRow,
)

D = Decimal
DATA = Path(__file__).resolve().parents[2] / "scs_reconcile" / "tests" / "data" / "acquirer"
KOPECK = D("0.01")

# a small reader of the three samples, independent of the registry parser


def _row(bank, line, kind, at, settlement, tid, rrn, amount, fee, auth, mask):
    return RegistryRow(
        line=line,
        key=f"{bank}:{line}",
        kind=kind,
        operation_at=at,
        settlement_date=settlement,
        terminal_id=tid,
        rrn=rrn,
        amount=amount,
        fee=fee,
        net=amount - fee,
        auth_code=auth,
        card_mask=mask,
    )


SBER_KINDS = {
    "Оплата": (PURCHASE, 1),
    "Возврат": (REFUND, -1),
    "Отмена": (REVERSAL, -1),
    "Опротестование": ("chargeback", -1),
}
TBANK_KINDS = {
    "Debit": (PURCHASE, 1),
    "Credit": (REFUND, -1),
    "CancelRefund": (CANCEL_REFUND, 1),
    "Chargeback": ("chargeback", -1),
    "AUTH_FAIL": ("fee_only", 1),
}
VTB_KINDS = {
    "Покупка": PURCHASE,
    "Возврат покупки": REFUND,
    "Отмена покупки": REVERSAL,
    "Чарджбэк": "chargeback",
}


def _sber_rows():
    with open(DATA / "sber_2026-03-02.csv", encoding="cp1251", newline="") as f:
        table = list(csv.reader(f, delimiter=";"))
    rows = []
    for line, cells in enumerate(table[1:], start=2):
        day, time, settle, tid, _mid, op, mask, auth, rrn, amount, fee = cells[:11]
        kind, sign = SBER_KINDS[op]
        rows.append(
            _row(
                "sber",
                line,
                kind,
                datetime.datetime.strptime(f"{day} {time}", "%d.%m.%Y %H:%M:%S"),
                datetime.datetime.strptime(settle, "%d.%m.%Y").date(),
                tid,
                rrn,
                sign * D(amount.replace(",", ".")),
                D(fee.replace(",", ".")),
                auth,
                mask,
            )
        )
    return rows


def _tbank_rows():
    with open(DATA / "tbank_2026-03-02.csv", encoding="utf-8", newline="") as f:
        table = list(csv.DictReader(f))
    rows = []
    for line, cells in enumerate(table, start=2):
        kind, sign = TBANK_KINDS[cells["operation_type"]]
        rows.append(
            _row(
                "tbank",
                line,
                kind,
                datetime.datetime.fromisoformat(cells["transaction_datetime"]),
                datetime.date.fromisoformat(cells["settlement_date"]),
                cells["terminal_id"],
                cells["rrn"],
                sign * D(cells["amount"]),
                D(cells["fee"]),
                cells["auth_code"],
                cells["card_mask"],
            )
        )
    return rows


def _money(cell):
    return D(str(cell)).quantize(KOPECK)


def _vtb_rows():
    sheet = openpyxl.load_workbook(DATA / "vtb_2026-03-02.xlsx", read_only=True)["Операции"]
    rows = []
    for line, cells in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        at, settle, tid, _mid, op, mask, auth, rrn, amount, fee, _net = cells
        rows.append(
            _row(
                "vtb",
                line,
                VTB_KINDS[op],
                at,
                settle.date(),
                str(tid),
                str(rrn),
                _money(amount),
                _money(fee),
                str(auth or ""),
                str(mask),
            )
        )
    return rows


def _pos_payments(acquirer=None):
    with open(DATA / "pos_payments_2026-03-02.csv", encoding="utf-8", newline="") as f:
        table = list(csv.DictReader(f))
    return [
        Payment(
            key=cells["pos_payment_ref"],
            terminal_id=cells["terminal_id"],
            rrn=cells["rrn"],
            amount=D(cells["amount"]),
            at=datetime.datetime.fromisoformat(cells["payment_datetime"]),
            auth_code=cells["auth_code"],
            kind=cells["kind"],
            original_rrn=cells["original_rrn"],
            reconciled=cells["note"] == "reconciled earlier",
            extra={"card_mask": cells["card_mask"], "acquirer": cells["acquirer"]},
        )
        for cells in table
        if acquirer in (None, cells["acquirer"])
    ]


READERS = {"SBER": _sber_rows, "TBANK": _tbank_rows, "VTB": _vtb_rows}


def _by_rrn(rows, result):
    """``{rrn: [(kind, status, payment keys, rule), ...]}`` in row order."""
    found = {}
    for row, outcome in zip(rows, result.outcomes, strict=True):
        assert outcome.row_line == row.line
        found.setdefault(row.rrn, []).append(
            (row.kind, outcome.status, outcome.payment_keys, outcome.rule)
        )
    return found


# the samples: the README's expected outcome


EXPECTED = {
    "SBER": {
        "rows": 30,
        "counts": {MATCHED: 26, REVERSED_PAIR: 2, CHARGEBACK: 1, UNMATCHED_REGISTRY: 1},
        "pos_only": ("SVO-00029",),
        "special": {
            "245213940259": [(REFUND, MATCHED, ("SVO-00025",), "tid+rrn")],
            "895811806287": [(REFUND, MATCHED, ("SVO-00026",), "tid+rrn")],
            "308902435371": [
                (PURCHASE, REVERSED_PAIR, ("SVO-00027",), "reversal"),
                (REVERSAL, REVERSED_PAIR, ("SVO-00027",), "reversal"),
            ],
            "354209724910": [("chargeback", CHARGEBACK, ("SVO-00028",), "chargeback")],
            "799359227640": [(PURCHASE, UNMATCHED_REGISTRY, (), "none")],
        },
        # the only open payment on that terminal that day, nothing else in common
        "suggestions": (Suggestion(30, "SVO-00029", 45, ("same terminal", "same day")),),
    },
    "TBANK": {
        "rows": 27,
        "counts": {
            MATCHED: 22,
            REVERSED_PAIR: 2,
            CHARGEBACK: 1,
            FEE_ONLY: 1,
            UNMATCHED_REGISTRY: 1,
        },
        "pos_only": (),
        "special": {
            "972717160374": [(REFUND, MATCHED, ("DME-00021",), "tid+rrn")],
            "433526621929": [(REFUND, MATCHED, ("DME-00022",), "tid+rrn")],
            "115542832499": [
                (REFUND, REVERSED_PAIR, ("DME-00023",), "reversal"),
                (CANCEL_REFUND, REVERSED_PAIR, ("DME-00023",), "reversal"),
            ],
            "687800684992": [("chargeback", CHARGEBACK, ("DME-00024",), "chargeback")],
            "361133373872": [("fee_only", FEE_ONLY, (), "fee_only")],
            "818666283788": [(PURCHASE, UNMATCHED_REGISTRY, (), "none")],
        },
        # every T-Bank payment is accounted for: nothing left to suggest
        "suggestions": (),
    },
    "VTB": {
        "rows": 26,
        "counts": {MATCHED: 22, REVERSED_PAIR: 2, CHARGEBACK: 1, UNMATCHED_REGISTRY: 1},
        "pos_only": (),
        "special": {
            "989722537193": [(REFUND, MATCHED, ("LED-00021",), "tid+rrn")],
            "788252456972": [(REFUND, MATCHED, ("LED-00022",), "tid+rrn")],
            "392475673551": [
                (PURCHASE, REVERSED_PAIR, ("LED-00023",), "reversal"),
                (REVERSAL, REVERSED_PAIR, ("LED-00023",), "reversal"),
            ],
            "372145635844": [("chargeback", CHARGEBACK, ("LED-00024",), "chargeback")],
            "396615219505": [(PURCHASE, UNMATCHED_REGISTRY, (), "none")],
        },
        "suggestions": (),
    },
}


@pytest.mark.parametrize("acquirer", sorted(EXPECTED))
def test_sample_outcome(acquirer):
    expected = EXPECTED[acquirer]
    rows = READERS[acquirer]()
    payments = _pos_payments(acquirer)
    result = match(rows, payments)

    assert len(rows) == expected["rows"]
    assert [o.row_line for o in result.outcomes] == [row.line for row in rows]
    assert Counter(o.status for o in result.outcomes) == expected["counts"]
    assert result.pos_only == expected["pos_only"]
    assert result.suggestions == expected["suggestions"]
    found = _by_rrn(rows, result)
    for rrn, outcomes in expected["special"].items():
        assert found[rrn] == outcomes, rrn
    # every other row is a purchase matched to the POS sale of its RRN, each sale once
    by_key = {pay.key: pay for pay in payments}
    matched = [
        (row, o) for row, o in zip(rows, result.outcomes, strict=True) if o.status == MATCHED
    ]
    for row, outcome in matched:
        (key,) = outcome.payment_keys
        pay = by_key[key]
        assert (pay.terminal_id, pay.rrn, pay.amount) == (row.terminal_id, row.rrn, row.amount)
        assert outcome.rule == "tid+rrn" and outcome.difference == 0
    assert len({o.payment_keys for _row, o in matched}) == len(matched)


def test_sample_with_the_whole_pos_file():
    """Given every acquirer's payments, a registry leaves the other banks' payments open."""
    payments = _pos_payments()
    result = match(_sber_rows(), payments)
    assert Counter(o.status for o in result.outcomes) == EXPECTED["SBER"]["counts"]
    assert result.suggestions == EXPECTED["SBER"]["suggestions"]
    assert result.pos_only == tuple(
        p.key
        for p in payments
        if not p.reconciled and (p.extra["acquirer"] != "SBER" or p.key == "SVO-00029")
    )


def test_samples_the_unmatched_row_finds_its_payment_when_the_pos_rrn_is_wrong():
    """The T-Bank unmatched purchase, had the POS stored it under a wrong RRN."""
    rows = _tbank_rows()
    (row,) = [r for r in rows if r.rrn == "818666283788"]
    lost = Payment("DME-LOST", row.terminal_id, "000000000000", row.amount, row.operation_at)
    result = match(rows, [*_pos_payments("TBANK"), lost])
    assert result.pos_only == ("DME-LOST",)
    assert result.suggestions == (
        Suggestion(row.line, "DME-LOST", 75, ("same terminal", "same amount", "same day")),
    )
    # with the auth code recorded too, the fallback matches it
    lost = Payment(
        "DME-LOST", row.terminal_id, "000000000000", row.amount, row.operation_at, row.auth_code
    )
    result = match(rows, [*_pos_payments("TBANK"), lost])
    (outcome,) = [o for o in result.outcomes if o.row_line == row.line]
    assert outcome == Outcome(row.line, MATCHED, ("DME-LOST",), "tid+auth+amount+date")
    assert result.pos_only == () and result.suggestions == ()


# synthetic cases, rule by rule

TID = "10000001"
NOON = datetime.datetime(2026, 3, 2, 12, 0)
DAY = datetime.timedelta(days=1)


def row(line, amount="1000.00", kind=PURCHASE, rrn=None, auth="", at=NOON, tid=TID, **kw):
    return RegistryRow(
        line=line,
        key=str(line),
        kind=kind,
        operation_at=at,
        settlement_date=kw.pop("settlement", None),
        terminal_id=tid,
        rrn=f"{line:012d}" if rrn is None else rrn,
        amount=D(amount),
        auth_code=auth,
        **kw,
    )


def pay(key, amount="1000.00", rrn="", auth="", at=NOON, kind="sale", tid=TID, mask="", **kw):
    return Payment(
        key=key,
        terminal_id=tid,
        rrn=rrn,
        amount=D(amount),
        at=at,
        auth_code=auth,
        kind=kind,
        extra={"card_mask": mask} if mask else {},
        **kw,
    )


def _statuses(result):
    return [(o.status, o.payment_keys, o.rule) for o in result.outcomes]


# rule 1: key and amount tolerance


def test_amount_outside_tolerance_is_a_mismatch_that_keeps_the_payment_open():
    rows = [row(1, "1000.00", rrn="R1")]
    payments = [pay("p1", "999.99", rrn="R1")]
    result = match(rows, payments)
    assert result.outcomes == (
        Outcome(1, AMOUNT_MISMATCH, ("p1",), "tid+rrn", difference=D("0.01")),
    )
    assert result.pos_only == ()
    assert result.suggestions == (
        Suggestion(1, "p1", 60, ("same terminal", "amount within 1%", "same day")),
    )


def test_amount_within_tolerance_matches_with_its_difference():
    rows = [row(1, "1000.00", rrn="R1")]
    result = match(rows, [pay("p1", "999.99", rrn="R1")], Tolerance(amount=D("0.01")))
    assert result.outcomes == (Outcome(1, MATCHED, ("p1",), "tid+rrn", difference=D("0.01")),)
    assert result.pos_only == () and result.suggestions == ()


def test_key_needs_the_terminal_and_the_sign():
    rows = [row(1, "1000.00", rrn="R1"), row(2, "-300.00", kind=REFUND, rrn="R2")]
    payments = [
        pay("other-tid", rrn="R1", tid="10000002"),
        pay("refund-as-sale", "-300.00", rrn="R2", kind="sale"),
        pay("sale", rrn="R1"),
        pay("refund", "-300.00", rrn="R2", kind="refund"),
    ]
    result = match(rows, payments)
    assert _statuses(result) == [
        (MATCHED, ("sale",), "tid+rrn"),
        (MATCHED, ("refund",), "tid+rrn"),
    ]
    assert result.pos_only == ("other-tid", "refund-as-sale")


def test_the_nearest_amount_wins_and_a_payment_is_matched_once():
    rows = [row(1, "1000.00", rrn="R1"), row(2, "1000.00", rrn="R1", at=NOON + DAY)]
    payments = [pay("far", "999.50", rrn="R1"), pay("exact", rrn="R1")]
    result = match(rows, payments, Tolerance(amount=D("1.00")))
    assert _statuses(result) == [
        (MATCHED, ("exact",), "tid+rrn"),
        (MATCHED, ("far",), "tid+rrn"),
    ]
    assert result.outcomes[1].difference == D("0.50")
    # without a tolerance the second row has nothing left of its amount
    result = match(rows, payments)
    assert _statuses(result) == [
        (MATCHED, ("exact",), "tid+rrn"),
        (AMOUNT_MISMATCH, ("far",), "tid+rrn"),
    ]


def test_an_empty_rrn_is_never_a_key():
    result = match([row(1, rrn="")], [pay("p1", "999.00", rrn="")])
    assert _statuses(result) == [(UNMATCHED_REGISTRY, (), "none")]
    assert result.pos_only == ("p1",)


# rule 2: the auth-code fallback


def test_fallback_matches_a_unique_auth_code_within_the_day_window():
    rows = [row(1, "500.00", rrn="R1", auth="A1B2C3")]
    result = match(rows, [pay("p1", "500.00", rrn="POS-RRN", auth="A1B2C3", at=NOON - DAY)])
    assert result.outcomes == (Outcome(1, MATCHED, ("p1",), "tid+auth+amount+date"),)
    assert result.pos_only == ()


def test_fallback_outside_the_day_window_only_suggests():
    rows = [row(1, "500.00", rrn="R1", auth="A1B2C3")]
    payments = [pay("p1", "500.00", rrn="POS-RRN", auth="A1B2C3", at=NOON + 2 * DAY)]
    result = match(rows, payments)
    assert _statuses(result) == [(UNMATCHED_REGISTRY, (), "none")]
    assert result.pos_only == ("p1",)
    assert result.suggestions == (
        Suggestion(1, "p1", 90, ("same terminal", "same amount", "2 days apart", "auth code")),
    )
    result = match(rows, payments, Tolerance(days=2))
    assert _statuses(result) == [(MATCHED, ("p1",), "tid+auth+amount+date")]


def test_fallback_with_two_candidates_matches_nothing():
    rows = [row(1, "500.00", rrn="R1", auth="A1B2C3")]
    payments = [
        pay("p2", "500.00", auth="A1B2C3", at=NOON - DAY),
        pay("p1", "500.00", auth="A1B2C3"),
    ]
    result = match(rows, payments)
    assert _statuses(result) == [(UNMATCHED_REGISTRY, (), "none")]
    assert result.pos_only == ("p2", "p1")
    assert result.suggestions == (
        Suggestion(1, "p1", 100, ("same terminal", "same amount", "same day", "auth code")),
        Suggestion(1, "p2", 95, ("same terminal", "same amount", "1 day apart", "auth code")),
    )


def test_fallback_payment_wanted_by_two_rows_goes_to_neither():
    rows = [row(1, "500.00", auth="A1B2C3"), row(2, "500.00", auth="A1B2C3", at=NOON - DAY)]
    result = match(rows, [pay("p1", "500.00", auth="A1B2C3")])
    assert _statuses(result) == [(UNMATCHED_REGISTRY, (), "none")] * 2
    assert [s.row_line for s in result.suggestions] == [1, 2]


def test_fallback_only_when_the_rrn_finds_nothing():
    rows = [row(1, "500.00", rrn="R1", auth="A1B2C3")]
    payments = [pay("by-rrn", "450.00", rrn="R1"), pay("by-auth", "500.00", auth="A1B2C3")]
    result = match(rows, payments)
    assert _statuses(result) == [(AMOUNT_MISMATCH, ("by-rrn",), "tid+rrn")]
    assert result.outcomes[0].difference == D("50.00")
    assert result.pos_only == ("by-auth",)
    # the mismatched payment stays open to suggestions
    assert [(s.payment_key, s.score) for s in result.suggestions] == [
        ("by-auth", 100),
        ("by-rrn", 45),
    ]


# rule 3: reversals


def test_reversal_without_pos_payment_is_a_pair_with_no_key():
    rows = [row(1, "700.00", rrn="R1"), row(2, "-700.00", kind=REVERSAL, rrn="R1")]
    result = match(rows, [])
    assert result.outcomes == (
        Outcome(1, REVERSED_PAIR, (), "reversal"),
        Outcome(2, REVERSED_PAIR, (), "reversal"),
    )
    assert result.pos_only == () and result.suggestions == ()


def test_reversal_pair_takes_the_void_even_listed_before_its_purchase():
    rows = [row(1, "-700.00", kind=REVERSAL, rrn="R1"), row(2, "700.00", rrn="R1")]
    payments = [pay("void", "700.00", rrn="R1", kind="void")]
    result = match(rows, payments)
    assert _statuses(result) == [(REVERSED_PAIR, ("void",), "reversal")] * 2
    assert result.pos_only == ()


def test_reversal_pair_takes_pos_payments_that_net_out():
    rows = [row(1, "700.00", rrn="R1"), row(2, "-700.00", kind=REVERSAL, rrn="R1")]
    payments = [pay("sale", "700.00", rrn="R1"), pay("refund", "-700.00", rrn="R1", kind="refund")]
    result = match(rows, payments)
    assert _statuses(result) == [(REVERSED_PAIR, ("sale", "refund"), "reversal")] * 2
    assert result.pos_only == ()
    # a sale the POS still thinks is paid stays open: the bank says it was cancelled
    result = match(rows, payments[:1])
    assert _statuses(result) == [(REVERSED_PAIR, (), "reversal")] * 2
    assert result.pos_only == ("sale",)


def test_cancelled_refund_pairs_with_its_refund():
    rows = [
        row(1, "-250.00", kind=REFUND, rrn="R1"),
        row(2, "250.00", kind=CANCEL_REFUND, rrn="R1"),
    ]
    result = match(rows, [pay("void", "-250.00", rrn="R1", kind="void")])
    assert _statuses(result) == [(REVERSED_PAIR, ("void",), "reversal")] * 2


def test_partial_reversal_does_not_pair():
    rows = [row(1, "700.00", rrn="R1"), row(2, "-200.00", kind=REVERSAL, rrn="R1")]
    result = match(rows, [pay("sale", "700.00", rrn="R1")])
    assert _statuses(result) == [
        (MATCHED, ("sale",), "tid+rrn"),
        (UNMATCHED_REGISTRY, (), "reversal"),
    ]


def test_reversal_of_a_purchase_from_an_earlier_registry():
    rows = [row(1, "-700.00", kind=REVERSAL, rrn="R1", settlement=datetime.date(2026, 3, 3))]
    earlier = pay("old", "700.00", rrn="R1", at=NOON - DAY, reconciled=True)
    result = match(rows, [earlier])
    assert result.outcomes == (Outcome(1, REVERSED_PAIR, ("old",), "reversal+earlier"),)
    assert result.pos_only == ()
    # nothing to point to
    result = match(rows, [])
    assert result.outcomes == (Outcome(1, UNMATCHED_REGISTRY, (), "reversal"),)
    # an open sale of that RRN is not the earlier purchase: a person decides
    result = match(rows, [pay("open", "700.00", rrn="R1")])
    assert _statuses(result) == [(UNMATCHED_REGISTRY, (), "reversal")]
    assert result.pos_only == ("open",)


# rule 4: chargebacks


def _chargeback(line=1, amount="-1869.47", at=NOON - 11 * DAY, **kw):
    kw.setdefault("settlement", datetime.date(2026, 3, 3))
    return row(line, amount, kind="chargeback", rrn="CB1", at=at, **kw)


def test_chargeback_disputes_the_earlier_sale():
    sale = pay("sale", "1869.47", rrn="CB1", at=NOON - 11 * DAY, reconciled=True)
    result = match([_chargeback()], [sale])
    assert result.outcomes == (Outcome(1, CHARGEBACK, ("sale",), "chargeback"),)
    assert result.pos_only == () and result.suggestions == ()
    reversal = row(2, "1869.47", kind=CHARGEBACK_REVERSAL, rrn="CB1")
    result = match([_chargeback(), reversal], [sale])
    assert _statuses(result) == [(CHARGEBACK, ("sale",), "chargeback")] * 2


def test_chargeback_with_no_original_sale():
    result = match([_chargeback()], [pay("other", "1869.47", rrn="CB2", reconciled=True)])
    assert result.outcomes == (Outcome(1, UNMATCHED_REGISTRY, (), "chargeback"),)
    # a sale older than the lookback is another sale that happened to get the RRN
    old = pay("old", "1869.47", rrn="CB1", at=NOON - 50 * DAY, reconciled=True)
    assert _statuses(match([_chargeback()], [old])) == [(UNMATCHED_REGISTRY, (), "chargeback")]
    tolerance = Tolerance(reconciled_lookback_days=60)
    assert _statuses(match([_chargeback()], [old], tolerance)) == [
        (CHARGEBACK, ("old",), "chargeback")
    ]


def test_partial_chargeback_prefers_the_sale_of_its_amount():
    payments = [
        pay("bigger", "5000.00", rrn="CB1", at=NOON - 11 * DAY, reconciled=True),
        pay("same", "1869.47", rrn="CB1", at=NOON - 20 * DAY, reconciled=True),
    ]
    assert _statuses(match([_chargeback()], payments)) == [(CHARGEBACK, ("same",), "chargeback")]
    assert _statuses(match([_chargeback()], payments[:1])) == [
        (CHARGEBACK, ("bigger",), "chargeback")
    ]


def test_chargeback_is_no_match_and_does_not_stop_one():
    rows = [row(1, "1869.47", rrn="CB1", at=NOON - DAY), _chargeback(2, at=NOON - DAY)]
    result = match(rows, [pay("sale", "1869.47", rrn="CB1", at=NOON - DAY)])
    assert _statuses(result) == [
        (MATCHED, ("sale",), "tid+rrn"),
        (CHARGEBACK, ("sale",), "chargeback"),
    ]
    assert result.pos_only == ()


# rule 5


def test_fee_only_row():
    rows = [row(1, "0.00", kind="fee_only", rrn="F1", fee=D("5.00"))]
    result = match(rows, [pay("p1", "0.00", rrn="F1")])
    assert result.outcomes == (Outcome(1, FEE_ONLY, (), "fee_only"),)
    assert result.pos_only == ("p1",)


# rule 6: one row for several payments, several rows for one payment


def test_bank_splitting_one_payment_into_rows():
    rows = [row(1, "600.00", rrn="R1"), row(2, "400.00", rrn="R1", at=NOON + DAY)]
    result = match(rows, [pay("p1", "1000.00", rrn="R1")])
    assert result.outcomes == (
        Outcome(1, SPLIT, ("p1",), "split"),
        Outcome(2, SPLIT, ("p1",), "split"),
    )
    assert result.pos_only == ()


def test_bank_merging_payments_into_one_row():
    rows = [row(1, "1500.00", rrn="R1", auth="AU0001")]
    payments = [
        pay("p1", "1000.00", rrn="R1", auth="AU0001", at=NOON - datetime.timedelta(hours=1)),
        pay("other", "300.00", rrn="R9", auth="AU0009"),
        pay("p2", "500.00", rrn="R2", auth="AU0001"),
    ]
    result = match(rows, payments)
    assert result.outcomes == (Outcome(1, SPLIT, ("p1", "p2"), "merge"),)
    assert result.pos_only == ("other",)


def test_merge_is_same_day_and_bounded_to_four_payments():
    rows = [row(1, "1500.00", rrn="R1", auth="AU0001")]
    payments = [
        pay("p1", "1000.00", rrn="R1", auth="AU0001"),
        pay("p2", "500.00", rrn="R2", auth="AU0001", at=NOON + DAY),
    ]
    result = match(rows, payments)
    assert _statuses(result) == [(AMOUNT_MISMATCH, ("p1",), "tid+rrn")]
    assert result.outcomes[0].difference == D("500.00")
    assert result.pos_only == ("p2",)

    four = [pay(f"q{n}", "125.00", auth="AU0002") for n in range(4)]
    result = match([row(2, "500.00", auth="AU0002")], four)
    assert _statuses(result) == [(SPLIT, ("q0", "q1", "q2", "q3"), "merge")]
    five = [pay(f"q{n}", "100.00", auth="AU0002") for n in range(5)]
    result = match([row(2, "500.00", auth="AU0002")], five)
    assert _statuses(result) == [(UNMATCHED_REGISTRY, (), "none")]
    assert len(result.suggestions) == 3


# rule 7


def test_duplicate_row():
    rows = [row(1, rrn="R1"), row(2, rrn="R1"), row(3, rrn="R1", at=NOON + DAY)]
    result = match(rows, [pay("p1", rrn="R1")])
    assert result.outcomes == (
        Outcome(1, MATCHED, ("p1",), "tid+rrn"),
        Outcome(2, DUPLICATE, (), "duplicate"),
        Outcome(3, UNMATCHED_REGISTRY, (), "none"),  # the same sale, but not the same row
    )


# rules 8 and 9


def test_reconciled_payments_are_never_matched_again():
    old = pay("old", rrn="R1", auth="AU0001", at=NOON - DAY, reconciled=True)
    result = match([row(1, rrn="R1", auth="AU0001")], [old])
    assert result.outcomes == (Outcome(1, UNMATCHED_REGISTRY, ("old",), "reconciled earlier"),)
    assert result.pos_only == () and result.suggestions == ()
    # nor by the fallback
    result = match([row(1, rrn="R2", auth="AU0001")], [old])
    assert _statuses(result) == [(UNMATCHED_REGISTRY, (), "none")]
    assert result.pos_only == () and result.suggestions == ()


def test_pos_only_keeps_payment_order_and_skips_reconciled():
    payments = [
        pay("void", "100.00", rrn="V", kind="void"),
        pay("old", "200.00", rrn="O", reconciled=True),
        pay("refund", "-300.00", rrn="F", kind="refund"),
        pay("sale", "400.00", rrn="S"),
    ]
    assert match([], payments) == matching.Result((), ("void", "refund", "sale"), ())


# rule 10: suggestions


def test_suggestions_score_rank_and_cut():
    rows = [row(1, "1000.00", rrn="R1", auth="AU0001", card_mask="427600******1234")]
    payments = [
        pay("e-card", "990.00", at=NOON - DAY, mask="553691******1234"),  # 30+15+10+10
        pay("d-day", "5.00"),  # 30+15
        pay("c-day", "5.00"),  # 30+15, before d by key
        pay("b-far", "5.00", at=NOON + 2 * DAY),  # 30+5: dropped
        pay("a-other-tid", "1000.00", auth="AU0001", tid="10000002"),
        pay("f-3days", "1000.00", auth="AU0001", at=NOON - 3 * DAY),
    ]
    result = match(rows, payments)
    assert result.suggestions == (
        Suggestion(
            1, "e-card", 65, ("same terminal", "amount within 1%", "1 day apart", "card last 4")
        ),
        Suggestion(1, "c-day", 45, ("same terminal", "same day")),
        Suggestion(1, "d-day", 45, ("same terminal", "same day")),
    )


def test_suggestions_skip_taken_and_disputed_payments():
    rows = [
        row(1, "1000.00", rrn="R1"),
        row(2, "-50.00", kind="chargeback", rrn="R2"),
        row(3, "777.00", rrn="R3"),
    ]
    payments = [pay("taken", rrn="R1"), pay("disputed", "50.00", rrn="R2"), pay("free", "1.00")]
    result = match(rows, payments)
    assert [s.payment_key for s in result.suggestions] == ["free"]
    assert result.pos_only == ("free",)


def _brute_force_suggestions(rows, payments, result, tolerance):
    """Rule 10 by scoring every open payment against every row."""
    taken = {
        key
        for o in result.outcomes
        if o.status in (MATCHED, REVERSED_PAIR, SPLIT, CHARGEBACK)
        for key in o.payment_keys
    }
    open_ = [p for p in payments if not p.reconciled and p.key not in taken]
    found = []
    for row, outcome in zip(rows, result.outcomes, strict=True):
        if outcome.status not in (UNMATCHED_REGISTRY, AMOUNT_MISMATCH):
            continue
        scored = []
        for p in open_:
            distance = abs((row.operation_at.date() - p.at.date()).days)
            if p.terminal_id != row.terminal_id or distance > 2:
                continue
            gap = abs(row.amount - p.amount)
            score = 30 + (
                30 if gap <= tolerance.amount else 15 if gap <= abs(row.amount) / 100 else 0
            )
            score += (15, 10, 5)[distance]
            score += 25 if row.auth_code and row.auth_code == p.auth_code else 0
            mask = p.extra.get("card_mask", "")
            score += 10 if row.card_mask and mask and row.card_mask[-4:] == mask[-4:] else 0
            if score >= 40:
                scored.append((-score, distance, p.key))
        found += [(row.line, key, -neg) for neg, _d, key in sorted(scored)[:3]]
    return found


def _random_case(rnd):
    kinds = [PURCHASE] * 6 + [REFUND, REVERSAL, CANCEL_REFUND, "chargeback", "fee_only"]
    amounts = ["100.00", "100.50", "101.00", "250.00", "500.00", "1000.00"]
    rrns = [f"R{n}" for n in range(8)] + [""]

    def when():
        return NOON + datetime.timedelta(days=rnd.randrange(-3, 4), hours=rnd.randrange(-6, 6))

    payments = [
        pay(
            f"p{n:02d}",
            rnd.choice(amounts),
            rrn=rnd.choice(rrns),
            auth=rnd.choice(["", "AU1", "AU2", "AU3"]),
            at=when(),
            kind=rnd.choice(["sale"] * 4 + ["refund", "void"]),
            tid=rnd.choice([TID, "10000002"]),
            mask=rnd.choice(["", "427600******1111", "427600******2222"]),
            reconciled=rnd.random() < 0.15,
        )
        for n in range(rnd.randrange(0, 25))
    ]
    rows = []
    for line in range(1, rnd.randrange(1, 25)):
        row_kind = rnd.choice(kinds)
        sign = -1 if row_kind in (REFUND, REVERSAL, "chargeback") else 1
        rows.append(
            row(
                line,
                sign * D(rnd.choice(amounts)),
                kind=row_kind,
                rrn=rnd.choice(rrns),
                auth=rnd.choice(["", "AU1", "AU2", "AU3"]),
                at=when(),
                tid=rnd.choice([TID, "10000002"]),
                card_mask=rnd.choice(["", "427600******1111", "427600******2222"]),
            )
        )
    return rows, payments


@pytest.mark.parametrize("seed", range(300))
def test_random_registries_keep_the_invariants(seed):
    rnd = random.Random(seed)
    rows, payments = _random_case(rnd)
    tolerance = Tolerance(amount=rnd.choice([D("0.00"), D("0.50")]))
    result = match(rows, payments, tolerance)
    by_key = {p.key: p for p in payments}
    assert [o.row_line for o in result.outcomes] == [r.line for r in rows]
    taking = Counter()
    for row_, outcome in zip(rows, result.outcomes, strict=True):
        for key in outcome.payment_keys:
            if outcome.status == MATCHED:
                assert not by_key[key].reconciled
                assert abs(row_.amount - by_key[key].amount) <= tolerance.amount
            if outcome.status in (MATCHED, REVERSED_PAIR, SPLIT):
                taking[key, outcome.status, outcome.rule] += 1
        if outcome.status == SPLIT:
            total = sum(by_key[k].amount for k in outcome.payment_keys)
            if outcome.rule == "merge":
                assert outcome.difference == row_.amount - total
            assert abs(outcome.difference) <= tolerance.amount
    # a payment is taken by one outcome only, save pairs and a bank's split
    per_key = Counter()
    for (key, _status, _rule), times in taking.items():
        per_key[key] += times
    for (key, status, rule), times in taking.items():
        assert per_key[key] == times
        assert times == 1 or (status, rule) in {(REVERSED_PAIR, "reversal"), (SPLIT, "split")}
    named = {key for o in result.outcomes for key in o.payment_keys}
    assert result.pos_only == tuple(
        p.key for p in payments if not p.reconciled and p.key not in named
    )
    found = [(s.row_line, s.payment_key, s.score) for s in result.suggestions]
    assert found == _brute_force_suggestions(rows, payments, result, tolerance)


@pytest.mark.parametrize("seed", range(300))
def test_reconciled_payments_of_no_row_key_change_nothing(seed):
    # the Odoo layer reads only the reconciled payments that share a row's key
    rnd = random.Random(seed)
    rows, payments = _random_case(rnd)
    rows.append(row(len(rows) + 1, "100.00", kind=CHARGEBACK_REVERSAL, rrn=rnd.choice(["R1", ""])))
    keys = matching.row_keys(rows)
    assert keys == {(r.terminal_id, r.rrn) for r in rows if r.rrn}
    kept = [p for p in payments if not p.reconciled or (p.terminal_id, p.rrn) in keys]
    tolerance = Tolerance(amount=rnd.choice([D("0.00"), D("0.50")]))
    assert match(rows, kept, tolerance) == match(rows, payments, tolerance)


# errors


@pytest.mark.parametrize(
    ("rows", "payments", "code"),
    [
        ([row(1, kind="refund_cancel")], [], "row_kind"),
        ([row(1), row(1, rrn="X")], [], "row_line"),
        ([], [pay("p"), pay("p", rrn="X")], "payment_key"),
        ([], [pay("p", kind="cash")], "payment_kind"),
    ],
)
def test_bad_input(rows, payments, code):
    with pytest.raises(MatchError) as err:
        match(rows, payments)
    assert err.value.code == code


def test_float_amounts_are_refused():
    floaty = RegistryRow(1, "1", PURCHASE, NOON, None, TID, "R1", 1000.0)
    with pytest.raises(MatchError) as err:
        match([floaty], [])
    assert (err.value.code, err.value.params) == ("row_amount", {"line": 1, "amount": 1000.0})
    with pytest.raises(MatchError) as err:
        match([], [Payment("p", TID, "R1", 10.5, NOON)])
    assert err.value.code == "payment_amount"


@pytest.mark.parametrize(
    "kwargs",
    [{"amount": D("-0.01")}, {"amount": 0.01}, {"days": -1}, {"reconciled_lookback_days": 1.5}],
)
def test_bad_tolerance(kwargs):
    with pytest.raises(MatchError) as err:
        Tolerance(**kwargs)
    assert err.value.code == "tolerance"


def test_tolerance_takes_a_string_amount():
    assert Tolerance(amount="0.05").amount == D("0.05")


# size


def test_100k_rows_against_100k_payments():
    """The full pipeline at registry scale; the timing belongs in a benchmark."""
    rnd = random.Random(7)
    start = datetime.datetime(2026, 2, 1, 8, 0)
    payments, rows = [], []
    for n in range(100_000):
        tid = f"1{n % 300:07d}"
        at = start + datetime.timedelta(minutes=n % 43_200)
        amount = D(rnd.randrange(100, 5_000_000)) / 100
        payments.append(pay(n, amount, rrn=f"{n:012d}", auth=f"A{n:05d}", at=at, tid=tid))
        if n % 1000 == 1:  # the POS lost the RRN: the auth code finds it
            rows.append(row(n + 2, amount, rrn=f"9{n:011d}", auth=f"A{n:05d}", at=at, tid=tid))
        elif n % 1000 != 2:  # no registry row: POS-only
            rows.append(row(n + 2, amount, rrn=f"{n:012d}", at=at, tid=tid))
    rows.append(row(1, "12.34", rrn="X", at=start))  # no payment
    rows.reverse()
    result = match(rows, payments)
    counts = Counter((o.status, o.rule) for o in result.outcomes)
    assert counts == {
        (MATCHED, "tid+rrn"): 99_800,
        (MATCHED, "tid+auth+amount+date"): 100,
        (UNMATCHED_REGISTRY, "none"): 1,
    }
    assert result.pos_only == tuple(range(2, 100_000, 1000))
    assert result.suggestions == ()
