"""Codes of certificates, vouchers and cards: 19 random symbols and a check symbol.

Policy:

1. The alphabet is Crockford's base32 (no I, L, O, U), so a code read aloud or
   typed from paper has no look-alike symbols; on input O is read as 0 and I, L
   as 1, case, spaces and dashes do not matter.
2. The 19 random symbols come from ``secrets`` (95 bits), so codes cannot be
   guessed or enumerated; uniqueness is still the database's job.
3. The 20th symbol is a Luhn mod 32 check: it catches every single mistyped
   symbol and every swap of two neighbours except 0 <-> Z, before the code
   reaches the server.
4. Codes are shown in groups of four: ``XXXX-XXXX-XXXX-XXXX-XXXX``.
"""

import secrets

from ._shared import errors

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
BODY_LENGTH = 19
LENGTH = BODY_LENGTH + 1
GROUP = 4

_VALUES = {symbol: value for value, symbol in enumerate(ALPHABET)}
_CONFUSABLES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_N = len(ALPHABET)


class CodeError(errors.CodedError):
    """A code that cannot be one of ours; ``params["text"]`` is what was read.

    (Not ``code=``: ``CodedError`` takes the error's code under that name.)
    """

    MESSAGES = {
        "format": "{text} is not a 20-character code",
        "check": "{text} has a wrong check character: mistyped?",
    }


def _luhn_sum(symbols, double_last):
    """Luhn mod N sum from the right, doubling every other symbol."""
    total = 0
    double = double_last
    for symbol in reversed(symbols):
        addend = _VALUES[symbol] * (2 if double else 1)
        total += addend // _N + addend % _N
        double = not double
    return total % _N


def check_symbol(body):
    """The check symbol that makes ``body`` (symbols of the alphabet) a valid code."""
    return ALPHABET[-_luhn_sum(body, double_last=True) % _N]


def generate(rng=None):
    """A new random code, 20 symbols, check symbol included."""
    rng = rng or secrets.SystemRandom()
    body = "".join(rng.choice(ALPHABET) for _i in range(BODY_LENGTH))
    return body + check_symbol(body)


def normalize(text):
    """The bare code of what was typed or scanned; it may still be invalid."""
    bare = "".join(ch for ch in text if not ch.isspace() and ch != "-")
    return bare.upper().translate(_CONFUSABLES)


def _error(text):
    if not isinstance(text, str):
        return CodeError("format", text=repr(text))
    code = normalize(text)
    if len(code) != LENGTH or any(ch not in _VALUES for ch in code):
        return CodeError("format", text=code)
    if _luhn_sum(code, double_last=False):
        return CodeError("check", text=code)
    return None


def is_valid(code):
    """Whether ``code`` (as typed) is a well-formed code with a correct check symbol."""
    return _error(code) is None


def check(text):
    """The normalized code of ``text``; raise ``CodeError`` if it is not a valid code."""
    error = _error(text)
    if error:
        raise error
    return normalize(text)


def display(code):
    """A valid code in groups of four with dashes."""
    code = check(code)
    return "-".join(code[i : i + GROUP] for i in range(0, LENGTH, GROUP))
