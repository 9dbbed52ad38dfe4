"""How often each cache answered, counted in this process (read by the benchmark's
``/bench/stats/``, which answers only with ``BENCHMARK_YARDSTICK`` on)."""

import collections

# "page.hit", "page.miss", "reader_page.hit", "reader_page.miss",
# "fragment.memory", "fragment.shared", "fragment.computed"
counts: collections.Counter = collections.Counter()
