"""Opening a bouv-tui database: checks, backups, restore, migrations, pragmas.

Everything here runs on the standard library's ``sqlite3`` so that the app can show
its first screen without importing SQLAlchemy; Alembic is imported only when a file
has to be created or upgraded.
"""

from __future__ import annotations

import errno
import json
import os
import re
import secrets
import shlex
import shutil
import sqlite3
import stat
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote

from bouv_tui.errors import BouvError
from bouv_tui.paths import may_write as _may_write

#: ``PRAGMA application_id`` of every bouv-tui file ("BoUV").
APPLICATION_ID = 0x426F5556
#: The newest migration this version knows. A test checks it against Alembic's head.
HEAD_REVISION = "0006"
#: Every revision this version can read (oldest first).
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006")
BUSY_TIMEOUT_MS = 5000
#: Retention (``retention``): the ten newest backups, the newest of each of the last seven
#: days and the newest of each of the last twelve months.
KEEP_BACKUPS = 10
KEEP_DAILY_DAYS = 7
KEEP_MONTHLY_MONTHS = 12
#: A temporary file in the backup folder is left over from a process that was killed when
#: its process is gone, or in any case when it is older than this (a pid can be reused).
STALE_TEMP_SECONDS = 3600
SQLITE_HEADER = b"SQLite format 3\x00"
#: The tables each revision adds; a file at a revision must have those of it and of every
#: revision before it (a test checks this against the migration scripts).
REVISION_TABLES = {
    "0001": ("settings", "staff"),
    "0002": ("inventory_round", "assessment"),
    "0003": ("need_score", "need_other", "form_answer"),
    "0005": ("training", "training_area", "occasion", "participant"),
    "0006": ("funding_source", "funding_cap", "expense", "scenario"),
}
PRIVATE_FILE = stat.S_IRUSR | stat.S_IWUSR  # 0600
PRIVATE_FOLDER = stat.S_IRWXU  # 0700


def restore_command(path: Path, backup: Path) -> str:
    """The command that puts ``backup`` in the place of the database at ``path``."""
    return f"bouv-tui --db {shlex.quote(str(path))} restore {shlex.quote(backup.name)}"


class StoreError(BouvError):
    """A database problem the user must be told about, with a message in Swedish.

    With ``restore_hint`` the message ends with the way back: the command that restores
    the newest backup (``database`` is the file it would replace), or that there is none.
    """

    def __init__(
        self,
        message: str,
        *,
        backup: Path | None = None,
        restore_hint: bool = False,
        database: Path | None = None,
    ):
        self.backup = backup
        if backup is not None:
            if restore_hint:
                if database is not None:
                    message += f" Återställ den senaste säkerhetskopian med: {restore_command(database, backup)}"
                    message += " (alla kopior: bouv-tui --db " + shlex.quote(str(database)) + " backups)."
                else:
                    message += " Återställ genom att lägga tillbaka en säkerhetskopia (bouv-tui restore)."
            message += f"\nSenaste säkerhetskopia: {backup}"
        elif restore_hint:
            message += " Det finns ingen säkerhetskopia av den här filen."
        super().__init__(message)


class NotBouvDatabase(StoreError):
    pass


class CorruptDatabase(StoreError):
    pass


class InconsistentSchema(CorruptDatabase):
    """The tables do not agree with the schema version the file says it has."""


class NewerDatabase(StoreError):
    pass


class StoreBusy(StoreError):
    pass


class UnsupportedLocation(StoreError):
    pass


class ReadOnlyDatabase(StoreError):
    """The file or its folder is read-only: it was opened for reading, nothing is written."""


def read_only_message(path: Path) -> str:
    """Swedish: which of the file and its folder is read-only, and that nothing changed."""
    path = Path(path)
    if path.exists() and not _may_write(path):
        what = f"{path} är skrivskyddad (filen kan bara läsas)"
    else:
        what = f"mappen {_existing_folder(path)} är skrivskyddad, så {path.name} kan inte skrivas"
    return f"{what}. Ingenting har ändrats; ändra filrättigheterna eller välj en annan fil med --db."


# --- permissions -------------------------------------------------------------------


def _existing_folder(path: Path) -> Path:
    folder = Path(os.path.abspath(path)).parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def is_writable(path: Path) -> bool:
    """Whether the database at ``path`` can be written: the file (when it exists) and the
    folder it is in (SQLite writes its ``-wal``/``-shm``/``-journal`` there), or for a new
    file the nearest folder that exists."""
    path = Path(path)
    if path.exists():
        return _may_write(path) and _may_write(Path(os.path.abspath(path)).parent)
    return _may_write(_existing_folder(path))


def require_writable(path: Path) -> None:
    """Raise ReadOnlyDatabase unless the database at ``path`` can be written."""
    if not is_writable(path):
        raise ReadOnlyDatabase(read_only_message(path))


def _private(path: Path) -> None:
    """Group and others lose every right to the file and its -wal/-shm; the owner's
    rights are left as they are (a file its owner made read-only stays read-only)."""
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            mode = stat.S_IMODE(os.stat(p).st_mode)
        except FileNotFoundError:
            continue
        if mode & 0o077:
            os.chmod(p, mode & ~0o077)


def _private_folder(folder: Path) -> None:
    folder.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    mode = stat.S_IMODE(folder.stat().st_mode)
    if mode & 0o077:
        os.chmod(folder, mode & ~0o077)


def _new_private_file(folder: Path, prefix: str, suffix: str) -> Path:
    """A new, empty file only the owner can read, with a name no other process uses:
    ``<prefix>.<pid>.<random>.<suffix>`` (the pid tells a later start whether it is stale)."""
    while True:
        candidate = folder / f"{prefix}.{os.getpid()}.{secrets.token_hex(4)}{suffix}"
        try:
            fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
        except FileExistsError:
            continue
        os.close(fd)
        return candidate


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems cannot sync a folder
        pass
    finally:
        os.close(fd)


SIDECARS = ("-wal", "-shm", "-journal")


def _remove_with_sidecars(path: Path) -> None:
    for p in (path, *(Path(f"{path}{s}") for s in SIDECARS)):
        p.unlink(missing_ok=True)


# --- connections ---------------------------------------------------------------------


def _uri(path: Path) -> str:
    return Path(os.path.abspath(path)).as_uri()


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """A standard-library connection with the app's pragmas.

    The path is always a path, never a URI (``%``, ``?``, ``#`` mean themselves). Read-only
    connections open with ``mode=ro``; in a folder that cannot be written and where no
    ``-shm`` exists, SQLite could not make the shared-memory file a WAL reader needs, so
    the file is opened ``immutable`` (nobody can be writing it there either).
    """
    if readonly:
        uri = f"{_uri(path)}?mode=ro"
        if not os.path.exists(f"{path}-shm") and not _may_write(Path(os.path.abspath(path)).parent):
            uri += "&immutable=1"
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    else:
        conn = sqlite3.connect(os.path.abspath(path), timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _connect_frozen(path: Path) -> sqlite3.Connection:
    """A backup, read as it is: read-only and ``immutable``, so that nothing (no -wal or
    -shm) is ever made beside it, even for a copy that still says WAL in its header."""
    return sqlite3.connect(f"{_uri(path)}?mode=ro&immutable=1", uri=True)


# --- backups: names, listing, retention -----------------------------------------------


def backup_dir(path: Path) -> Path:
    """Backups of ``kommun.sqlite`` live in ``kommun-backups/`` beside it."""
    return path.parent / f"{path.stem}-backups"


_BACKUP_NAME = re.compile(r"(\d{8})-(\d{6})(?:-(\d+))?")
#: The copy ``restore`` keeps of the file it replaced; rotation never removes it.
KEPT_INFIX = "fore-aterstallning"
_KEPT_NAME = re.compile(KEPT_INFIX + r"-(\d{8})-(\d{6})(?:-(\d+))?")
_TEMP_PID = re.compile(r"\.(\d+)\.[0-9a-f]{8}\.(?:part|restore)(?:-wal|-shm|-journal)?$")


def _backups(path: Path, pattern: re.Pattern) -> list[tuple[tuple[str, str, int], Path]]:
    folder = backup_dir(path)
    if not folder.is_dir():
        return []
    found = []
    for p in folder.glob(f"{glob_escape(path.stem)}-*.sqlite"):
        match = pattern.fullmatch(p.stem[len(path.stem) + 1 :])
        if match:
            found.append(((match[1], match[2], int(match[3] or 1)), p))
    return sorted(found, reverse=True)


def glob_escape(text: str) -> str:
    """``text`` for Path.glob, with ``*``, ``?`` and ``[`` meaning themselves."""
    return re.sub(r"([*?\[])", r"[\1]", text)


def list_backups(path: Path) -> list[Path]:
    """The dated backups of the file at ``path`` (those rotation keeps or removes), newest first.

    Sorted by time stamp and then by the counter a second backup within the same
    second gets (``-2``, ``-3``, …), which a plain name sort would put first.
    """
    return [p for _, p in _backups(path, _BACKUP_NAME)]


def kept_copies(path: Path) -> list[Path]:
    """The copies ``restore`` made of the file it replaced, newest first (never rotated away)."""
    return [p for _, p in _backups(path, _KEPT_NAME)]


def all_backups(path: Path) -> list[Path]:
    """Every copy in the backup folder, dated backups and kept copies, newest first."""
    found = _backups(path, _BACKUP_NAME) + _backups(path, _KEPT_NAME)
    return [p for _, p in sorted(found, key=lambda item: item[0], reverse=True)]


def latest_backup(path: Path) -> Path | None:
    found = list_backups(path)
    return found[0] if found else None


def backup_time(backup: Path) -> datetime:
    """When a backup was taken: the time stamp in its name, else the file's mtime."""
    found = re.search(r"(\d{8})-(\d{6})(?:-\d+)?$", backup.stem)
    if found:
        try:
            return datetime.strptime(found[1] + found[2], "%Y%m%d%H%M%S")
        except ValueError:
            pass
    return datetime.fromtimestamp(backup.stat().st_mtime)


def retention(stamps: Sequence[datetime], now: datetime) -> set[int]:
    """Which backups to keep, as indexes into ``stamps`` (newest first): the
    ``KEEP_BACKUPS`` newest, the newest of each of the last ``KEEP_DAILY_DAYS`` calendar
    days (today and the six before) and the newest of each of the last
    ``KEEP_MONTHLY_MONTHS`` calendar months (this month and the eleven before)."""
    keep = set(range(min(KEEP_BACKUPS, len(stamps))))
    days: set = set()
    months: set = set()
    for i, stamp in enumerate(stamps):
        if (now.date() - stamp.date()).days < KEEP_DAILY_DAYS and stamp.date() not in days:
            days.add(stamp.date())
            keep.add(i)
        month = (stamp.year, stamp.month)
        if (now.year - stamp.year) * 12 + now.month - stamp.month < KEEP_MONTHLY_MONTHS and month not in months:
            months.add(month)
            keep.add(i)
    return keep


def _rotate(path: Path, now: datetime) -> None:
    found = list_backups(path)
    keep = retention([backup_time(p) for p in found], now)
    for i, old in enumerate(found):
        if i not in keep:
            old.unlink(missing_ok=True)


# --- temporary files ---------------------------------------------------------------------


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process, or it cannot be told: treat as alive
    return True


def is_stale_temp(name: str, age_seconds: float, alive: Callable[[int], bool] = _pid_alive) -> bool:
    """Whether a temporary file is left over from a process that did not finish (``kill -9``):
    its process (the pid in its name) is gone, or it is older than ``STALE_TEMP_SECONDS``.
    A name without a pid (an older version's ``.part``) is judged by its age alone."""
    if age_seconds > STALE_TEMP_SECONDS:
        return True
    found = _TEMP_PID.search(name)
    return found is not None and not alive(int(found[1]))


def remove_stale_temps(path: Path, *, now: float | None = None) -> list[Path]:
    """Remove what killed processes left behind: temporary backups (``*.part``) in the
    backup folder and temporary restores (``.<name>.<pid>.<random>.restore``) beside the
    database. Returns what was removed."""
    now = time.time() if now is None else now
    candidates: list[Path] = []
    folder = backup_dir(path)
    if folder.is_dir():
        candidates += [p for p in folder.iterdir() if re.search(r"\.part(?:-wal|-shm|-journal)?$", p.name)]
    prefix = f".{path.name}."
    if path.parent.is_dir():
        candidates += [
            p for p in path.parent.iterdir()
            if p.name.startswith(prefix) and re.search(r"\.restore(?:-wal|-shm|-journal)?$", p.name)
        ]  # fmt: skip
    removed = []
    for p in candidates:
        try:
            age = now - p.stat().st_mtime
        except FileNotFoundError:
            continue
        if is_stale_temp(p.name, age):
            p.unlink(missing_ok=True)
            removed.append(p)
    return removed


# --- what was checked and backed up ----------------------------------------------------------


def _stat_key(p: Path) -> list[int] | None:
    try:
        st = os.stat(p)
    except FileNotFoundError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def fingerprint(path: Path) -> list:
    """What tells whether the file changed: size, mtime, ctime and inode of the database
    and of its -wal (an empty or missing -wal holds nothing). ctime cannot be set back by
    tools that restore an mtime, and a file put in place by a copy has another inode."""
    wal = _stat_key(Path(f"{path}-wal"))
    return [_stat_key(path), wal if wal and wal[0] else None]


def state_file(path: Path) -> Path:
    """The small private file in the backup folder that remembers the file as it was at its
    last clean check (``checked``) and at its last backup (``backed_up``)."""
    return backup_dir(path) / f".{path.stem}.state.json"


def _read_state(path: Path) -> dict:
    try:
        data = json.loads(state_file(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_state(path: Path, **values) -> None:
    folder = backup_dir(path)
    if not folder.is_dir():
        return
    data = _read_state(path)
    data.update(values)
    temp = _new_private_file(folder, f".{path.stem}-state", ".part")
    try:
        temp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(temp, state_file(path))
    finally:
        temp.unlink(missing_ok=True)


# --- checking a file -------------------------------------------------------------------


def expected_tables(revision: str) -> set[str]:
    """The tables a file at ``revision`` must have."""
    tables: set[str] = set()
    for known in KNOWN_REVISIONS:
        tables.update(REVISION_TABLES.get(known, ()))
        if known == revision:
            break
    return tables


@dataclass
class Inspection:
    exists: bool
    revision: str | None = None
    tables: list[str] = field(default_factory=list)
    #: The fingerprint of the file when it was found clean (quick_check now or at an
    #: earlier open of the same, unchanged file); None when not a file of ours yet.
    clean: list | None = None


def _schema_problem(path: Path, tables: list[str], revision: str | None, has_version_table: bool) -> str | None:
    """Why the tables do not agree with the schema version, in Swedish; None when they do."""
    ours = [t for t in tables if t != "alembic_version" and not t.startswith("sqlite_")]
    if revision is None:
        if ours:
            where = "men ingen schemaversion" if not has_version_table else "men en tom schemaversion"
            return f"{path} har bouv-tui-tabeller ({', '.join(sorted(ours))}) {where} (alembic_version)"
        return None
    missing = sorted(expected_tables(revision) - set(tables))
    if missing:
        noun = "tabellen" if len(missing) == 1 else "tabellerna"
        return f"{path} säger att den har schemaversion {revision} men saknar {noun} {', '.join(missing)}"
    return None


def inspect(path: Path) -> Inspection:
    """What is at ``path``, without writing anything. Raises StoreError for what can't be opened.

    The whole file is read (``PRAGMA quick_check``) unless it is unchanged since its last
    clean check (``fingerprint``, kept in ``state_file``). Measured on a national-scale file
    (``bouv-tui demo /tmp/nat.sqlite --staff 5113``, 19 MB, warm page cache): quick_check
    about 40 ms (integrity_check about 170 ms); an open of a changed file with its backup
    (check, copy, check of the copy) about 0.17 s; an open of an unchanged file about 2 ms.
    """
    if not path.exists():
        return Inspection(exists=False)
    if path.is_dir():
        raise NotBouvDatabase(f"{path} är en mapp, inte en databasfil.")
    backup = latest_backup(path)
    hint = {"backup": backup, "restore_hint": True, "database": path}
    if path.stat().st_size == 0:
        if backup is not None:
            raise CorruptDatabase(
                f"{path} är tom (0 byte), men det finns säkerhetskopior av den, så den görs inte om "
                "till en ny, tom databas. Ingenting har ändrats.",
                **hint,
            )
        return Inspection(exists=False)
    with open(path, "rb") as fh:
        header = fh.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise NotBouvDatabase(
            f"{path} är ingen bouv-tui-databas (det är inte en SQLite-fil). Ingenting har ändrats.",
            backup=backup,
            restore_hint=backup is not None,
            database=path,
        )
    try:
        conn = connect(path, readonly=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            if app_id != APPLICATION_ID:
                if tables:
                    raise NotBouvDatabase(
                        f"{path} är en SQLite-databas men inte från bouv-tui. Ingenting har ändrats.",
                        backup=backup,
                        restore_hint=backup is not None,
                        database=path,
                    )
                if backup is not None:
                    raise CorruptDatabase(
                        f"{path} är en tom SQLite-fil, men det finns säkerhetskopior av den, så den görs "
                        "inte om till en ny, tom databas. Ingenting har ändrats.",
                        **hint,
                    )
                return Inspection(exists=False)
            before = fingerprint(path)
            if before != _read_state(path).get("checked"):
                check = conn.execute("PRAGMA quick_check").fetchone()[0]
                if check != "ok":
                    first_problem = str(check).splitlines()[0]
                    raise CorruptDatabase(f"{path} är skadad ({first_problem}). Ingenting har ändrats.", **hint)
            revision = None
            has_version_table = "alembic_version" in tables
            if has_version_table:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        if (getattr(exc, "sqlite_errorcode", 0) & 0xFF) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            raise StoreBusy(
                f"{path} är låst av ett annat program eller fönster. Försök igen om en stund."
            ) from exc
        raise CorruptDatabase(f"{path} kan inte läsas ({exc}). Ingenting har ändrats.", **hint) from exc
    except sqlite3.DatabaseError as exc:
        raise CorruptDatabase(
            f"{path} är skadad och kan inte läsas ({exc}). Ingenting har ändrats.", **hint
        ) from exc
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise NewerDatabase(
            f"{path} har skapats av en nyare version av bouv-tui (schema {revision}). "
            "Uppdatera programmet för att öppna den. Ingenting har ändrats.",
            backup=backup,
        )
    problem = _schema_problem(path, tables, revision, has_version_table)
    if problem is not None:
        raise InconsistentSchema(
            f"{problem}: filen är inte hel och uppgraderas inte. Ingenting har ändrats.", **hint
        )
    return Inspection(exists=True, revision=revision, tables=tables, clean=before)


# --- making a backup ---------------------------------------------------------------------------


def _publish(temp: Path, folder: Path, stem: str, stamp: str) -> Path:
    """Give the finished copy its dated name without ever replacing another process's
    backup: a hard link fails when the name is taken, and then ``-2``, ``-3``, … are tried."""
    n = 1
    while True:
        target = folder / (f"{stem}-{stamp}.sqlite" if n == 1 else f"{stem}-{stamp}-{n}.sqlite")
        try:
            os.link(temp, target)
            return target
        except FileExistsError:
            n += 1
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.ENOSYS):
                raise
            # No hard links on this file system: take the name first (O_EXCL), then move in.
            try:
                fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
            except FileExistsError:
                n += 1
                continue
            os.close(fd)
            os.replace(temp, target)
            return target


def _copy_database(source: sqlite3.Connection, temp: Path) -> str:
    """Copy through SQLite's backup API into ``temp`` (already made, private) and return the
    copy's own quick_check. The copy is switched to ``journal_mode=DELETE`` (the backup API
    copies the source's WAL flag), so that it is one file and opening it makes no -wal."""
    dst = sqlite3.connect(os.path.abspath(temp))
    try:
        source.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE")
    finally:
        dst.close()
    # Checked on a new connection: on the one that wrote it, quick_check takes ten times as
    # long (about 0.4 s instead of 0.04 s at national scale).
    check = _connect_frozen(temp)
    try:
        return check.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        check.close()


def make_backup(path: Path, *, now: datetime | None = None) -> Path | None:
    """Copy the database to a dated backup (consistent even in WAL mode), then rotate (``retention``).

    No copy is made when the file has not changed since the last backup. The copy is
    made under a temporary name of this process only (0600 from the start), checked, and
    published under its dated name; rotation runs only after that, so it never removes the
    last good copy. Call it on a file that passed :func:`inspect`.
    """
    now = now or datetime.now()
    folder = backup_dir(path)
    newest = latest_backup(path)
    current = fingerprint(path)
    if newest is not None and _read_state(path).get("backed_up") == current:
        return newest
    _private_folder(folder)
    temp = _new_private_file(folder, f".{path.stem}", ".part")
    try:
        src = connect(path, readonly=True)
        try:
            check = _copy_database(src, temp)
        finally:
            src.close()
        if check != "ok":
            raise CorruptDatabase(
                f"Säkerhetskopian av {path} blev inte hel ({str(check).splitlines()[0]}), så ingen kopia "
                "sparades och inga äldre togs bort. Ingenting har ändrats.",
                backup=newest,
            )
        for sidecar in SIDECARS:
            Path(f"{temp}{sidecar}").unlink(missing_ok=True)
        _fsync(temp)
        target = _publish(temp, folder, path.stem, now.strftime("%Y%m%d-%H%M%S"))
        _fsync(folder)
    finally:
        _remove_with_sidecars(temp)
    _rotate(path, now)
    if fingerprint(path) == current:  # nobody wrote while it was copied
        _write_state(path, backed_up=current)
    return target


_loading: threading.Thread | None = None


def load_write_path_in_background() -> None:
    """Start importing the write path (SQLAlchemy and the SQLModel tables, about 0.4 s) in
    a background thread, for a command that will write: checking, backing up and reading
    the file are largely SQLite's and the disk's work, and the import runs meanwhile.

    Whatever imports SQLAlchemy itself (:func:`migrate`, :func:`sqlalchemy_engine`) waits
    for this thread first: two threads importing the same package's modules at once can
    see each other's half-initialised modules (an ImportError)."""
    global _loading
    import importlib

    if _loading is None:
        _loading = threading.Thread(target=importlib.import_module, args=("bouv_tui.store.repo",),
                                    name="bouv-tui: load", daemon=True)  # fmt: skip
        _loading.start()


def _loaded() -> None:
    if _loading is not None and _loading is not threading.current_thread():
        _loading.join()


def migrate(path: Path) -> None:
    """Create or upgrade the schema to HEAD_REVISION with Alembic."""
    _loaded()
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    conn = connect(path)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.commit()
    finally:
        conn.close()
    engine = sqlalchemy_engine(path)
    try:
        with engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")
    finally:
        engine.dispose()


def sqlalchemy_engine(path: Path):
    """A SQLAlchemy engine on the file at ``path`` with the same pragmas as :func:`connect`.

    The connection is made here with the standard library (``creator``), so that the path is a path and
    never parsed as a URL: ``%20``, ``?`` and ``#`` in a file name mean themselves. Every
    transaction starts with ``BEGIN IMMEDIATE``: a write holds SQLite's write lock from its
    first statement, so what it reads to decide (an import's plan, a row's version) cannot
    change under it before it commits (SQLAlchemy's documented recipe for pysqlite).

    The engine keeps one connection (``StaticPool``), used by one thread at a time (the
    Workspace's writer): ``PRAGMA data_version`` on it then changes only when another
    connection — another window or program — has committed, never for its own writes.
    """
    _loaded()
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import StaticPool

    def make():
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.isolation_level = None  # SQLAlchemy's begin event below says when a transaction starts
        return conn

    engine = create_engine("sqlite://", creator=make, poolclass=StaticPool)

    @event.listens_for(engine, "begin")
    def _begin(connection):  # pragma: no cover - exercised through every write
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def resolve(location: str | os.PathLike | None, default: Path) -> Path:
    """The file a ``--db`` value or ``BOUV_DB`` names: a path or a ``sqlite:///`` URL.

    A path is taken literally (spaces, ``%``, ``?``, ``#`` are part of the name). A
    ``sqlite:///`` URL is read as a URL: percent-escapes are decoded, ``sqlite:///rel`` is
    relative and ``sqlite:////abs`` absolute; a query or fragment is refused.
    """
    if location is None or str(location) == "":
        return default
    text = os.fspath(location)
    if isinstance(location, os.PathLike):
        return Path(text).expanduser()
    scheme, sep, rest = text.partition("://")
    if sep and re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", scheme):
        if scheme.lower() != "sqlite":
            raise UnsupportedLocation(
                f"Databasadressen {scheme}://… stöds inte ännu: den här versionen arbetar med en "
                "SQLite-fil (ange en sökväg eller sqlite:///sökväg). Serverdatabaser (PostgreSQL) kommer senare."
            )
        if not rest.startswith("/") or rest == "/":
            raise UnsupportedLocation(
                f"{text} är ingen fil: skriv sqlite:///sökväg (tre snedstreck, sqlite:////… för en absolut "
                "sökväg) eller bara sökvägen."
            )
        if "?" in rest or "#" in rest:
            raise UnsupportedLocation(
                f"{text}: bouv-tui tar inga parametrar i databasadressen (?… eller #…). Ange bara "
                "sqlite:///sökväg, eller filens sökväg utan sqlite:/// om namnet innehåller ? eller #."
            )
        return Path(unquote(rest[1:])).expanduser()
    return Path(text).expanduser()


def open_database(path: Path, *, backup: bool = True) -> Path:
    """Check, back up, create or upgrade the database at ``path``; return its path.

    Nothing is written when the file is not a bouv-tui database, is damaged, is not
    consistent or is from a newer version. A backup is taken before any migration of an
    existing file (and, with ``backup=True``, whenever the file changed since the last
    backup). A file that cannot be written (it or its folder is read-only, see
    :func:`is_writable`) is only checked: no backup, no migration, no change of mode;
    ``ReadOnlyDatabase`` when it would have to be created or upgraded.
    """
    found = inspect(path)
    if not is_writable(path):
        if not found.exists:
            raise ReadOnlyDatabase(read_only_message(path))
        if found.revision != HEAD_REVISION:
            raise ReadOnlyDatabase(
                f"{path} har en äldre schemaversion ({found.revision or 'ingen'}) som måste uppgraderas, "
                f"men {read_only_message(path)}"
            )
        return path
    remove_stale_temps(path)
    if not found.exists:
        path.parent.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
        # Create the empty file private from the start.
        fd = os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
        os.close(fd)
        migrate(path)
        _private(path)
        return path
    needs_migration = found.revision != HEAD_REVISION
    if backup or needs_migration:
        try:
            make_backup(path)
        except sqlite3.OperationalError as exc:
            raise StoreBusy(f"{path} är låst, säkerhetskopian kunde inte göras: {exc}") from exc
    unchanged = fingerprint(path) == found.clean  # nobody wrote between the check and now
    if needs_migration:
        migrate(path)
    _private(path)
    if unchanged and backup_dir(path).is_dir():
        _write_state(path, checked=fingerprint(path))
    return path


# --- listing and restoring backups ---------------------------------------------------------


@dataclass
class BackupInfo:
    path: Path
    taken: datetime
    size: int
    #: Number of people and of inventory rounds (None when they cannot be read).
    people: int | None
    rounds: int | None
    #: ``PRAGMA integrity_check`` said ok (and it is a bouv-tui file this version can read).
    ok: bool
    #: The copy ``restore`` kept of the file it replaced.
    kept: bool = False
    #: Why it is not ok, in Swedish.
    problem: str = ""
    revision: str | None = None


def describe_backup(backup: Path) -> BackupInfo:
    """Read a backup without changing anything beside it: what it holds and whether it is whole."""
    info = BackupInfo(
        path=backup, taken=backup_time(backup), size=backup.stat().st_size, people=None, rounds=None, ok=False,
        kept=_KEPT_NAME.search(backup.stem) is not None,
    )  # fmt: skip
    try:
        with open(backup, "rb") as fh:
            if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                info.problem = "ingen SQLite-fil"
                return info
        conn = _connect_frozen(backup)
        try:
            if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                info.problem = "inte en bouv-tui-fil"
                return info
            check = conn.execute("PRAGMA integrity_check").fetchone()[0]
            if check != "ok":
                info.problem = f"skadad ({str(check).splitlines()[0]})"
                return info
            tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            has_version_table = "alembic_version" in tables
            if has_version_table:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                info.revision = row[0] if row else None
            if "staff" in tables:
                info.people = conn.execute("SELECT count(*) FROM staff").fetchone()[0]
            info.rounds = 0
            if "inventory_round" in tables:
                info.rounds = conn.execute("SELECT count(*) FROM inventory_round").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        info.problem = f"skadad ({exc})"
        return info
    if info.revision is not None and info.revision not in KNOWN_REVISIONS:
        info.problem = f"från en nyare version av bouv-tui (schema {info.revision})"
        return info
    problem = _schema_problem(backup, tables, info.revision, has_version_table)
    if problem is not None or info.revision is None:
        info.problem = "ofullständigt schema"
        return info
    info.ok = True
    return info


def describe_backups(path: Path) -> list[BackupInfo]:
    """Every backup of the database at ``path``, newest first (``bouv-tui backups``)."""
    return [describe_backup(p) for p in all_backups(path)]


def find_backup(path: Path, name: str | os.PathLike) -> Path | None:
    """The backup ``name`` names: a path to a file, or a file name in the backup folder."""
    given = Path(name).expanduser()
    if given.is_file():
        return given
    in_folder = backup_dir(path) / given.name
    if given.name == os.fspath(name) and in_folder.is_file():
        return in_folder
    return None


@dataclass
class Restored:
    database: Path
    backup: BackupInfo
    #: The copy of the file as it was before (None when there was none, or it was empty).
    previous: Path | None


def _in_use(path: Path) -> bool:
    """Whether another connection has the database open (another window or program).

    An exclusive lock (``locking_mode=EXCLUSIVE`` and ``BEGIN EXCLUSIVE``) cannot be had
    while another connection has the file open in WAL mode or is reading or writing it.
    A damaged file cannot tell: then False.
    """
    try:
        conn = sqlite3.connect(os.path.abspath(path), timeout=0.5, isolation_level=None)
    except sqlite3.Error:
        return False
    try:
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        return (getattr(exc, "sqlite_errorcode", 0) & 0xFF) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    except sqlite3.Error:
        return False
    finally:
        conn.close()
    return False


def _keep_previous(path: Path, healthy: bool, now: datetime) -> Path | None:
    """Copy the database as it is now to a name rotation never removes. A healthy file is
    copied with SQLite's backup API (one file, with what its -wal holds); a damaged one
    byte for byte, its -wal beside it (``<copy>-wal``), since SQLite may not read it."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    folder = backup_dir(path)
    _private_folder(folder)
    temp = _new_private_file(folder, f".{path.stem}", ".part")
    try:
        copied = False
        if healthy:
            try:
                src = connect(path, readonly=True)
                try:
                    copied = _copy_database(src, temp) == "ok"
                finally:
                    src.close()
            except sqlite3.Error:
                copied = False
        if not copied:
            with open(path, "rb") as src_fh, open(temp, "wb") as dst_fh:
                shutil.copyfileobj(src_fh, dst_fh)
        _fsync(temp)
        target = _publish(temp, folder, f"{path.stem}-{KEPT_INFIX}", now.strftime("%Y%m%d-%H%M%S"))
        wal = Path(f"{path}-wal")
        if not copied and wal.exists() and wal.stat().st_size:
            wal_copy = Path(f"{target}-wal")
            fd = os.open(wal_copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
            with os.fdopen(fd, "wb") as dst_fh, open(wal, "rb") as src_fh:
                shutil.copyfileobj(src_fh, dst_fh)
        _fsync(folder)
        return target
    finally:
        _remove_with_sidecars(temp)


def restore_backup(path: Path, backup: Path, *, now: datetime | None = None) -> Restored:
    """Put ``backup`` in the place of the database at ``path``.

    The backup must be a whole bouv-tui file this version can read. The current file is
    first copied (``kept_copies``: never rotated away, listed by ``bouv-tui backups``);
    then the backup is copied to a temporary file beside the database, synced, and moved
    into place in one step, after the old -wal/-shm/-journal are removed so that SQLite
    does not apply them to the restored file. Refused when another program has the file
    open, or it cannot be written; nothing is changed then.
    """
    now = now or datetime.now()
    info = describe_backup(backup)
    if not info.ok:
        raise CorruptDatabase(
            f"Säkerhetskopian {backup} kan inte återställas: {info.problem}. Ingenting har ändrats. "
            f"Välj en annan (bouv-tui --db {shlex.quote(str(path))} backups)."
        )
    if path.exists() and os.path.samefile(path, backup):
        raise CorruptDatabase(f"{backup} är själva databasen, ingen säkerhetskopia. Ingenting har ändrats.")
    if path.is_dir():
        raise NotBouvDatabase(f"{path} är en mapp, inte en databasfil. Ingenting har ändrats.")
    require_writable(path)
    if path.exists() and backup_dir(path).exists() and not _may_write(backup_dir(path)):
        raise ReadOnlyDatabase(
            f"Mappen {backup_dir(path)} är skrivskyddad, så ingen kopia av den nuvarande filen kan sparas "
            "före återställningen. Ingenting har ändrats."
        )
    try:
        healthy = inspect(path).exists
    except StoreBusy:
        healthy = True
    except StoreError:
        healthy = False
    # Only a healthy file can tell (a damaged one is copied byte for byte before anything opens it).
    if healthy and path.exists() and _in_use(path):
        raise StoreBusy(
            f"{path} används av ett annat program eller fönster (bouv-tui?). Stäng det och försök igen. "
            "Ingenting har ändrats."
        )
    remove_stale_temps(path)
    previous = _keep_previous(path, healthy, now)
    path.parent.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    temp = _new_private_file(path.parent, f".{path.name}", ".restore")
    try:
        with open(backup, "rb") as src_fh, open(temp, "wb") as dst_fh:
            shutil.copyfileobj(src_fh, dst_fh)
        conn = sqlite3.connect(os.path.abspath(temp))
        try:
            conn.execute("PRAGMA journal_mode = WAL")  # as every bouv-tui database
        finally:
            conn.close()
        for sidecar in SIDECARS:
            Path(f"{temp}{sidecar}").unlink(missing_ok=True)
        _fsync(temp)
        for sidecar in SIDECARS:
            Path(f"{path}{sidecar}").unlink(missing_ok=True)
        os.replace(temp, path)
        _fsync(path.parent)
    finally:
        _remove_with_sidecars(temp)
    os.chmod(path, PRIVATE_FILE)
    if backup_dir(path).is_dir():
        # The file is the backup, checked whole just now; a copy of it is in the folder.
        state = {"checked": fingerprint(path)}
        if backup.parent.resolve() == backup_dir(path).resolve():
            state["backed_up"] = state["checked"]
        _write_state(path, **state)
    return Restored(database=path, backup=info, previous=previous)
