"""The twitch diary: episodes, check-ins and assessments over time, their trends and triggers."""
