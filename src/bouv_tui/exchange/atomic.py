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

Exports go through :func:`write_export`, the one path of every file the user asks for
(``export staff`` and ``export submission``, from the command line and the app): it checks
the target first (:func:`check_target`) and turns every ``OSError`` into an
:class:`ExportError`, a Swedish message naming the path and the next step.

A file its owner made read-only is replaced only when asked to (``replace_readonly``: the
app asks the user, the command line refuses), and the new file keeps the old one's mode
where that is stricter than 0600 (a read-only file stays read-only): an export never
loosens the mode of a file it did not create.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import shlex
import stat
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from bouv_tui.errors import BouvError
from bouv_tui.paths import may_write as _may_write

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
        return True  # someone else's process: alive  # pragma: no mutate (as root, never raised)
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
        # The mode covers only the moment before _write_anonymous's fchmod (an equivalent).
        return os.open(folder, os.O_TMPFILE | os.O_RDWR | os.O_CLOEXEC, PRIVATE)  # pragma: no mutate
    except OSError as exc:
        # Not supported by this kernel or file system: use a named file instead. Anything
        # else (no such folder, no permission, read-only, full) is the caller's to show.
        if exc.errno in (errno.EOPNOTSUPP, errno.ENOTSUP, errno.EISDIR, errno.EINVAL):
            return None
        raise


def write_atomically(path: Path, write: Callable[[BinaryIO], object], *, mode: int = PRIVATE) -> Path:
    """Call ``write(f)`` with a binary file, and put what it wrote at ``path`` whole.

    Until ``write`` returns and the data is on disk, ``path`` is untouched; if anything
    raises, ``path`` is as it was and no temporary file remains. The result has ``mode``
    (0600 unless told; never more than 0600). Returns ``path``.
    """
    path = Path(path)
    mode &= PRIVATE
    folder = path.parent
    sweep_stale(folder)
    fd = _open_anonymous(folder)
    if fd is None:
        _write_named(path, write, mode)
    else:
        try:
            _write_anonymous(fd, path, write, mode)
        finally:
            os.close(fd)
    fsync_folder(folder)
    return path


def write_bytes_atomically(path: Path, data: bytes, *, mode: int = PRIVATE) -> Path:
    return write_atomically(path, lambda f: f.write(data), mode=mode)


#: What linking a /proc/self/fd entry answers where that is not allowed: copy instead.
_NO_LINK = (errno.EXDEV, errno.EPERM, errno.ENOENT, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EINVAL)


def _write_anonymous(fd: int, path: Path, write: Callable[[BinaryIO], object], mode: int = PRIVATE) -> None:
    os.fchmod(fd, mode)  # whatever the umask; the open descriptor writes even when mode is read-only
    with os.fdopen(fd, "wb", closefd=False) as f:
        write(f)
        f.flush()
        os.fsync(fd)
    # O_RDONLY is 0, so mutmut's "&" drops only O_DIRECTORY, a check that the parent is a folder
    # (it is: the file was opened in it): an equivalent.
    folder_fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)  # pragma: no mutate
    try:
        linked = temp_path(path).name
        # A dir_fd makes os.link use linkat(…, AT_SYMLINK_FOLLOW): plain link() would try
        # to link the /proc symlink itself and fail with EXDEV.
        try:
            os.link(f"/proc/self/fd/{fd}", linked, dst_dir_fd=folder_fd, follow_symlinks=True)
        except OSError as exc:
            if exc.errno not in _NO_LINK:
                raise
            _write_named(path, lambda target: _copy_fd(fd, target), mode)
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
    while chunk := os.pread(fd, 1 << 20, offset):  # pragma: no mutate (any chunk size copies the same)
        target.write(chunk)
        offset += len(chunk)


def _write_named(path: Path, write: Callable[[BinaryIO], object], mode: int = PRIVATE) -> None:
    temp = temp_path(path)
    # The mode here covers the moment before the chmod below, and close-on-exec a child process
    # started meanwhile: neither shows in a test (both mutants are equivalents as far as tests go).
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), PRIVATE)  # pragma: no mutate
    try:
        try:
            os.chmod(temp, mode)  # whatever the umask; the open descriptor writes even when read-only
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


# --- exports: one path for every file the user asks for ----------------------------------------


class ExportError(BouvError, OSError):
    """An export that could not be written, and nothing was: the message (Swedish) names the
    path and what to do next. Also an ``OSError``, which is what it replaces."""

    def __init__(self, message: str, path: Path):
        super().__init__(message)
        self.path = Path(path)


class ReadOnlyTarget(ExportError):
    """The target exists and its owner made it read-only: the app may ask and replace it
    (``replace_readonly=True``), the command line refuses."""


_NOTHING = "Ingenting har sparats"


def check_target(path: Path, *, replace_readonly: bool = False) -> int:
    """Check that an export can be written at ``path``; return the mode the new file gets.

    Raises :class:`ExportError` when ``path`` is a folder or something other than a file,
    when its folder is missing, not a folder or read-only, and :class:`ReadOnlyTarget` when
    the file is read-only and ``replace_readonly`` is false. Nothing is written.
    """
    path = Path(path)
    try:
        return _check_target(path, replace_readonly)
    except ExportError:
        raise
    except OSError as exc:  # a name too long, a loop of links: what the system said, in Swedish
        raise ExportError(export_error_message(path, exc), path) from exc


def _check_target(path: Path, replace_readonly: bool) -> int:
    folder = Path(os.path.abspath(path)).parent
    if path.is_dir():
        raise ExportError(f"{path} är en mapp. {_NOTHING}; ange ett filnamn i mappen, inte bara mappen.", path)
    if not folder.exists():
        raise ExportError(f"Mappen {folder} finns inte, så {path.name} kan inte sparas. {_NOTHING}; "
                          "skapa mappen eller välj en annan plats.", path)  # fmt: skip
    if not folder.is_dir():
        raise ExportError(f"{folder} är ingen mapp, så {path.name} kan inte sparas där. {_NOTHING}; "
                          "välj en annan plats.", path)  # fmt: skip
    if not _may_write(folder):
        raise ExportError(f"Mappen {folder} är skrivskyddad, så {path.name} kan inte sparas där. {_NOTHING}; "
                          "välj en annan mapp eller ändra mappens rättigheter.", path)  # fmt: skip
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return PRIVATE
    if not stat.S_ISREG(st.st_mode):
        raise ExportError(f"{path} är ingen vanlig fil och ersätts inte. {_NOTHING}; välj ett annat filnamn.", path)
    if not _may_write(path):
        if not replace_readonly:
            raise ReadOnlyTarget(f"{path} är skrivskyddad. {_NOTHING}; välj ett annat filnamn, eller ta bort "
                                 f"skrivskyddet (chmod u+w {shlex.quote(str(path))}) om filen ska ersättas.", path)  # fmt: skip
    return stat.S_IMODE(st.st_mode) & PRIVATE


def export_error_message(path: Path, exc: OSError) -> str:
    """An ``OSError`` met while writing ``path``, in Swedish with the next step."""
    reason, step = {
        errno.EACCES: ("du får inte skriva där", "välj en annan mapp eller ändra rättigheterna"),
        errno.EPERM: ("åtgärden är inte tillåten", "välj en annan mapp eller ändra rättigheterna"),
        errno.EROFS: ("filsystemet är skrivskyddat", "välj en mapp på en annan disk"),
        errno.ENOSPC: ("disken är full", "frigör utrymme eller välj en annan disk"),
        # The default key stands in only where errno has no EDQUOT (Windows): equivalent here.
        getattr(errno, "EDQUOT", -1): ("din diskkvot är slut", "frigör utrymme eller välj en annan disk"),  # pragma: no mutate
        errno.ENOENT: ("mappen finns inte", "skapa mappen eller välj en annan plats"),
        errno.ENOTDIR: ("en del av sökvägen är ingen mapp", "välj en annan plats"),
        errno.EISDIR: ("det är en mapp", "ange ett filnamn i mappen"),
        errno.ENAMETOOLONG: ("filnamnet är för långt", "välj ett kortare namn"),
        errno.EINVAL: ("filnamnet går inte att använda där", "välj ett namn utan specialtecken"),
    }.get(exc.errno, (exc.strerror or str(exc) or exc.__class__.__name__, "försök igen eller välj en annan plats"))  # fmt: skip
    return f"{path} kunde inte sparas: {reason}. {_NOTHING}; {step}."


def write_export(path: Path, write: Callable[[BinaryIO], object], *, replace_readonly: bool = False) -> Path:
    """Check ``path`` (:func:`check_target`), then write it whole (:func:`write_atomically`),
    the new file with the old one's mode where that is stricter. Every ``OSError`` becomes an
    :class:`ExportError`; the target is then as it was and no temporary file remains."""
    path = Path(path)
    mode = check_target(path, replace_readonly=replace_readonly)
    try:
        return write_atomically(path, write, mode=mode)
    except ExportError:
        raise
    except OSError as exc:
        raise ExportError(export_error_message(path, exc), path) from exc
