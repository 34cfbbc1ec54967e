"""Russian taxpayer numbers: INN (10 digits for organisations, 12 for persons) and KPP.

The check digits follow the Federal Tax Service's algorithm (weights below);
each function returns an error message or None, so callers can show why.
"""

import re

_W10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_W11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_W12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_KPP_RE = re.compile(r"^\d{4}[\dA-Z]{2}\d{3}$")


def _check_digit(digits, weights):
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11 % 10


def inn_problem(inn):
    """What is wrong with ``inn`` as a code (for a translated message), or None.

    Codes: ``empty``, ``not_digits``, ``length``, ``check10``, ``check11``, ``check12``.
    """
    inn = (inn or "").strip()
    if not inn:
        return "empty"
    if not inn.isdigit() or not inn.isascii():
        return "not_digits"
    if len(inn) == 10:
        return "check10" if _check_digit(inn, _W10) != int(inn[9]) else None
    if len(inn) == 12:
        if _check_digit(inn, _W11) != int(inn[10]):
            return "check11"
        if _check_digit(inn, _W12) != int(inn[11]):
            return "check12"
        return None
    return "length"


INN_MESSAGES = {
    "empty": "the INN is empty",
    "not_digits": "INN {inn} must contain digits only",
    "length": "INN {inn} has {length} digits: an organisation's has 10, a person's 12",
    "check10": "INN {inn} fails the check digit test (10th digit)",
    "check11": "INN {inn} fails the check digit test (11th digit)",
    "check12": "INN {inn} fails the check digit test (12th digit)",
}


def inn_error(inn):
    """Why ``inn`` is not a valid INN, in English, or None when it is."""
    problem = inn_problem(inn)
    if problem is None:
        return None
    inn = (inn or "").strip()
    return INN_MESSAGES[problem].format(inn=inn, length=len(inn))


def kpp_error(kpp):
    """Why ``kpp`` is not a valid KPP (9 characters: NNNNPPNNN), or None."""
    kpp = (kpp or "").strip()
    if not _KPP_RE.match(kpp):
        return f"KPP {kpp!r} must be 9 characters: 4 digits, 2 digits or capital letters, 3 digits"
    return None
