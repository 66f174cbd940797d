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
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a plain file write would follow the umask
        os.replace(tmp, path)
    except BaseException:
        # Also on SIGTERM (raised as KeyboardInterrupt): a cancelled run leaves no temp file behind.
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _umask():
    current = os.umask(0)
    os.umask(current)
    return current
