"""Evidence closure: implications and exclusive groups applied before inference.

Rules (contracts §2): an implied finding becomes present; an absent parent makes its children
absent; one present member of an exclusive group makes its siblings absent. Two present members
of one group, or a finding both present and absent after closure, is a contradiction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from twitchcheck.errors import ContradictionError


@dataclass(frozen=True)
class ClosedEvidence:
    """Evidence after closure. ``derived`` holds the ids that closure added (not reported)."""

    present: frozenset[str]
    absent: frozenset[str]
    derived: frozenset[str]


def close_evidence(
    present: Iterable[str],
    absent: Iterable[str],
    groups: Mapping[str, Sequence[str]],
    implications: Sequence[tuple[str, str]],
) -> ClosedEvidence:
    """Close ``present``/``absent`` under ``implications`` (if, then) and exclusive ``groups``."""
    pres = set(present)
    abs_ = set(absent)
    both = sorted(pres & abs_)
    if both:
        raise ContradictionError(
            f"These findings were given as both present and absent: {', '.join(both)}.", both
        )
    reported = pres | abs_
    _check_groups(groups, pres, "these were all given as present")
    changed = True
    while changed:  # a fixpoint: the KB's structure is small, so a few rounds at most
        changed = False
        for cond, then in implications:
            if cond in pres and then not in pres:
                pres.add(then)
                changed = True
            if then in abs_ and cond not in abs_:
                abs_.add(cond)
                changed = True
        for members in groups.values():
            on = [m for m in members if m in pres]
            if len(on) == 1:
                for m in members:
                    if m != on[0] and m not in abs_:
                        abs_.add(m)
                        changed = True
        clash = sorted(pres & abs_)
        if clash:
            raise ContradictionError(
                "These answers contradict each other once their implications are applied: "
                f"{', '.join(clash)} would be both present and absent. Check the answers about "
                f"{', '.join(clash)} and the findings that imply them.",
                clash,
            )
        _check_groups(groups, pres, "the answers imply")
    return ClosedEvidence(frozenset(pres), frozenset(abs_), frozenset((pres | abs_) - reported))


def _check_groups(groups: Mapping[str, Sequence[str]], present: set[str], how: str) -> None:
    """At most one present member per exclusive group, or a ContradictionError naming them."""
    for group_id, members in sorted(groups.items()):
        on = sorted(m for m in members if m in present)
        if len(on) > 1:
            raise ContradictionError(
                f"Only one answer of '{group_id}' can be true, but {how}: {', '.join(on)}.", on
            )
