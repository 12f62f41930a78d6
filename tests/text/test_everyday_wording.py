"""Everyday wording of the findings (issue 17, second pass): sentence -> (finding, choice).

The kinds of wording the first pass missed: a finding said by what the person can no longer do
("can't climb the stairs any more"), by how it feels ("legs feel heavy", "out of puff"), by its
pace ("weaker every day", "steadily weaker"), and its denials ("legs feel strong"). Sentences
were written from the public pages cited above each group, never from vignette narratives; the
expected choice is read from the guidance, not from the parser.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.text.conftest import choices

P, A, U = "present", "absent", "unknown"

WORDING: dict[str, list[tuple[str, str]]] = {
    # NHS motor neurone disease: "weakness in your ankle or leg - you might trip, or find it
    # harder to climb stairs"; "a weak grip"; MedlinePlus "Weakness": trouble getting up from a
    # chair, legs that give way.
    "muscle_weakness": [
        ("I can't climb the stairs any more", P),
        ("I can't get up from a chair without using my arms", P),
        ("I struggle to get up the stairs now", P),
        ("my legs keep giving out", P),
        ("my legs won't hold me up", P),
        ("my legs feel heavy", P),
        ("my legs feel like they're made of lead", P),
        ("I can barely lift my arms", P),
        ("my hand has no grip", P),
        ("walking is getting harder", P),
        ("I could hardly stand", P),
        ("I've lost power in my right hand", P),
        ("I can't open jars anymore", P),
        ("I find it hard to lift the kettle", P),
        ("my legs feel strong", A),
        ("no trouble walking", A),
        ("maybe my legs feel heavy", U),
    ],
    # NHS MND: the symptoms "get worse over time", starting "slowly".
    "progressive_weakness": [
        ("over the last few months my arms have got steadily weaker", P),
        ("my hand is gradually getting weaker", P),
        ("my legs are weakening", P),
        ("I'm getting weaker as the months go on", P),
        ("I'm not getting any weaker", A),
    ],
    # NHS Guillain-Barre syndrome: the symptoms "may get worse over a period of several days".
    "rapidly_worsening_weakness": [
        ("my legs tingled on Friday and by the next day I couldn't walk", P),
        ("within a couple of days I could barely walk", P),
        ("my legs are weaker today than yesterday", P),
        ("by the next morning I couldn't stand up", P),
        ("my legs went weak on Monday. It's worse every day.", P),
        ("the weakness is moving up my body", P),
        ("by the evening I couldn't lift my legs", P),
        ("each day I can do less and my legs are weaker", P),
        ("by the evening I could barely stand", P),
        ("my legs are weaker than they were this morning", P),
        ("in the last 48 hours my legs have become really weak", P),
        ("last week I was fine and now I can't climb the stairs", P),
    ],
    # MedlinePlus "Hypocalcemia" and "Carpopedal spasm": cramps or spasms of the hands and feet,
    # fingers and wrists that bend and lock, the thumb drawn into the palm.
    "hand_foot_spasms": [
        ("my hands went into claws", P),
        ("my fingers locked up", P),
        ("my hands curled up into claws", P),
        ("my thumb pulls into my palm", P),
        ("my hands seized up and my fingers curled", P),
        ("my fingers twisted up in a spasm", P),
        ("my hands went stiff like a claw", P),
        ("my thumb folded in", P),
        ("my hands contorted", P),
        ("I had tetany in my hands", P),
        ("my fingers bunched up", P),
        ("my hands and feet cramped up", P),
        ("my hands keep going into spasm", P),
        ("my fingers went rigid and bent inwards", P),
        ("my fingers don't lock up", A),
        ("I think my hands might lock up sometimes", U),
    ],
    # NHS "Shortness of breath"; NHS "Stridor" (noisy, high-pitched breathing).
    "breathing_difficulty": [
        ("I get out of puff easily", P),
        ("I'm gasping for air", P),
        ("my breathing is wheezy", P),
        ("I get this tight breathing when I walk uphill", P),
        ("no wheezing", A),
    ],
    # NHS "Swallowing problems (dysphagia)": "coughing or choking when eating or drinking",
    # "food getting stuck in your throat".
    "difficulty_swallowing": [
        ("food goes down the wrong way", P),
        ("I can't get solid food down", P),
        ("I cough when I eat", P),
        ("I can't swallow tablets any more", P),
        ("liquids come back up my nose", P),
        ("no problems getting food down", A),
    ],
    # NHS "Vitamin E deficiency" / ataxia pages: unsteadiness, "walking as if drunk".
    "poor_balance_coordination": [
        ("I'm wobbly on my feet", P),
        ("I walk like I'm drunk", P),
        ("I keep losing my balance", P),
        ("I sway when I stand", P),
        ("I keep veering to the side when I walk", P),
        ("I lose my footing", P),
        ("I can't keep my balance", P),
        ("I wobble when I walk", P),
        ("I have to hold on to the walls", P),
        ("I hold onto furniture to get around", P),
        ("I'm swaying", P),
        ("I'm not steady on my feet", P),
        ("I struggle with my balance", P),
        ("I'm clumsy when I walk", P),
        ("my walking is all over the place", P),
        ("I'm all over the place when I walk", P),
        ("for maybe 6 months I've been unsteady", P),
    ],
    # NHS stroke (FAST) and Bell's palsy: symptoms are often noticed on waking.
    "sudden_onset_weakness": [
        ("I woke up and my arm was weak", P),
        ("I suddenly couldn't move my arm", P),
        ("this morning I woke up and both my legs were weak", P),
    ],
    # NHS MND: a foot that drags or catches; muscles that waste.
    # NHS stroke (FAST): "they may not be able to talk at all".
    "sudden_speech_difficulty": [
        ("I suddenly couldn't get the words out", P),
        ("all of a sudden I was talking nonsense", P),
        ("suddenly I couldn't say what I wanted to", P),
        ("my speech went all garbled for a few minutes", P),
    ],
    "frequent_tripping_falling": [("my foot catches on the ground", P)],
    "muscle_wasting": [("my muscles are wasting away", P)],
}

#: Other findings' everyday words (not red flags): NHS pages on the conditions they belong to.
OTHER: list[tuple[str, str, str]] = [
    ("I'm sleeping terribly", "poor_sleep", P),
    ("the twitch wakes me up most nights", "poor_sleep", P),
    ("I sleep ok", "poor_sleep", A),
    ("my periods are really heavy", "heavy_bleeding", P),
    ("my hair is thinning", "hair_loss", P),
    ("my hands have started trembling", "hand_tremor", P),
    ("loose fatty stools", "vomiting_or_diarrhea", P),
    ("since my thyroid op", "neck_or_thyroid_surgery", P),
    ("I had part of my bowel removed", "malabsorption", P),
    ("I'm moving slower and stiffer", "slowness_stiffness", P),
    ("work is mad right now", "high_stress", P),
    ("I feel rubbish", "fatigue_tiredness", P),
    ("my face feels normal", "facial_droop", A),
    ("the neurologist upped my capsules", "recent_medication_change", P),
    ("I started the new tablets last week", "recent_medication_change", P),
    ("my hands feel fuzzy", "tingling_numbness", P),
    ("food tastes funny", "taste_change", P),
    ("should I be worried?", "anxiety_health_worry", P),
    ("I drink a bottle of wine a night", "heavy_alcohol_use", P),
    ("it used to be just my eye, now it's my cheek too", "getting_worse", P),
    ("I can feel my heart thumping", "palpitations", P),
    ("my heart keeps skipping", "palpitations", P),
    ("I get a fluttery feeling in my chest", "palpitations", P),
    ("my hands go dead at night", "tingling_numbness", P),
    ("painful spasms in my calves", "muscle_cramps", P),
    ("I've had the squits", "vomiting_or_diarrhea", P),
    ("loose bowels for weeks", "vomiting_or_diarrhea", P),
    ("I'm up half the night", "poor_sleep", P),
    ("I've not been sleeping well", "poor_sleep", P),
    ("I can't get to sleep", "poor_sleep", P),
    ("my sleep is terrible", "poor_sleep", P),
    ("things have been tough at work", "high_stress", P),
    ("I'm addicted to coffee", "high_caffeine_intake", P),
    ("I barely drink any water", "low_fluid_intake", P),
    ("I drink most nights", "heavy_alcohol_use", P),
    ("I don't eat meat", "restricted_diet", P),
    ("I've started running a lot", "recent_strenuous_exercise", P),
    ("my skin looks grey", "pale_skin", P),
    ("I'm losing a lot of hair", "hair_loss", P),
    ("it's freaking me out", "anxiety_health_worry", P),
    ("I'm on tablets for my blood pressure", "takes_blood_pressure_medicine", P),
    ("I take tablets for acid reflux", "takes_proton_pump_inhibitor", P),
    ("my kidneys don't work well", "kidney_disease", P),
    ("I take caffeine pills", "stimulant_use", P),
    ("my lower lid keeps jumping", "twitch_eyelid", P),
    ("it only lasts a second", "twitch_brief_seconds", P),
    ("it lasts for ages", "twitch_lasts_minutes_hours", P),
    ("the rippling never stops", "twitch_continuous_rippling", P),
    ("it pulls my face to one side", "twitch_spreads_one_side_face", P),
    ("it's worse after I drink coffee", "worse_after_caffeine", P),
    ("it's the same movement every time", "twitch_patterned_movement", P),
    ("she keeps sniffing and clearing her throat", "vocal_tics", P),
    ("he makes little noises", "vocal_tics", P),
    ("it started on Monday", "duration_under_2_weeks", P),
    ("my eye has twitched since last summer", "duration_over_3_months", P),
    ("I need naps every day", "fatigue_tiredness", P),
    ("I'm white as a ghost", "pale_skin", P),
    ("I'm going bald in patches", "hair_loss", P),
    ("I eat hardly anything", "restricted_diet", P),
    ("my stools are loose", "vomiting_or_diarrhea", P),
    ("I did a long hike at the weekend", "recent_strenuous_exercise", P),
    ("I play football five times a week", "recent_strenuous_exercise", P),
    ("I hardly drink anything", "low_fluid_intake", P),
    ("I work nights", "poor_sleep", P),
    ("I drink coffee all day", "high_caffeine_intake", P),
    ("I drink quite heavily", "heavy_alcohol_use", P),
    ("I can feel my heartbeat in my chest", "palpitations", P),
    ("my calves seize up", "muscle_cramps", P),
    ("my hands won't stay still", "hand_tremor", P),
    ("my voice sounds different", "voice_change", P),
    ("my movements are slower", "slowness_stiffness", P),
    ("I don't smile much any more", "reduced_facial_expression", P),
    ("food tastes of metal", "taste_change", P),
]

CASES = [(text, fid, choice) for fid, pairs in WORDING.items() for text, choice in pairs] + OTHER


@pytest.mark.parametrize(("text", "finding", "choice"), CASES)
def test_everyday_wording(parse: Any, text: str, finding: str, choice: str) -> None:
    got = choices(parse(text))
    assert got.get(finding) == choice, got


@pytest.mark.parametrize(
    ("text", "not_found"),
    [
        ("I did a really heavy leg session", "muscle_weakness"),
        ("I don't feel strong", "muscle_weakness"),
        ("I upped my coffee", "recent_medication_change"),
        ("my twitch is worse than yesterday", "rapidly_worsening_weakness"),
        ("I locked the door and my hands are fine", "hand_foot_spasms"),
        ("the tablets stopped working", "recent_medication_change"),
        ("he drinks energy drinks every day", "heavy_alcohol_use"),
        ("the twitch started on Monday", "recent_medication_change"),
        ("I keep going to the loo to pee", "vomiting_or_diarrhea"),
        ("I don't drink anything alcoholic", "low_fluid_intake"),
        ("my legs got weak when I stood up", "progressive_weakness"),
        ("I had pins and needles for a few minutes", "numbness_one_side"),
    ],
)
def test_near_wording_that_says_something_else(parse: Any, text: str, not_found: str) -> None:
    assert not_found not in choices(parse(text))
