"""Writing files so that a reader sees the previous complete file or the new one, never half."""

from __future__ import annotations

import os


def write_atomically(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, flush it to disk, rename it."""
    target = os.fspath(path)
    temporary = os.path.join(os.path.dirname(target) or ".", f".{os.path.basename(target)}.tmp")
    with open(temporary, "wb") as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(temporary, target)
