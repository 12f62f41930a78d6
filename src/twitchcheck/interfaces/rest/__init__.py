"""The REST API (FastAPI), versioned under /api/v1, and the pages it serves.

Laid out after full-stack-fastapi-template's ``backend/app/api``; imports only point down this list:

- :mod:`.app`: ``create_app``, which only composes what follows.
- :mod:`.routes`: one module per area (service, assess, kb, accounts, diary).
- :mod:`.deps`: what routes receive (the checker, the store, the caller); :mod:`.auth`: who is
  asking (sessions, CSRF, cross-site checks); :mod:`.state`: the app's diary and accounts.
- :mod:`.openapi`, :mod:`.middleware`, :mod:`.problems` (errors as problem+json),
  :mod:`.schemas` (request bodies and documents), :mod:`.clients`, :mod:`.paths`,
  :mod:`.settings`.

Accounts and the diary's data are read and written by :mod:`twitchcheck.diary` (no SQL here).
"""
