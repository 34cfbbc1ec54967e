import random

import pytest

from scs_loyalty.engine import codes
from scs_loyalty.engine.codes import ALPHABET, CodeError

SAMPLES = [codes.generate(random.Random(seed)) for seed in range(3)]
N = len(ALPHABET)


def _swap(code, i):
    return code[:i] + code[i + 1] + code[i] + code[i + 2 :]


def test_alphabet_is_crockford_base32():
    assert len(ALPHABET) == len(set(ALPHABET)) == 32
    assert not set("ILOU") & set(ALPHABET)


def test_generated_codes_are_valid_and_unique():
    generated = [codes.generate() for _i in range(10_000)]
    assert len(set(generated)) == len(generated)
    assert all(len(code) == 20 and codes.is_valid(code) for code in generated)


def test_generate_draws_from_the_given_rng():
    assert codes.generate(random.Random(7)) == codes.generate(random.Random(7))
    assert codes.generate(random.Random(7)) != codes.generate(random.Random(8))


def test_check_symbol_of_a_known_body():
    # Luhn mod 32 by hand: from the right 1*2, 0, 0 ... sum 2 -> check 32 - 2 = 30 = "Y"
    body = "0" * 18 + "1"
    assert codes.check_symbol(body) == "Y"
    assert codes.is_valid(body + "Y")
    assert not codes.is_valid(body + "Z")


@pytest.mark.parametrize("code", SAMPLES)
def test_every_single_substitution_is_detected(code):
    for i, symbol in enumerate(code):
        for other in ALPHABET.replace(symbol, ""):
            assert not codes.is_valid(code[:i] + other + code[i + 1 :]), (code, i, other)


def _undetectable_pairs():
    """Pairs a Luhn mod N check cannot tell apart when swapped: a - 2a' = b - 2b' mod N,
    2a' being the doubled value with its two base-N digits added."""

    def doubled(v):
        return 2 * v // N + 2 * v % N

    return {
        frozenset((ALPHABET[a], ALPHABET[b]))
        for a in range(N)
        for b in range(a + 1, N)
        if (a - doubled(a)) % N == (b - doubled(b)) % N
    }


def test_the_undetectable_transposition_is_the_documented_one():
    assert _undetectable_pairs() == {frozenset("0Z")}


@pytest.mark.parametrize("base", SAMPLES)
def test_adjacent_transpositions_are_detected(base):
    undetectable = _undetectable_pairs()
    caught = total = 0
    # put every pair of distinct symbols at every pair of neighbours of the body
    for i in range(codes.BODY_LENGTH - 1):
        for a in ALPHABET:
            for b in ALPHABET.replace(a, ""):
                body = base[:i] + a + b + base[i + 2 : codes.BODY_LENGTH]
                code = body + codes.check_symbol(body)
                detected = not codes.is_valid(_swap(code, i))
                assert detected == (frozenset((a, b)) not in undetectable), (code, i)
                caught += detected
                total += 1
    # the last body symbol next to the check symbol
    for a in ALPHABET:
        body = base[: codes.BODY_LENGTH - 1] + a
        code = body + codes.check_symbol(body)
        if code[-1] != a:
            assert codes.is_valid(_swap(code, 18)) == (frozenset(code[-2:]) in undetectable)
    expected = 1 - len(undetectable) * 2 / (N * (N - 1))
    assert caught / total == pytest.approx(expected)


@pytest.mark.parametrize(
    "text, bare",
    [
        ("abcd-efgh-jkmn-pqrs-tvwx", "ABCDEFGHJKMNPQRSTVWX"),
        (" o0o0 iIlL\t-\n12 ", "0000111112"),
        ("", ""),
    ],
)
def test_normalize(text, bare):
    assert codes.normalize(text) == bare


def test_check_and_display_accept_what_a_human_types():
    code = SAMPLES[0]
    shown = codes.display(code)
    assert shown == "-".join(code[i : i + 4] for i in (0, 4, 8, 12, 16))
    assert len(shown) == 24
    typed = shown.lower().replace("0", "o").replace("1", "l")
    assert codes.check(typed) == code
    assert codes.check(" " + code + " ") == code


@pytest.mark.parametrize(
    "text, error",
    [
        ("", "format"),
        (SAMPLES[0][:-1], "format"),
        (SAMPLES[0] + "0", "format"),
        (SAMPLES[0][:-1] + "U", "format"),
        (None, "format"),
        ("0" * 18 + "1Z", "check"),
    ],
)
def test_check_raises(text, error):
    with pytest.raises(CodeError) as err:
        codes.check(text)
    assert err.value.code == error
    assert not codes.is_valid(text)
    if error == "check":
        assert str(err.value) == f"{text} has a wrong check character: mistyped?"
        assert err.value.params == {"text": text}
