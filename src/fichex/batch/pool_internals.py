"""Every use of multiprocessing's private API: stopping the helper processes a parallel build started.

A `forkserver` pool leaves two helpers behind its workers: the fork server (the workers' parent) and the
resource tracker. The standard library stops them only when this process exits, after which they are
reparented and left for whatever adopted them to reap. Stopping them once the pool is joined means no process
of a build outlives it. Each use is guarded: without the private method (another Python), nothing is done and
the helpers end on their own at exit, as before.
"""

from __future__ import annotations

import contextlib
import gc


def stop_pool_helpers() -> None:
    """Stop the fork server, then the resource tracker, and wait for both (call once every pool is joined)."""
    try:
        from multiprocessing import forkserver, resource_tracker
    except ImportError:  # a platform without them (Windows): a spawn pool, whose workers are joined
        return
    # The pool's queues hold semaphores the tracker knows: free them first, or their later release would
    # start a new tracker.
    gc.collect()
    for helper in (getattr(forkserver, "_forkserver", None), getattr(resource_tracker, "_resource_tracker", None)):
        stop = getattr(helper, "_stop", None)
        if callable(stop):
            with contextlib.suppress(OSError, ChildProcessError):
                stop()
