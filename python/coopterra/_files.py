"""Writing files so that a reader sees the previous complete file or the new one, never half.

Every writer of coopterra (``Scenario.save``, ``write_report``, checkpoints, the CLI's tables)
goes through :func:`write_atomically`: the data goes to a temporary file with a unique name in
the target's folder (so two processes writing one path never share a temporary), is flushed to
disk, then renamed over the target (atomic on POSIX). Temporaries left by a process that was
killed mid-write are removed by the next write to the same path. :func:`exclusive_output` keeps
two processes from producing one output at the same time.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from coopterra.errors import CoopterraIOError


def _temporary_prefix(target: Path) -> str:
    return f".{target.name}.tmp-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def clean_stale_temporaries(path: str | os.PathLike[str]) -> list[Path]:
    """Remove the temporaries of earlier writes to ``path`` whose process has ended (killed
    mid-write); returns what was removed. Temporaries of a live writer are left alone."""
    target = Path(path)
    folder = target.parent
    prefix = _temporary_prefix(target)
    removed: list[Path] = []
    try:
        entries = list(folder.iterdir()) if folder.is_dir() else []
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(prefix):
            continue
        pid_text = entry.name[len(prefix) :].split("-", 1)[0]  # .NAME.tmp-PID-RANDOM
        if pid_text.isdigit() and not _alive(int(pid_text)):
            with contextlib.suppress(OSError):
                entry.unlink()
                removed.append(entry)
    return removed


def check_writable(path: str | os.PathLike[str], *, folder: bool = False) -> Path:
    """Make sure ``path`` (a file, or a folder when ``folder``) can be written, creating the
    folders on the way: raises CoopterraIOError naming the path before any work is done."""
    target = Path(path)
    what = "folder" if folder else "file"
    if str(path) == "":
        raise CoopterraIOError(f"the output {what} name is empty")

    def fail(problem: str) -> CoopterraIOError:
        return CoopterraIOError(f"{path}: {problem}", [(str(path), 0, 0, "", problem)])

    for parent in [target, *target.parents] if folder else target.parents:
        if parent.exists() and not parent.is_dir():
            raise fail(f"cannot write here: {parent} is a file, not a folder")
    if not folder and target.is_dir():
        raise fail("is a folder; give a file name")
    if not folder and target.exists() and not target.is_file():
        # Writing replaces the file by a rename: a device, a pipe or a socket would be replaced.
        raise fail("is not a regular file (a device, a pipe or a socket); give a file name")
    directory = target if folder else target.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise fail(f"cannot create the folder {directory}: {e.strerror}") from None
    try:  # the only reliable test (permissions, read-only mounts, root): create a file there
        fd, probe = tempfile.mkstemp(dir=directory, prefix=".coopterra-probe-")
        os.close(fd)
        os.unlink(probe)
    except OSError as e:
        raise fail(f"the folder {directory} cannot be written: {e.strerror}") from None
    return target


def write_atomically(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write ``data`` to a uniquely named temporary file beside ``path``, flush it to disk,
    rename it over ``path``. Raises CoopterraIOError when the path cannot be written."""
    target = Path(path)
    clean_stale_temporaries(target)
    folder = target.parent
    try:
        fd, temporary = tempfile.mkstemp(
            dir=folder, prefix=f"{_temporary_prefix(target)}{os.getpid()}-", suffix=""
        )
    except OSError as e:
        raise CoopterraIOError(f"{path}: cannot write: {e.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    except OSError as e:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise CoopterraIOError(f"{path}: cannot write: {e.strerror}") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def exclusive_output(path: str | os.PathLike[str]) -> Iterator[None]:
    """Hold an exclusive lock on the output ``path`` (a hidden ``.NAME.lock`` beside it) for the
    time of a run: a second process targeting the same output fails at once with a clear error
    instead of silently overwriting the first one's results."""
    target = Path(path)
    lock = target.parent / f".{target.name}.lock"
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as e:
        raise CoopterraIOError(f"{path}: cannot create the lock {lock}: {e.strerror}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CoopterraIOError(
                f"{path}: another coopterra process is writing this output now; wait for it or "
                "choose another --out"
            ) from None
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                os.unlink(lock)
    finally:
        os.close(fd)
