"""The finding ids the diary's analysis names itself: written here, and only here.

Every other id the diary uses comes from the knowledge base (locations by their category, red
flags by their flag). These are the exceptions, until the knowledge base carries them too; then
each constant becomes a read of that field, and nothing else changes.
"""

from __future__ import annotations

#: Twitch sites beyond the face: reaching them from the face is "spreading".
BODY_LOCATIONS = ("twitch_limbs_or_trunk", "twitch_widespread")
#: Face patterns that are themselves a spread over the face.
FACE_SPREAD_LOCATIONS = ("twitch_spreads_one_side_face", "twitch_both_sides_face")
#: The time-course findings, shortest first. The diary's own span chooses one of them (each
#: holds below its bound in :data:`DURATION_BOUNDS_DAYS`, the last one beyond) and replaces any
#: duration answer given in a check-in.
DURATION_FINDINGS = (
    "duration_under_2_weeks",
    "duration_2_weeks_to_3_months",
    "duration_over_3_months",
)
#: Days of diary below which each duration finding but the last holds (two weeks; three months).
DURATION_BOUNDS_DAYS = (14, 91)
#: Present in the fresh triage when the progression check found something worse.
GETTING_WORSE = "getting_worse"
