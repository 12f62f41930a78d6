"""Red flags in people's own words (issue 17): sentence -> (finding, choice), from guidance.

Every red-flag finding of the KB (``red_flag: true``) gets the ways public guidance and lay pages
phrase it, with everyday variants, inflections, misspellings, denials and hedges. The sentences
were written from the pages cited above each group, never from vignette narratives; what each
sentence states is read from the guidance, not from the parser.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.text.conftest import choices
from twitchcheck.api import default_checker

P, A, U = "present", "absent", "unknown"

PHRASINGS: dict[str, list[tuple[str, str]]] = {
    # Jacksonian (focal motor) seizures: jerking that starts in one part and spreads ("march").
    # epilepsy.org.au/explandict/jacksonian-march/; cedars-sinai.edu (Jacksonian seizures);
    # webmd.com/epilepsy/understanding-epilepsy-symptoms ("rhythmic twitching ... may spread").
    "twitch_rhythmic_jerking_spreading": [
        ("the jerking is spreading up my arm", P),
        ("jerking spreading up my arm", P),
        ("the jerking started in my fingers and spread to my face", P),
        ("rhythmic jerks in my thumb that spread to my whole hand", P),
        ("my face jerks in a rhythm and it spreads down to my hand", P),
        ("the jerks keep marching up from my hand to my shoulder", P),
        ("jerkin spreading up my arm", P),
        ("no jerking that spreads", A),
    ],
    # NHS motor neurone disease (via theboltonnews.co.uk, patienttalk.org): "a weak grip - you
    # might drop things, or find it hard to open jars"; "weakness in your ankle or leg - you
    # might trip, or find it harder to climb stairs"; "weakness at the shoulder that makes
    # lifting the arm difficult". Stroke FAST (towerhamletsconnect.org.uk): "may not be able to
    # lift both arms and keep them there because of weakness".
    "muscle_weakness": [
        ("I can't hold a cup any more", P),
        ("my legs feel like jelly", P),
        ("I can't lift my arm", P),
        ("I can't lift my arm above my head", P),
        ("I cannot lift my arm up", P),
        ("my grip has gone weak", P),
        ("I struggle to open jars", P),
        ("my legs feel weak", P),
        ("my right arm is weak", P),
        ("I find it harder to climb stairs", P),
        ("my leg keeps giving way", P),
        ("I have no strength in my hand", P),
        ("I can't raise both arms", P),
        ("my arm feels heavy and weak", P),
        ("my arm is realy weak", P),
        ("weakness in my hands", P),
        ("no weakness in my arms or legs", A),
        ("I don't have any weakness", A),
        ("maybe a bit of weakness in my hand", U),
    ],
    # NHS MND (patienttalk.org): symptoms "develop slowly"; "the symptoms get worse over time"
    # (api-bridge NHS content); "increasingly" weak.
    "progressive_weakness": [
        ("my hand is getting weaker", P),
        ("my legs are getting weaker over the months", P),
        ("my arm has been slowly getting weaker", P),
        ("my grip is getting weaker and weaker", P),
        ("the weakness has got worse over the last few months", P),
        ("my legs have become weaker", P),
        ("my arm keeps getting weaker", P),
        ("I'm not getting any weaker", A),
    ],
    # NHS MND (theboltonnews.co.uk): "your arms or leg muscles may have become thinner over
    # time"; patienttalk.org: "visible wasting of the muscles".
    "muscle_wasting": [
        ("my muscles are wasting", P),
        ("my muscles are getting thinner", P),
        ("my arm muscles have become thinner", P),
        ("the muscle in my hand is wasting away", P),
        ("my calf looks thinner than the other one", P),
        ("the muscles in my hand have shrunk", P),
        ("my muscles look thiner", P),
        ("no muscle wasting", A),
    ],
    # NHS dysphagia (notinline.org/health-conditions/swallowing-problems-dysphagia; nidirect.gov.uk
    # swallowing-problems-dysphagia): "coughing or choking when eating or drinking", "a feeling
    # that food is stuck in your throat", "food goes down the wrong way".
    "difficulty_swallowing": [
        ("I keep choking on drinks", P),
        ("food sticks in my throat", P),
        ("I cough or choke when I eat", P),
        ("I keep choking when I drink", P),
        ("it feels like food is stuck in my throat", P),
        ("swallowing has become difficult", P),
        ("I'm having trouble swalowing", P),
        ("food goes down the wrong way", P),
        ("drinks go down the wrong way", P),
        ("I choked on my tea twice this week", P),
        ("no problems swallowing", A),
        ("I have no trouble swallowing", A),
    ],
    # Stroke FAST (towerhamletsconnect.org.uk, devonshiresclaims.co.uk quoting the NHS): "speech
    # may be slurred or garbled"; NHS MND: "slurred speech".
    "slurred_speech": [
        ("people say I sound drunk when I talk", P),
        ("words come out wrong", P),
        ("my speech is slurred", P),
        ("my speech has become slurred", P),
        ("I'm slurring my words", P),
        ("I slur my words when I talk", P),
        ("my speech sounds garbled", P),
        ("my speech is slured", P),
        ("my speech is unclear", P),
        ("no slurred speech", A),
        ("my speech is fine, no slurring", A),
    ],
    # Stroke FAST (towerhamletsconnect.org.uk): "may not be able to talk at all ... may also have
    # problems understanding what you're saying"; nm.org: "temporary loss of the ability to speak".
    "sudden_speech_difficulty": [
        ("suddenly I couldn't speak", P),
        ("all of a sudden I couldn't get my words out", P),
        ("I suddenly couldn't find my words", P),
        ("she suddenly couldn't talk", P),
        ("suddenly my words came out all jumbled", P),
        ("he suddenly couldn't understand what I was saying", P),
        ("I suddenly lost the ability to speak", P),
    ],
    # NHS MND / Guillain-Barre (nhs.uk Guillain-Barre symptoms; mayoclinic.org: "difficulty
    # catching your breath"); mnd.org.nz breathing-and-mnd: "shallow, faster breathing".
    "breathing_difficulty": [
        ("I can't get enough air", P),
        ("I get winded walking to the shop", P),
        ("I can't catch my breath", P),
        ("I get short of breath", P),
        ("I'm struggling to breathe", P),
        ("I get out of breath walking up stairs", P),
        ("I get breathless", P),
        ("I'm a bit short of breth", P),
        ("my breathing is difficult", P),
        ("no trouble breathing", A),
        ("I'm not short of breath", A),
    ],
    # mnd.org.nz/support-information/living-with-mnd/breathing-and-mnd/: "breathlessness
    # (dyspnoea) even when at rest".
    "breathless_at_rest": [
        ("I'm breathless even when I'm resting", P),
        ("I get out of breath just sitting still", P),
        ("I'm short of breath even at rest", P),
        ("I'm breathless just talking", P),
        ("I'm short of breath when sitting in my chair", P),
    ],
    # mnd.org.nz breathing-and-mnd: "breathlessness lying flat (orthopnoea)", "disturbed night
    # sleep".
    "breathless_lying_flat": [
        ("I have to sleep sitting up", P),
        ("I can't catch my breath lying down", P),
        ("I get breathless when I lie flat", P),
        ("I can't lie flat because I can't breathe", P),
        ("I have to sleep propped up on pillows", P),
        ("I wake up gasping for air", P),
        ("I'm short of breath when I lie down", P),
    ],
    # mnd.org.nz breathing-and-mnd: "morning headaches"; mybreathing.mymnd.org.uk (MND
    # Association): "I was waking up feeling very tired and with a headache".
    "morning_headache": [
        ("I wake up with headaches", P),
        ("I get headaches first thing in the morning", P),
        ("I've been waking up with a headache", P),
        ("morning headaches", P),
        ("my head hurts when I wake up", P),
        ("I was waking up feeling very tired and with a headache", P),
    ],
    # Hypocalcaemia: "muscular spasms in the hands, feet or throat" (naturaltherapypages.com.au
    # glossary); "laryngospasm ... may impair breathing" (droracle.ai hypocalcaemia).
    "throat_tightness_stridor": [
        ("my throat feels tight", P),
        ("my throat is closing up", P),
        ("my breathing sounds high-pitched and noisy", P),
        ("my throat keeps tightening", P),
        ("my throat went into spasm", P),
        ("it feels like my throat is closing", P),
    ],
    # NHS stroke/caffeine pages list chest pain as a reason to call 999; lay wording.
    "chest_pain": [
        ("my chest hurts", P),
        ("I've got pain in my chest", P),
        ("chest pains", P),
        ("my chest feels tight", P),
        ("a crushing feeling in my chest", P),
        ("no chest pain", A),
    ],
    # Stroke FAST (thechorleysurgery.com, towerhamletsconnect.org.uk, devonshiresclaims.co.uk,
    # stroke.bg/en/fast): "has their face fallen on one side? Can they smile?", "the face may have
    # dropped on one side", "mouth or eye may have dropped", "is the person's smile uneven?".
    # Bell's palsy (nhs.uk film): "my cheek seemed to be dropping", "mouth wasn't symmetrical";
    # stroke (erewashrafa.co.uk): "a drooping arm, leg or lower eyelid, or a dribbling mouth".
    "facial_droop": [
        ("I'm dribbling from the side of my mouth", P),
        ("my face dropped", P),
        ("one side of my face has gone droopy", P),
        ("my face has fallen on one side", P),
        ("I can't smile properly on one side", P),
        ("my mouth has drooped on the left", P),
        ("the corner of my mouth is drooping", P),
        ("my smile is uneven", P),
        ("my face looks lopsided", P),
        ("my cheek seems to be dropping", P),
        ("my face droped on one side", P),
        ("my face hasn't dropped", A),
        ("no drooping of my face", A),
        ("I think my face might be drooping", U),
    ],
    # Bell's palsy (bodyworksfargo.com, pharmaprix.ca): "raising the eyebrows", "unable to fully
    # close one eye"; healthtap.com: "the forehead will droop also".
    "forehead_weakness": [
        ("I can't raise my eyebrow", P),
        ("I can't raise my eyebrows on one side", P),
        ("I can't wrinkle my forehead", P),
        ("I can't frown on the left", P),
        ("my forehead won't move on one side", P),
        ("my eyebrow won't go up", P),
    ],
    # Stroke (erewashrafa.co.uk, hamad.qa): "numbness, weakness or paralysis on one side of the
    # body"; "the first signs ... are very sudden".
    "sudden_onset_weakness": [
        ("my arm suddenly went weak", P),
        ("suddenly I couldn't lift my arm", P),
        ("my right arm went weak all of a sudden", P),
        ("suddenly my arm and leg went weak", P),
        ("I suddenly lost the strength in my left side", P),
        ("my leg suddenly gave way and went weak", P),
    ],
    # NHS Guillain-Barre (abbeymedical.scot.nhs.uk symptoms): "problems with balance and
    # co-ordination"; nhs.uk: "co-ordination problems and unsteadiness".
    "poor_balance_coordination": [
        ("I can't walk straight", P),
        ("my balance is off", P),
        ("I feel unsteady on my feet", P),
        ("I keep losing my balance", P),
        ("I'm wobbly when I walk", P),
        ("my coordination is bad", P),
        ("my balance has got worse", P),
        ("I've become unsteady", P),
        ("no problems with my balance", A),
    ],
    # NHS MND (itv.com, patienttalk.org): "a 'foot drop' caused by weak ankle muscles", "dragging
    # of the leg", "tripping up over a foot".
    "frequent_tripping_falling": [
        ("I can't lift my foot properly", P),
        ("I keep tripping over", P),
        ("I've been falling a lot", P),
        ("my foot drags when I walk", P),
        ("I catch my toes on the stairs", P),
        ("I've fallen over several times", P),
        ("I keep stumbling", P),
        ("I'm dragging my leg", P),
    ],
    # Hypocalcaemia (naturaltherapypages.com.au, minclinic.eu, droracle.ai): "tingling in the
    # hands, feet, or around the mouth", "numbness in lips", "tingling lips".
    "tingling_around_mouth": [
        ("my lips are tingling", P),
        ("tingling round my mouth", P),
        ("pins and needles around my mouth", P),
        ("my lips feel numb and tingly", P),
        ("numbness around my lips", P),
        ("tingleing lips", P),
    ],
    # Hypocalcaemia (droracle.ai): "muscle spasms particularly in the hands (carpopedal spasm)";
    # naturaltherapypages.com.au: "muscular spasms in the hands, feet".
    "hand_foot_spasms": [
        ("my hands are cramping into claws", P),
        ("my fingers lock up", P),
        ("my hands go into spasm", P),
        ("my feet cramp and my toes curl", P),
        ("my hands seize up", P),
        ("my hands and feet spasm", P),
    ],
    # NHS Guillain-Barre (abbeymedical.scot.nhs.uk): "blurred or double vision".
    "vision_problems": [
        ("I can't see straight", P),
        ("I have double vision", P),
        ("I'm seeing double", P),
        ("my vision is blurry", P),
        ("my eyesight has gone blurry", P),
        ("things look blurred", P),
        ("I see two of everything", P),
        ("dubble vision", P),
        ("no double vision", A),
    ],
    # NHS MND (theboltonnews.co.uk): "difficulty stopping yourself from crying or laughing in
    # inappropriate situations".
    "uncontrollable_laughing_crying": [
        ("I can't stop myself laughing at the wrong times", P),
        ("I burst into tears for no reason", P),
        ("I cry at inappropriate times", P),
        ("I laugh at inappropriate moments", P),
        ("I keep crying out of nowhere", P),
    ],
    # Seizures (nm.org epilepsy symptoms): "loss of consciousness", "appearing confused",
    # "not responding"; stroke (devonshiresclaims.co.uk): "confusion", "loss of consciousness".
    "altered_awareness": [
        ("she was unresponsive for a minute", P),
        ("he's not making sense", P),
        ("I blacked out", P),
        ("he seems confused", P),
        ("she was very drowsy", P),
        ("I lost consciousness", P),
        ("I fainted", P),
        ("he keeps zoning out", P),
        ("I passed out", P),
    ],
    # Seizures (nm.org, sharecare.com): "convulsion", "jerking movements of the arms and legs";
    # lay "fit".
    "seizure_convulsion": [
        ("I had a seizure", P),
        ("I had a fit", P),
        ("I had convulsions", P),
        ("I've been having siezures", P),
        ("I think I had a fit", U),
        ("I've never had a seizure", A),
    ],
    # Subarachnoid haemorrhage (doctronic.ai, seekhealthz.com, headacheaustralia.org.au):
    # "the worst headache of your life", "thunderclap", "like they've been hit in the head",
    # stroke (devonshiresclaims.co.uk): "a sudden and very severe headache".
    "sudden_severe_headache": [
        ("it was like being hit on the head", P),
        ("the worst headache of my life", P),
        ("a sudden, severe headache", P),
        ("a headache came on suddenly like being hit on the head", P),
        ("I suddenly got a terrible headache", P),
        ("out of nowhere I got a splitting headache", P),
        ("a thunderclap headache", P),
    ],
    # Stroke (erewashrafa.co.uk, hamad.qa): "numbness ... on one side of the body".
    "numbness_one_side": [
        ("one side of my body went numb", P),
        ("my left arm and leg went numb", P),
        ("the right side of my face and arm are numb", P),
        ("numbness down one side", P),
        ("my whole left side is numb", P),
    ],
    # Stroke (erewashrafa.co.uk): "sudden blurred vision or loss of sight"; devonshiresclaims:
    # "sudden loss or blurring of vision".
    "sudden_vision_problems": [
        ("my vision went", P),
        ("I suddenly lost the sight in one eye", P),
        ("suddenly I was seeing double", P),
        ("my vision suddenly went blurry", P),
        ("I went blind in one eye", P),
        ("all of a sudden I couldn't see out of my left eye", P),
    ],
    # Stroke (erewashrafa.co.uk): "confusion or unsteadiness", "the first signs ... are very
    # sudden"; devonshiresclaims: "problems with balance and co-ordination".
    "sudden_loss_of_balance": [
        ("I lost my balance all of a sudden", P),
        ("I suddenly lost my balance", P),
        ("suddenly I couldn't stand up", P),
        ("I suddenly became unsteady", P),
        ("my legs suddenly gave way", P),
    ],
    # Guillain-Barre (mayoclinic.org): "choking on saliva"; NHS dysphagia: some people "cannot
    # swallow at all".
    "sudden_swallowing_difficulty": [
        ("I suddenly can't swallow", P),
        ("all of a sudden I couldn't swallow", P),
        ("I can't swallow my own spit", P),
        ("I'm choking on my saliva", P),
        ("I can't swallow at all", P),
    ],
    # Guillain-Barre (nhs.uk symptoms; mayoclinic.org): weakness "may get worse over a period of
    # several days", "weakness in your legs that spreads to your upper body", "tingling or
    # weakness that's spreading rapidly".
    "rapidly_worsening_weakness": [
        ("my legs are getting weaker by the day", P),
        ("my legs are weaker every day", P),
        ("the weakness is spreading up from my feet", P),
        ("the weakness is creeping up my legs", P),
        ("I'm getting weaker day by day", P),
        ("the weakness is spreading rapidly", P),
    ],
}

#: Not red flags, but the brief's MND sign in lay words (patienttalk.org: "twitching of the
#: muscles (fasciculations)"; the tongue is a bulbar site).
TONGUE: list[tuple[str, str]] = [
    ("my tongue is rippling", P),
    ("my tongue keeps quivering", P),
    ("my tongue quivers when I stick it out", P),
]

CASES = [(text, fid, choice) for fid, pairs in PHRASINGS.items() for text, choice in pairs] + [
    (text, "twitch_tongue", choice) for text, choice in TONGUE
]


@pytest.mark.parametrize(("text", "finding", "choice"), CASES)
def test_red_flag_phrasing(parse: Any, text: str, finding: str, choice: str) -> None:
    got = choices(parse(text))
    assert got.get(finding) == choice, got


def test_every_red_flag_of_the_kb_has_phrasings() -> None:
    kb = default_checker().kb
    red_flags = {f.id for f in kb.findings if f.red_flag}
    assert red_flags == set(PHRASINGS)
    assert all(len(PHRASINGS[f]) >= 5 for f in red_flags)
