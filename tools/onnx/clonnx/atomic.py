"""Atomic file writes: a temp file in the destination's directory, then os.replace."""
import os
import tempfile


def write_bytes(path, data):
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        # Also on SIGTERM (raised as KeyboardInterrupt): a cancelled run leaves no temp file behind.
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
