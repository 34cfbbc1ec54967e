from decimal import Decimal

import pytest

from scs_pos.engine import approval
from scs_pos.engine.refund import (
    CARD,
    CASH,
    CERTIFICATE,
    POINTS,
    VOUCHER,
    RefundError,
    Share,
    Tender,
    allocate,
    check_line,
    check_split,
    link_payments,
)

D = Decimal


def three_tenders(card_refunded="0"):
    """1,000.00 paid by cash 100, card 600 and a certificate 300."""
    return [
        Tender("cash", CASH, D("100")),
        Tender("card", CARD, D("600"), D(card_refunded), "Card *1234"),
        Tender("cert", CERTIFICATE, D("300")),
    ]


# line amounts


def test_line_refunds_never_exceed_what_was_sold():
    # 3 units for 999.99: two refunds of one unit at 333.33 each, the last one left
    check_line(3, 0, "999.99", "0", 1, "333.33")
    check_line(3, 1, "999.99", "333.33", 1, "333.33")
    check_line(3, 2, "999.99", "666.66", 1, "333.33")
    with pytest.raises(RefundError) as err:
        # with a 10% discount the units round up: 3 x 300.00 > 899.99 sold
        check_line(3, 2, "899.99", "600.00", 1, "300.00", line="Baggage")
    assert err.value.code == "line_amount"
    assert "Baggage" in str(err.value)


def test_a_line_cannot_be_refunded_twice():
    with pytest.raises(RefundError) as err:
        check_line(1, 1, "1220", "1220", 1, "1220", line="Seat")
    assert err.value.code == "line_qty"
    with pytest.raises(RefundError):
        check_line(2, 0, "1220", "0", 3, "1830")
    with pytest.raises(RefundError):
        check_line(2, 0, "1220", "0", 0, "0")


def test_line_amounts_must_be_kopecks():
    with pytest.raises(RefundError) as err:
        check_line(1, 0, "100", "0", 1, "99.999")
    assert err.value.code == "amount"


def test_allocation_keeps_kopecks_exact():
    tenders = [Tender("card", CARD, D("0.01")), Tender("cash", CASH, D("0.02"))]
    assert allocate("0.02", tenders) == [Share("card", D("0.01")), Share("cash", D("0.01"))]


# allocation


def test_full_refund_of_a_line_paid_by_three_tenders():
    shares = allocate("1000", three_tenders())
    assert shares == [Share("card", D("600")), Share("cert", D("300")), Share("cash", D("100"))]


def test_partial_refund_goes_to_the_card_first_cash_last():
    assert allocate("250.50", three_tenders()) == [Share("card", D("250.50"))]
    assert allocate("850", three_tenders()) == [
        Share("card", D("600")),
        Share("cert", D("250")),
    ]


def test_second_partial_refund_after_a_first():
    first = allocate("400", three_tenders())
    assert first == [Share("card", D("400"))]
    # the card holds 200 now: the second refund takes it, then the certificate
    second = allocate("450", three_tenders(card_refunded="400"))
    assert second == [Share("card", D("200")), Share("cert", D("250"))]


def test_card_already_refunded_elsewhere():
    # the bank gave the whole card payment back (a refund made at another desk)
    shares = allocate("350", three_tenders(card_refunded="600"))
    assert shares == [Share("cert", D("300")), Share("cash", D("50"))]


def test_never_more_than_the_tenders_hold():
    with pytest.raises(RefundError) as err:
        allocate("1000.01", three_tenders())
    assert err.value.code == "exceeds_paid"
    with pytest.raises(RefundError):
        allocate("401", three_tenders(card_refunded="600"))


def test_amounts_must_be_kopecks():
    for bad in ("0", "-1", "10.005", 1.5):
        with pytest.raises((RefundError, ValueError)):
            allocate(bad, three_tenders())


def test_policy_order_of_every_kind_and_ties_in_payment_order():
    tenders = [
        Tender("cash", CASH, D("10")),
        Tender("points", POINTS, D("10")),
        Tender("voucher", VOUCHER, D("10")),
        Tender("cert", CERTIFICATE, D("10")),
        Tender("card2", CARD, D("10")),
        Tender("card1", CARD, D("10")),
    ]
    keys = [share.tender_key for share in allocate("60", tenders)]
    assert keys == ["card2", "card1", "cert", "voucher", "points", "cash"]


def test_unknown_kind_is_refused():
    with pytest.raises(RefundError) as err:
        allocate("1", [Tender("x", "barter", D("5"))])
    assert err.value.code == "unknown_kind"


# the cashier's changes


def test_card_money_as_cash_needs_approval():
    split = [Share("card", D("600"), as_cash=True), Share("cert", D("300"))]
    needed = check_split("900", three_tenders(), split)
    assert needed == [split[0]]
    assert check_split("900", three_tenders(), allocate("900", three_tenders())) == []


def test_certificate_money_never_as_cash():
    with pytest.raises(RefundError) as err:
        check_split("300", three_tenders(), [Share("cert", D("300"), as_cash=True)])
    assert err.value.code == "not_cashable"


def test_split_must_add_up_and_stay_within_tenders():
    with pytest.raises(RefundError) as err:
        check_split("500", three_tenders(), [Share("card", D("400"))])
    assert err.value.code == "split_total"
    with pytest.raises(RefundError) as err:
        check_split("700", three_tenders(), [Share("card", D("350")), Share("card", D("350"))])
    assert err.value.code == "tender_exceeded"
    with pytest.raises(RefundError) as err:
        check_split("10", three_tenders(), [Share("other order", D("10"))])
    assert err.value.code == "unknown_tender"


# linking the payments a refund was actually paid with


def test_link_payments_own_kind_first_then_cash_over_the_rest():
    payments = [(CASH, D("700"), None)]
    shares = link_payments(payments, three_tenders())
    # the cash tender first, then the card's money as cash: that needs approval
    assert shares == [Share("cash", D("100")), Share("card", D("600"), as_cash=True)]
    assert check_split("700", three_tenders(), shares) == [shares[1]]


def test_link_payments_card_refund_to_card():
    shares = link_payments([(CARD, D("600"), None), (CASH, D("50"), None)], three_tenders())
    assert shares == [Share("card", D("600")), Share("cash", D("50"))]


def test_link_payments_keeps_named_tenders():
    payments = [(CASH, D("300"), "card"), (CARD, D("100"), None)]
    shares = link_payments(payments, three_tenders())
    assert shares == [Share("card", D("300"), as_cash=True), Share("card", D("100"))]


def test_link_payments_refuses_impossible_links():
    with pytest.raises(RefundError) as err:
        link_payments([(CARD, D("100"), "cash")], three_tenders())
    assert err.value.code == "wrong_tender"
    with pytest.raises(RefundError) as err:
        link_payments([(CARD, D("700"), None)], three_tenders())
    assert err.value.code == "no_tender"
    with pytest.raises(RefundError) as err:
        link_payments([(CASH, D("1000.01"), None)], three_tenders())
    assert err.value.code == "exceeds_paid"


# role limits


def test_limits_combine_to_the_most_generous():
    cashier = approval.Limit(D("5"), D("5000"))
    manager = approval.Limit(D("30"), None)
    assert approval.combine([cashier, manager]) == approval.Limit(D("30"), None)
    assert approval.combine([]) == approval.Limit(D("0"), D("0"))


def test_needs_and_cover():
    cashier = approval.Limit(D("5"), D("5000"))
    assert approval.needs(cashier, 5, 5000) == []
    needed = approval.needs(cashier, D("7.5"), D("5000.01"), D("10"))
    assert [need.kind for need in needed] == ["discount", "refund", "card_to_cash"]
    assert approval.uncovered(needed, [("discount", 10), ("refund", D("6000"))]) == [needed[2]]
    assert approval.uncovered(needed, [("discount", 5)]) == needed
    assert approval.needs(approval.Limit(None, None), 100, 10**6) == []
