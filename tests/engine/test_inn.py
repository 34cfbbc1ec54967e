import pytest

from scs_pos.engine.inn import inn_error, kpp_error


@pytest.mark.parametrize(
    "inn",
    ["7707083893", "3808123457", "7710123458", "500100732259", "381234567815"],
)
def test_valid_inn(inn):
    assert inn_error(inn) is None


@pytest.mark.parametrize(
    "inn, reason",
    [
        ("", "empty"),
        ("77070838", "has 8 digits"),
        ("7707083894", "10th digit"),
        ("500100732250", "12th digit"),
        ("500100732269", "11th digit"),
        ("77070838a3", "digits only"),
        ("７７０７０８３８９３", "digits only"),
    ],
)
def test_invalid_inn_says_why(inn, reason):
    assert reason in inn_error(inn)


def test_kpp():
    assert kpp_error("773601001") is None
    assert kpp_error("7736AB001") is None
    assert "9 characters" in kpp_error("77360100")
    assert kpp_error("7736ab001") is not None
