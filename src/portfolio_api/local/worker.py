"""The app factory of `portfolio-api dev`'s reload worker: a worker that ends with its parent.

With reload on, uvicorn serves from a spawned worker process while the `dev` process keeps the
emulator, the snapshot and the data directory. Killed with SIGKILL, `dev` cannot stop its
worker, which would go on holding the API port and answering /health with the emulator gone.
So the worker watches its parent and shuts down (gracefully, by SIGTERM to itself) once it is
gone. This module imports nothing heavy: uvicorn imports it in every new worker.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

FACTORY = "portfolio_api.local.worker:create_app"
PARENT_ENV = "PORTFOLIO_DEV_PID"
"""Set by `dev` to its own pid before uvicorn starts a reload worker."""
POLL_SECONDS = 0.5
GRACE_SECONDS = 5.0

logger = logging.getLogger("portfolio_api.local")


def create_app() -> FastAPI:
    """The app, as `portfolio_api.main:create_app` builds it, in a worker tied to `dev`."""
    from portfolio_api.main import create_app as create

    parent = os.environ.get(PARENT_ENV, "")
    if parent.isdigit() and int(parent) != os.getpid():
        exit_with_parent(int(parent))
    return create()


def exit_with_parent(parent: int, *, poll: float = POLL_SECONDS) -> threading.Thread:
    """Stop this process once `parent` is no longer its parent (it died; the process was
    re-parented): SIGTERM first, for uvicorn's graceful shutdown, then exit regardless."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(poll)
        logger.warning("portfolio-api dev (pid %s) is gone; its reload worker stops too", parent)
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(GRACE_SECONDS)
        os._exit(1)

    thread = threading.Thread(target=watch, name="exit-with-parent", daemon=True)
    thread.start()
    return thread
