"""The facade: compiles a knowledge base for the engine once, then answers requests.

``twitchcheck.api`` is its public entry (``Checker``, ``assess``, ``default_checker``); the
modules here each do one part of the work (see docs/architecture.md):

- :mod:`.compile`: the KB into the engine's model (:class:`twitchcheck.engine.model.EngineModel`);
- :mod:`.request`: reading, checking and closing a request;
- :mod:`.ranking`: priors, inference and the ranking of causes;
- :mod:`.triage`: the triage of a request as result data (reasons, safety net, red flags);
- :mod:`.advice`: advice for the causes worth showing, and the ALS answer in context;
- :mod:`.citations`: the sources a result cites, collected as it is built;
- :mod:`.assessment`: an assessment, from these parts;
- :mod:`.interview`: one step of the interview (question, rationale, progress);
- :mod:`.checker`: the :class:`~.checker.Checker` that composes them.
"""
