"""A contained Questionnaire that showed one grouped question with some of its items (the
tests of answers and next_question share it)."""

from __future__ import annotations

from typing import Any

from twitchcheck.kb.coding import FINDING_SYSTEM

#: "other places" as shown after the eyelid was said first.
OTHER_PLACES_SHOWN = ["twitch_cheek_mouth", "twitch_tongue"]


def showing(link_id: str, findings: list[str]) -> dict[str, Any]:
    """A contained Questionnaire (id ``q``) whose question ``link_id`` offered ``findings``."""
    options = [{"valueCoding": {"system": FINDING_SYSTEM, "code": f}} for f in findings]
    question = {"linkId": link_id, "type": "choice", "repeats": True, "answerOption": options}
    return {"resourceType": "Questionnaire", "id": "q", "status": "active", "item": [question]}
