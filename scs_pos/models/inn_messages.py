# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Translated messages for the INN/KPP checks of the engine."""

from ..engine.inn import inn_problem, kpp_error


def inn_message(env, inn):
    """Why ``inn`` is invalid, in the user's language, or None."""
    problem = inn_problem(inn)
    if problem is None:
        return None
    inn = (inn or "").strip()
    if problem == "empty":
        return env._("the INN is empty")
    if problem == "not_digits":
        return env._("INN %(inn)s must contain digits only", inn=inn)
    if problem == "length":
        return env._(
            "INN %(inn)s has %(length)s digits: an organisation's has 10, a person's 12",
            inn=inn,
            length=len(inn),
        )
    digit = {"check10": "10", "check11": "11", "check12": "12"}[problem]
    return env._("INN %(inn)s fails the check digit test (digit %(digit)s)", inn=inn, digit=digit)


def kpp_message(env, kpp):
    if kpp_error(kpp) is None:
        return None
    return env._(
        "KPP %(kpp)s must be 9 characters: 4 digits, 2 digits or capital letters, 3 digits",
        kpp=kpp,
    )
