"""Directory groups to an SCS role and offices.

Plain data in, plain data out: the rules are the mapping lines of an LDAP
server, the groups are the directory groups a user is a member of (their DN and
common names). The highest role among the matching rules wins; the offices are
those of all matching rules.
"""

from dataclasses import dataclass

# lowest to highest: a user in several mapped groups gets the highest one
ROLES = ("cashier", "manager", "accountant", "admin")


@dataclass(frozen=True)
class GroupRule:
    key: str  # a group DN (``cn=...,ou=...``) or a bare group CN
    role: str
    office_ids: tuple = ()


@dataclass(frozen=True)
class Group:
    dn: str
    cns: tuple = ()


@dataclass(frozen=True)
class Grant:
    role: str
    office_ids: frozenset
    groups: tuple  # the rule keys that matched, for the audit trail


def normalize_dn(dn):
    """Case and the spaces around ``,`` and ``=`` do not matter in a DN."""
    parts = []
    for rdn in (dn or "").split(","):
        name, _sep, value = rdn.partition("=")
        parts.append(f"{name.strip().lower()}={value.strip().lower()}")
    return ",".join(parts)


def matches(key, group):
    key = (key or "").strip()
    if not key:
        return False
    if "=" in key:
        return normalize_dn(key) == normalize_dn(group.dn)
    return key.lower() in {cn.strip().lower() for cn in group.cns}


def resolve(rules, groups):
    """The Grant of a member of ``groups``, or None when no rule matches."""
    matched = [rule for rule in rules if any(matches(rule.key, group) for group in groups)]
    if not matched:
        return None
    role = max((rule.role for rule in matched), key=ROLES.index)
    offices = frozenset(office for rule in matched for office in rule.office_ids)
    return Grant(role=role, office_ids=offices, groups=tuple(rule.key for rule in matched))
