"""Test-only fault injection: make a named point of the pipeline fail, to test retries and resume.

Off unless WINNOW_TEST_FAULT is set (workers inherit it from the driver's environment):

    WINNOW_TEST_FAULT=POINT:KIND[:MATCH]   fail at POINT ("read", "stage-write", "task-done",
                                           "assemble") where the key contains MATCH (any key if empty)
      KIND transient   fail once per key, then succeed (needs WINNOW_TEST_FAULT_DIR, where the
                       first failure leaves a marker that later attempts see)
      KIND permanent   fail every time
      KIND enospc      raise "No space left on device", as a full disk does
      KIND kill        end the process at once (SIGKILL), as a power cut or the OOM killer does
"""

from __future__ import annotations

import errno
import hashlib
import os
import signal


class InjectedFault(RuntimeError):
    pass


def maybe_fail(point: str, key: str) -> None:
    spec = os.environ.get("WINNOW_TEST_FAULT")
    if not spec:
        return
    want_point, kind, *match = spec.split(":", 2)
    if want_point != point or (match and match[0] not in key):
        return
    if kind == "permanent":
        raise InjectedFault(f"injected permanent fault at {point} ({key})")
    if kind == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    if kind == "enospc":
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), key)
    if kind == "transient":
        marker = os.path.join(os.environ["WINNOW_TEST_FAULT_DIR"], hashlib.sha1(f"{point}|{key}".encode()).hexdigest())
        try:
            os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return
        raise InjectedFault(f"injected transient fault at {point} ({key})")
