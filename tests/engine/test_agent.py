import datetime
from decimal import Decimal

import pytest

from scs_pos.engine.agent import (
    CommissionError,
    Contract,
    check_contracts,
    commission_percent,
    split_agent_amount,
)
from scs_pos.engine.money import MoneyError

D = datetime.date
CONTRACTS = [
    Contract(Decimal("10"), D(2025, 1, 1), D(2025, 12, 31), "2025"),
    Contract(Decimal("12.5"), D(2026, 1, 1), None, "2026"),
]


@pytest.mark.parametrize(
    "day, percent",
    [
        (D(2025, 1, 1), Decimal("10")),
        (D(2025, 12, 31), Decimal("10")),
        (D(2026, 1, 1), Decimal("12.5")),
        (datetime.datetime(2030, 5, 1, 23, 0), Decimal("12.5")),
    ],
)
def test_commission_follows_contract_dates(day, percent):
    assert commission_percent(CONTRACTS, day) == percent


def test_no_contract_on_date():
    with pytest.raises(CommissionError, match="no commission contract covers 2024-12-31"):
        commission_percent(CONTRACTS, D(2024, 12, 31))


def test_overlapping_contracts_refused():
    bad = CONTRACTS + [Contract(Decimal("5"), D(2026, 6, 1), D(2026, 6, 30), "june")]
    with pytest.raises(CommissionError, match="overlap"):
        check_contracts(bad)


def test_open_start_overlaps_everything_before():
    with pytest.raises(CommissionError, match="overlap"):
        check_contracts(
            [Contract(Decimal("1"), None, None, "a"), Contract(Decimal("2"), None, None, "b")]
        )


@pytest.mark.parametrize("percent", [Decimal("-1"), Decimal("100.01")])
def test_percent_range(percent):
    with pytest.raises(CommissionError, match="not within"):
        check_contracts([Contract(percent, None, None, "x")])


def test_inverted_period():
    with pytest.raises(CommissionError, match="ends before it starts"):
        check_contracts([Contract(Decimal("1"), D(2026, 2, 1), D(2026, 1, 1), "x")])


@pytest.mark.parametrize(
    "total, percent, commission, principal",
    [
        (89000, Decimal("10"), 8900, 80100),
        (100, Decimal("12.5"), 13, 87),
        (-100, Decimal("12.5"), -13, -87),
        (1, Decimal("50"), 1, 0),
        (0, Decimal("10"), 0, 0),
        (70000, Decimal("0"), 0, 70000),
    ],
)
def test_split(total, percent, commission, principal):
    assert split_agent_amount(total, percent) == (commission, principal)
    assert commission + principal == total


def test_split_needs_kopecks():
    with pytest.raises(MoneyError):
        split_agent_amount(890.0, Decimal("10"))
