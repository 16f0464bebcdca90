"""One Engine shared by many Python threads; batch calls after fork()."""

from __future__ import annotations

import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

import tactful


def test_eight_threads_share_one_engine(engine: tactful.Engine, sample_texts: list) -> None:
    expected = {t: engine.assess(t, channel="chat").to_json() for t in sample_texts}
    errors: list = []
    barrier = threading.Barrier(8)

    def work(k: int) -> int:
        barrier.wait()
        n = 0
        for i in range(3):
            for t in sample_texts[k::2]:
                if engine.assess(t, channel="chat").to_json() != expected[t]:
                    errors.append(t)
                n += 1
            batch = engine.assess_batch(sample_texts, {"channel": "chat"})
            if [b.to_json() for b in batch] != [expected[t] for t in sample_texts]:
                errors.append(f"batch {k}/{i}")
        return n

    with ThreadPoolExecutor(8) as pool:
        counts = list(pool.map(work, range(8)))
    assert not errors
    assert counts == [3 * len(sample_texts[k::2]) for k in range(8)]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
def test_batch_works_in_a_forked_child(engine: tactful.Engine, sample_texts: list) -> None:
    texts = sample_texts * 2  # > 64 items: uses the thread pool
    parent = [a.to_json() for a in engine.assess_batch(texts)]  # the pool exists before fork
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: must not hang on the parent's (threadless) pool
        try:
            child = [a.to_json() for a in engine.assess_batch(texts)]
            os.write(w, b"ok" if child == parent else b"different")
        finally:
            os._exit(0)
    os.close(w)
    import select

    ready, _, _ = select.select([r], [], [], 60)
    if not ready:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        pytest.fail("assess_batch hung in a forked child")
    result = os.read(r, 16)
    os.waitpid(pid, 0)
    assert result == b"ok"
