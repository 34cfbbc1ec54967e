"""What a registry row and a POS card payment are, once read: the parsers produce
:class:`RegistryRow`, the Odoo layer builds :class:`Payment`, the matcher pairs them.

Amounts are signed ``Decimal`` roubles from the merchant's side: money the bank owes
the merchant is positive (purchase, cancelled refund), money it takes back negative
(refund, reversal of a purchase, chargeback). ``fee`` is what the bank charges
(positive); ``net = amount - fee`` is what the row adds to the payout.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

#: canonical operation kinds of a registry row
PURCHASE = "purchase"
REFUND = "refund"
REVERSAL = "reversal"  # a purchase cancelled before settlement: same RRN as the purchase
CANCEL_REFUND = "cancel_refund"  # a refund cancelled: same RRN as the refund
CHARGEBACK = "chargeback"  # the issuer takes a sale back: RRN of the original sale
CHARGEBACK_REVERSAL = "chargeback_reversal"
FEE_ONLY = "fee_only"  # e.g. a failed authorisation: only its fee
KINDS = (PURCHASE, REFUND, REVERSAL, CANCEL_REFUND, CHARGEBACK, CHARGEBACK_REVERSAL, FEE_ONLY)


@dataclass(frozen=True)
class RegistryRow:
    line: int  # the row's line (CSV) or row (XLSX) number in the file, 1-based
    key: str  # stable identity of the row across re-imports of the same registry
    kind: str
    operation_at: datetime.datetime  # terminal local time, naive
    settlement_date: datetime.date | None
    terminal_id: str
    rrn: str
    amount: Decimal
    fee: Decimal = Decimal(0)
    net: Decimal = Decimal(0)
    auth_code: str = ""
    card_mask: str = ""
    merchant_id: str = ""
    batch: str = ""
    currency: str = "RUB"
    raw_kind: str = ""  # the operation type as the bank wrote it


@dataclass(frozen=True)
class Payment:
    """A POS card payment (or refund: negative amount) the registry should contain."""

    key: object
    terminal_id: str
    rrn: str
    amount: Decimal
    at: datetime.datetime  # office local time, naive
    auth_code: str = ""
    kind: str = "sale"  # sale / refund / void (voided: a purchase and its reversal)
    original_rrn: str = ""
    reconciled: bool = False  # already matched by an earlier registry
    extra: dict = field(default_factory=dict, compare=False)
