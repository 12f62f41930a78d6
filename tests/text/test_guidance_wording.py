"""Red flags in the words of the public guidance people read (issue 17, third pass): each
family is a symptom as NHS, NHS inform, the MND Association, the Stroke Association's FAST,
Epilepsy Society and the GBS guidance describe it, typed the way a person or a carer would
(first or third person, past or present, without apostrophes), with a near wording that
must not read the same. None of these sentences comes from a case narrative."""

from __future__ import annotations

from typing import Any

import pytest

from tests.text.conftest import choices

PRESENT_FAMILIES: list[tuple[str, list[str]]] = [
    # FAST: can they raise both arms and keep them there? (one arm drifts down)
    (
        "muscle_weakness",
        [
            "He couldnt raise his arms.",
            "She can't lift both arms.",
            "His arm drifted down.",
            "I have trouble holding things.",
            "My ankle feels weak.",
        ],
    ),
    # NHS dysphagia: food back up through the nose; a wet, gurgly voice when eating or
    # drinking; coughing or choking when eating; NHS GBS: difficulty chewing or swallowing
    (
        "difficulty_swallowing",
        [
            "Drinks come back up through his nose.",
            "Her voice goes gurgly after drinking.",
            "He keeps choking on his food.",
            "She coughs while eating.",
            "He has trouble chewing and swallowing.",
        ],
    ),
    # NHS stroke: speech slurred or garbled; problems with speech
    (
        "slurred_speech",
        [
            "Problems with her speech.",
            "His speech was garbled.",
            "I'm having speech problems.",
        ],
    ),
    # MND Association: breathing becomes shallower
    ("breathing_difficulty", ["His breathing is shallow.", "I take shallow breaths."]),
    # NHS MND: difficulty stopping yourself from crying or laughing at the wrong time
    (
        "uncontrollable_laughing_crying",
        [
            "She cant stop herself from crying.",
            "Difficulty stopping myself from laughing.",
            "He laughs at the wrong times.",
        ],
    ),
    # NHS GBS: co-ordination problems and unsteadiness, unable to walk unaided
    (
        "poor_balance_coordination",
        [
            "He cant walk without help now.",
            "She needs help to walk.",
            "Co-ordination problems.",
        ],
    ),
    # NHS double vision: two images of a single object
    ("vision_problems", ["He's seeing two images.", "Everything looks double."]),
    # NHS stroke: sudden loss of sight
    ("sudden_vision_problems", ["She lost sight in one eye."]),
    # Epilepsy Society: the body goes stiff, then jerks (tonic-clonic)
    (
        "seizure_convulsion",
        ["He went stiff and then jerked.", "She stiffened and started jerking."],
    ),
    # NHS epilepsy: not aware of what is happening
    ("altered_awareness", ["She didnt know what was going on."]),
    # FAST: weakness or numbness in one arm
    ("numbness_one_side", ["One arm went numb.", "Numbness in one leg."]),
    # NHS palpitations: an irregular heartbeat
    ("palpitations", ["My heart beats irregularly."]),
    # NHS pins and needles: a prickling feeling
    ("tingling_numbness", ["Prickling in my fingers.", "My feet feel prickly."]),
    # NHS stroke: a sudden, very severe headache, a blinding pain unlike anything before
    ("sudden_severe_headache", ["Suddenly a headache unlike anything I've had."]),
    # NHS Bell's palsy: weakness or paralysis on one side of the face, an eye that won't close
    (
        "facial_droop",
        [
            "Weakness on one side of my face.",
            "He cant close one eye.",
            "Paralysis on one side of her face.",
        ],
    ),
    # MND Association (breathing): waking breathless at night; morning headaches
    ("breathless_lying_flat", ["I wake up at night breathless.", "She woke up gasping for air."]),
    ("morning_headache", ["I wake up with a sore head."]),
    # NHS inform hypocalcaemia: cramps and spasms in the hands and feet
    ("hand_foot_spasms", ["Cramps in my hands and feet.", "Spasms in her hands."]),
    # NHS Guillain-Barre: weakness that starts in the feet and spreads up
    ("rapidly_worsening_weakness", ["The weakness is spreading up from his feet."]),
    # NHS Guillain-Barre and stroke: paralysis of the legs or arms
    ("muscle_weakness", ["Paralysis in my legs.", "He cant move his legs."]),
    # NHS epilepsy (absence seizures): staring blankly into space
    ("altered_awareness", ["She was staring into space.", "He was confused afterwards."]),
    # NINDS ALS: speech becoming slow
    ("slurred_speech", ["My speech has got slower."]),
    # NHS double vision and stroke: loss of vision
    ("vision_problems", ["Loss of vision in one eye."]),
    # NHS stroke and MND: changes in speech
    ("slurred_speech", ["I noticed a change in my speech."]),
    # NHS epilepsy: fits, said as a carer would
    ("seizure_convulsion", ["He has fits."]),
    # NHS pins and needles: a hand or foot that has 'gone to sleep'; loss of feeling
    (
        "tingling_numbness",
        ["My feet feel like theyre asleep.", "My hands go to sleep at night.", "Loss of feeling."],
    ),
    # NHS heart palpitations: pounding, fluttering, flip-flopping
    ("palpitations", ["My heart flip flops."]),
    # the duration group as people count it
    ("duration_2_weeks_to_3_months", ["My nose has been twitching for a fortnight."]),
]

ABSENT_FAMILIES: list[tuple[str, list[str]]] = [
    ("facial_droop", ["She can still smile.", "His face hasn't dropped."]),
    ("muscle_weakness", ["He can raise both arms.", "My grip is normal."]),
    ("slurred_speech", ["He can still talk.", "She speaks normally.", "Speech is ok."]),
    (
        "difficulty_swallowing",
        [
            "He can still swallow.",
            "No choking.",
            "Eating and drinking are fine.",
        ],
    ),
    ("altered_awareness", ["She stayed aware the whole time.", "He knew what was going on."]),
    ("frequent_tripping_falling", ["She hasnt fallen.", "No falls."]),
    ("muscle_wasting", ["His muscles look normal."]),
    ("palpitations", ["My heartbeat is normal."]),
    ("hand_tremor", ["My hands are steady."]),
    ("breathless_lying_flat", ["I can lie flat fine."]),
    ("vision_problems", ["No problems with my eyes."]),
    # negations people write about red flags (issue 17, third pass)
    ("difficulty_swallowing", ["No problems eating or drinking."]),
    ("slurred_speech", ["There has been no change in her speech."]),
    ("facial_droop", ["Her smile is even."]),
    ("seizure_convulsion", ["No fits or funny turns.", "He has had no fits since."]),
    ("chest_pain", ["Chest is fine."]),
]

NOT_THE_FINDING = [
    ("I sent the doctor two images of my eye.", "vision_problems"),
    ("My eyes are prickling from hay fever.", "tingling_numbness"),
    ("I have a cough stuck in my chest.", "difficulty_swallowing"),
    ("I stop myself from crying in front of the kids.", "uncontrollable_laughing_crying"),
    ("I can walk without help.", "poor_balance_coordination"),
    ("I was fully aware of the risks.", "altered_awareness"),
    ("My legs went stiff after the run.", "seizure_convulsion"),
    ("Numbness in both arms.", "numbness_one_side"),
    ("I lost sight of the ball.", "sudden_vision_problems"),
    ("We swam in a shallow pool.", "breathing_difficulty"),
    ("My arms drift when I fall asleep.", "muscle_weakness"),
    ("I have sleep paralysis sometimes.", "muscle_weakness"),
    ("I was confused about the results.", "altered_awareness"),
    ("A headache like any other.", "sudden_severe_headache"),
    ("Weakness on one side of my face.", "muscle_weakness"),
    ("I am losing my patience.", "vision_problems"),
    ("I finally go to sleep at 2am.", "tingling_numbness"),
    ("The kids have gone to sleep.", "tingling_numbness"),
    ("I wear flip flops.", "palpitations"),
]


def _cases(families: list[tuple[str, list[str]]]) -> list[tuple[str, str]]:
    return [(text, finding) for finding, texts in families for text in texts]


@pytest.mark.parametrize(("text", "finding"), _cases(PRESENT_FAMILIES))
def test_a_red_flag_in_guidance_words(parse: Any, text: str, finding: str) -> None:
    assert choices(parse(text)).get(finding) == "present"


@pytest.mark.parametrize(("text", "finding"), _cases(ABSENT_FAMILIES))
def test_a_red_flag_denied_as_people_write(parse: Any, text: str, finding: str) -> None:
    assert choices(parse(text)).get(finding) == "absent"


@pytest.mark.parametrize(("text", "finding"), NOT_THE_FINDING)
def test_a_near_wording_is_not_the_finding(parse: Any, text: str, finding: str) -> None:
    assert finding not in choices(parse(text))


def test_not_steady_stays_a_balance_problem(parse: Any) -> None:
    # the guidance word "unsteady" said as "not steady" is the problem, never its denial
    found = choices(parse("I'm not steady on my feet."))
    assert found.get("poor_balance_coordination") == "present"
