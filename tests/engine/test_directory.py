import pytest

from scs_pos.engine import secret_box
from scs_pos.engine.directory import Group, GroupRule, matches, resolve

CASHIERS = Group("cn=scs-irk-cashiers,ou=groups,dc=scs,dc=test", ("scs-irk-cashiers",))
MANAGERS = Group("cn=scs-irk-managers,ou=groups,dc=scs,dc=test", ("scs-irk-managers",))
RULES = [
    GroupRule("CN=scs-irk-cashiers, OU=Groups, DC=scs, DC=test", "cashier", (1,)),
    GroupRule("scs-irk-managers", "manager", (1, 2)),
    GroupRule("scs-accounting", "accountant"),
]


def test_dn_and_cn_match_whatever_the_case():
    assert matches(RULES[0].key, CASHIERS)
    assert matches(RULES[1].key, MANAGERS)
    assert not matches(RULES[0].key, MANAGERS)
    assert not matches("", CASHIERS)


def test_highest_role_wins_and_offices_add_up():
    grant = resolve(RULES, [CASHIERS, MANAGERS])
    assert grant.role == "manager"
    assert grant.office_ids == {1, 2}
    assert len(grant.groups) == 2
    assert resolve(RULES, [CASHIERS]).role == "cashier"


def test_no_mapped_group_no_grant():
    assert resolve(RULES, [Group("cn=pilots,dc=scs,dc=test", ("pilots",))]) is None
    assert resolve(RULES, []) is None


def test_secret_round_trip_and_wrong_key():
    token = secret_box.seal("a-long-enough-secret-key", "ldap", "Bind-Pa55")
    assert "Bind-Pa55" not in token
    assert secret_box.unseal("a-long-enough-secret-key", "ldap", token) == "Bind-Pa55"
    with pytest.raises(secret_box.InvalidToken):
        secret_box.unseal("another-long-secret-key", "ldap", token)
    with pytest.raises(secret_box.InvalidToken):
        secret_box.unseal("a-long-enough-secret-key", "other", token)
    with pytest.raises(ValueError):
        secret_box.seal("short", "ldap", "x")
