"""How a vignette's patient answers a screen in a simulated interview (interview and
text_interview modes share it)."""

from __future__ import annotations

from twitchcheck import results as r
from twitchcheck.domain import Choice
from twitchcheck.evaluation.vignettes import Vignette


def simulated_answer(question: r.Question, vignette: Vignette) -> list[r.EvidenceItem]:
    """How the vignette's patient answers one screen (vignettes.md, contracts §1)."""
    present, absent = set(vignette.present), set(vignette.absent)
    ids = [i.id for i in question.items]
    if question.type == "single":
        f = ids[0]
        choice = (
            Choice.PRESENT if f in present else Choice.ABSENT if f in absent else Choice.UNKNOWN
        )
        return [r.EvidenceItem(id=f, choice=choice)]
    chosen = [i for i in ids if i in present]
    if question.type == "group_single":
        if not chosen:
            return [r.EvidenceItem(id=i, choice=Choice.UNKNOWN) for i in ids]
        return [
            r.EvidenceItem(id=i, choice=Choice.PRESENT if i == chosen[0] else Choice.ABSENT)
            for i in ids
        ]
    return [
        r.EvidenceItem(id=i, choice=Choice.PRESENT if i in chosen else Choice.ABSENT) for i in ids
    ]
