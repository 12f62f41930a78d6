"""Evidence closure under implications and exclusive groups (contracts §2)."""

from __future__ import annotations

import pytest

from twitchcheck.engine.evidence import close_evidence
from twitchcheck.errors import ContradictionError

GROUPS = {"duration": ("d_short", "d_mid", "d_long")}
IMPLICATIONS = [("nose_side", "nose"), ("nose_tip", "nose"), ("breathless_rest", "breathing")]


def test_implied_finding_becomes_present() -> None:
    closed = close_evidence(["nose_side"], [], GROUPS, IMPLICATIONS)
    assert closed.present == {"nose_side", "nose"}
    assert closed.derived == {"nose"}


def test_absent_parent_makes_children_absent() -> None:
    closed = close_evidence([], ["nose"], GROUPS, IMPLICATIONS)
    assert closed.absent == {"nose", "nose_side", "nose_tip"}


def test_one_group_member_present_makes_siblings_absent() -> None:
    closed = close_evidence(["d_mid"], [], GROUPS, IMPLICATIONS)
    assert closed.absent == {"d_short", "d_long"}


def test_two_group_members_present_is_a_contradiction_naming_both() -> None:
    with pytest.raises(ContradictionError) as info:
        close_evidence(["d_short", "d_long"], [], GROUPS, IMPLICATIONS)
    assert set(info.value.ids) == {"d_short", "d_long"}
    assert "d_short" in info.value.message and "d_long" in info.value.message


def test_contradiction_after_closure_is_reported() -> None:
    with pytest.raises(ContradictionError) as info:
        close_evidence(["nose_side"], ["nose"], GROUPS, IMPLICATIONS)
    assert "nose" in info.value.ids


def test_same_id_present_and_absent() -> None:
    with pytest.raises(ContradictionError, match="both present and absent: breathing"):
        close_evidence(["breathing"], ["breathing"], GROUPS, IMPLICATIONS)
