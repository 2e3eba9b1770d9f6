"""Writing a file whole or not at all, private to the user, leaving nothing behind.

Every file the app writes outside the database (exports, the settings file, the demo
database) goes through here. An export holds the roster, names included, so a write
that is interrupted must not leave a copy of it lying about:

- On Linux the data is written into an anonymous file (``O_TMPFILE``) in the target's
  folder. It has no name, so a process killed while writing leaves nothing: the kernel
  frees the file. Once written and flushed to disk it is linked in under a temporary
  name (``linkat`` of ``/proc/self/fd/N``) and at once renamed over the target; the name
  exists only for that instant. Where the link is refused, the data is copied to a
  named temporary file as below.
- Where ``O_TMPFILE`` or ``/proc`` is missing, the data goes to a named temporary file
  whose name carries the writer's process id and :data:`MARKER`. A process killed then
  does leave it, so every write sweeps the folder first: a marked file whose process is
  gone, or that is older than :data:`STALE_AFTER` seconds, is removed.

The result is mode 0600 (it may hold personal data). Errors (a missing or read-only
folder, a full disk) are raised as ``OSError`` for the caller to show, and leave
neither a temporary file nor a changed target.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

#: What every temporary name ends with, so a sweep only ever removes our own files.
MARKER = "bouv-tmp"
#: A marked temporary file this old (seconds) is stale even if its process id is in use.
STALE_AFTER = 3600
#: Mode of the temporary files and of the result.
PRIVATE = 0o600

# ".<target name>.<pid>.<random>.bouv-tmp"
# (and SQLite's side files, for a database built under such a name: see ``bouv_tui.demo``)
_TEMP_NAME = re.compile(r"^\..+\.(\d+)\.[0-9a-f]+\." + re.escape(MARKER) + r"(?:-wal|-shm|-journal)?$")
# What earlier versions left: tempfile.mkstemp(prefix=".<name>.", suffix=".tmp") and the
# demo's ".<name>.<pid>.demo-tmp" (SQLite's side files after it).
_LEGACY_MKSTEMP = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")
_LEGACY_DEMO = re.compile(r"^\..+\.(\d+)\.demo-tmp(?:-wal|-shm|-journal)?$")

#: Set to False to force the named fallback (tests, or a platform found wanting at run time).
USE_O_TMPFILE = hasattr(os, "O_TMPFILE") and os.path.isdir("/proc/self/fd")


def temp_path(target: Path) -> Path:
    """A fresh marked temporary name beside ``target``, with this process's id."""
    target = Path(target)
    return target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.{MARKER}")


def is_temp_name(name: str) -> bool:
    """Whether ``name`` is one of this module's temporary names."""
    return _TEMP_NAME.match(name) is not None


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    except OSError:
        return False
    return True


def sweep_stale(folder: Path, *, now: float | None = None, max_age: float = STALE_AFTER) -> list[Path]:
    """Remove stale temporary files from ``folder``; return those removed.

    Stale: a marked file whose process no longer runs, or that is older than
    ``max_age`` seconds (a process id can be reused). This process's own files are
    left unless old: another thread may be writing one. Files left by earlier versions
    are removed on the same terms (an mkstemp name, which has no process id, by age
    only). Errors are ignored: sweeping never stops a write.
    """
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    me = os.getpid()
    for entry in entries:
        name = entry.name
        if not name.startswith("."):
            continue
        match = _TEMP_NAME.match(name) or _LEGACY_DEMO.match(name)
        legacy_mkstemp = match is None and _LEGACY_MKSTEMP.match(name) is not None
        if match is None and not legacy_mkstemp:
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            old = now - entry.stat(follow_symlinks=False).st_mtime > max_age
            if match is not None:
                pid = int(match[1])
                stale = old or (pid != me and not _pid_alive(pid))
            else:
                stale = old
            if stale:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except (OSError, ValueError):
            continue
    return removed


def fsync_folder(folder: Path) -> None:
    """Flush a folder's entries (a new name) to disk, where the platform allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _open_anonymous(folder: Path) -> int | None:
    """An unnamed file in ``folder`` (O_TMPFILE), or None where the system has none."""
    if not USE_O_TMPFILE:
        return None
    try:
        return os.open(folder, os.O_TMPFILE | os.O_RDWR | os.O_CLOEXEC, PRIVATE)
    except OSError as exc:
        # Not supported by this kernel or file system: use a named file instead. Anything
        # else (no such folder, no permission, read-only, full) is the caller's to show.
        if exc.errno in (errno.EOPNOTSUPP, errno.ENOTSUP, errno.EISDIR, errno.EINVAL):
            return None
        raise


def write_atomically(path: Path, write: Callable[[BinaryIO], object]) -> Path:
    """Call ``write(f)`` with a binary file, and put what it wrote at ``path`` whole.

    Until ``write`` returns and the data is on disk, ``path`` is untouched; if anything
    raises, ``path`` is as it was and no temporary file remains. Returns ``path``.
    """
    path = Path(path)
    folder = path.parent
    sweep_stale(folder)
    fd = _open_anonymous(folder)
    if fd is None:
        _write_named(path, write)
    else:
        try:
            _write_anonymous(fd, path, write)
        finally:
            os.close(fd)
    fsync_folder(folder)
    return path


def write_bytes_atomically(path: Path, data: bytes) -> Path:
    return write_atomically(path, lambda f: f.write(data))


#: What linking a /proc/self/fd entry answers where that is not allowed: copy instead.
_NO_LINK = (errno.EXDEV, errno.EPERM, errno.ENOENT, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EINVAL)


def _write_anonymous(fd: int, path: Path, write: Callable[[BinaryIO], object]) -> None:
    os.fchmod(fd, PRIVATE)  # whatever the umask
    with os.fdopen(fd, "wb", closefd=False) as f:
        write(f)
        f.flush()
        os.fsync(fd)
    folder_fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        linked = temp_path(path).name
        # A dir_fd makes os.link use linkat(…, AT_SYMLINK_FOLLOW): plain link() would try
        # to link the /proc symlink itself and fail with EXDEV.
        try:
            os.link(f"/proc/self/fd/{fd}", linked, dst_dir_fd=folder_fd, follow_symlinks=True)
        except OSError as exc:
            if exc.errno not in _NO_LINK:
                raise
            _write_named(path, lambda target: _copy_fd(fd, target))
            return
        try:
            os.replace(path.parent / linked, path)
        except BaseException:
            try:
                os.unlink(path.parent / linked)
            except OSError:
                pass
            raise
    finally:
        os.close(folder_fd)


def _copy_fd(fd: int, target: BinaryIO) -> None:
    offset = 0
    while chunk := os.pread(fd, 1 << 20, offset):
        target.write(chunk)
        offset += len(chunk)


def _write_named(path: Path, write: Callable[[BinaryIO], object]) -> None:
    temp = temp_path(path)
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), PRIVATE)
    try:
        try:
            os.chmod(temp, PRIVATE)  # whatever the umask
            with os.fdopen(fd, "wb", closefd=False) as f:
                write(f)
                f.flush()
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
