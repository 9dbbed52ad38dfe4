"""Read replicas: page reads go to a replica, everything that writes to the primary.

Configured by DATABASE_REPLICA_URLS (settings.DATABASE_REPLICAS lists their
aliases); with none, the router is not installed and everything uses "default".

What goes to the primary:

- every write (db_for_write), every read of the task queue (the worker locks
  the task it claims), and every read inside a transaction on it
  (``transaction.atomic`` blocks: a service that reads then writes sees its own
  rows and takes its locks where the data is current);
- every read of a request that writes (POST, PUT, PATCH, DELETE), and of the
  requests of a client that wrote in the last REPLICA_LAG_SECONDS, so that a
  person sees their own change on the page they are sent to next, however far
  the replica lags. The mark is a short-lived cookie set on responses to
  writing requests (PrimaryAfterWriteMiddleware).

Everything else (the pages anonymous readers hit, by far the most traffic)
reads from a replica chosen at random per query.
"""

import random
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

_pinned = ContextVar("read_from_primary", default=False)

# Apps whose rows are read to be claimed or locked: the task queue (the worker
# picks its next task with SELECT ... FOR UPDATE, which only the primary can do).
PRIMARY_ONLY_APPS = frozenset({"django_tasks_database"})  # django-tasks-db

COOKIE_NAME = "kw_primary"
WRITING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        replicas = settings.DATABASE_REPLICAS
        if (
            not replicas
            or _pinned.get()
            or model._meta.app_label in PRIMARY_ONLY_APPS
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return DEFAULT_DB_ALIAS
        return random.choice(replicas)

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replicas hold the primary's rows: an object read from one may
        # relate to an object from another.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # Replicas receive the schema by replication.
        return db == DEFAULT_DB_ALIAS


class read_from_primary:
    """Pin this context's reads to the primary (a request, a management command)."""

    def __enter__(self):
        self._token = _pinned.set(True)
        return self

    def __exit__(self, *exc_info):
        _pinned.reset(self._token)


class PrimaryAfterWriteMiddleware:
    """Pins writing requests, and the next ones of the same client, to the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        writes = request.method in WRITING_METHODS
        if not (writes or COOKIE_NAME in request.COOKIES):
            return self.get_response(request)
        with read_from_primary():
            response = self.get_response(request)
        if writes:
            response.set_cookie(
                COOKIE_NAME,
                "1",
                max_age=settings.REPLICA_LAG_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
