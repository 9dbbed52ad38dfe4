"""Caching for the whole site, below every other app: it imports none of them.

The design (generations, fragments, the page cache, what a Redis outage does)
is described once, in README.md, "Caching". The modules:

- ``redis``: the one Redis client, with short timeouts; a failure is a miss.
- ``backends``: Django's Redis cache backend with the same rule.
- ``generations``: the tokens that keep cached things fresh, and ``bump``.
- ``fragments``: ``cached()`` and ``@selector``: values under a key and tokens.
- ``pages``: ``@public_page`` and ``PageCacheMiddleware``.
- ``readers``: signed-in pages shared by every ordinary reader, with slots.
- ``memory``: the bounded in-process store behind fragments and pages.
- ``shared``: whole pages in Redis behind that store, for every process.
"""
