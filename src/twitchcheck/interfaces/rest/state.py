"""The diary of one app: its settings, its store (opened once), its accounts and sign-in limits."""

from __future__ import annotations

import threading
from collections.abc import Callable

from twitchcheck.diary.accounts import Accounts, AttemptLimiter
from twitchcheck.diary.service import DiaryStore, UserRef, open_store
from twitchcheck.interfaces.rest.clients import Proxies
from twitchcheck.interfaces.rest.settings import Settings
from twitchcheck.kb.model import KnowledgeBase


class DiaryState:
    """The app's diary: settings, the store (opened and migrated once), the accounts in it and
    the sign-in limiter.

    The store is opened on first use unless one is given, so that an app that never serves a
    diary request (the existing API tests, a load test) never touches a database.
    ``twitchcheck serve`` opens it before the server starts, so a bad database fails at once.
    """

    def __init__(
        self,
        settings: Settings,
        kb: Callable[[], KnowledgeBase],
        store: DiaryStore | None = None,
        limiter: AttemptLimiter | None = None,
    ) -> None:
        self.settings = settings
        self._kb = kb
        self._store = store
        self._accounts: Accounts | None = None
        self._lock = threading.Lock()
        self._local: UserRef | None = None
        self.limiter = limiter or AttemptLimiter(settings.login_attempts_per_minute)
        #: Whose X-Forwarded-For is believed (the sign-in limits count per client address).
        self.proxies = Proxies(settings.proxies)

    @property
    def store(self) -> DiaryStore:
        if self._store is None:
            with self._lock:
                if self._store is None:
                    self._store = open_store(self.settings.database_url, self._kb())
        return self._store

    @property
    def accounts(self) -> Accounts:
        """The accounts in the store (multi-user mode); opens the store on first use."""
        if self._accounts is None:
            store = self.store
            with self._lock:
                if self._accounts is None:
                    self._accounts = Accounts(store, self.limiter)
        return self._accounts

    def local_user(self) -> UserRef:
        if self._local is None:
            self._local = self.store.local_user()
        return self._local
