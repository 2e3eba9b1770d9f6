"""Opening a bouv-tui database: checks, backups, migrations, pragmas.

Everything here runs on the standard library's ``sqlite3`` so that the app can show
its first screen without importing SQLAlchemy; Alembic is imported only when a file
has to be created or upgraded.
"""

from __future__ import annotations

import os
import re
import sqlite3
import stat
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bouv_tui.errors import BouvError

#: ``PRAGMA application_id`` of every bouv-tui file ("BoUV").
APPLICATION_ID = 0x426F5556
#: The newest migration this version knows. A test checks it against Alembic's head.
HEAD_REVISION = "0004"
#: Every revision this version can read (oldest first).
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004")
BUSY_TIMEOUT_MS = 5000
KEEP_BACKUPS = 10
SQLITE_HEADER = b"SQLite format 3\x00"


class StoreError(BouvError):
    """A database problem the user must be told about, with a message in Swedish."""

    def __init__(self, message: str, *, backup: Path | None = None, restore_hint: bool = False):
        self.backup = backup
        if backup is not None:
            if restore_hint:
                message += " Återställ genom att stänga programmet och kopiera säkerhetskopian till filens plats."
            message += f"\nSenaste säkerhetskopia: {backup}"
        elif restore_hint:
            message += " Det finns ingen säkerhetskopia av den här filen."
        super().__init__(message)


class NotBouvDatabase(StoreError):
    pass


class CorruptDatabase(StoreError):
    pass


class NewerDatabase(StoreError):
    pass


class StoreBusy(StoreError):
    pass


class UnsupportedLocation(StoreError):
    pass


class ReadOnlyDatabase(StoreError):
    """A write to a database that was opened read-only (its file or folder is read-only)."""


def is_writable(path: Path) -> bool:
    """Whether the database at ``path`` can be written: the file and its folder writable.

    For a file or folder of the current user the owner's permission bits decide (``os.access``
    says yes to everything when run as root), else ``os.access``.
    """
    def writable(p: Path) -> bool:
        try:
            st = p.stat()
        except OSError:
            return False
        if st.st_uid == os.geteuid():
            return bool(st.st_mode & stat.S_IWUSR)
        return os.access(p, os.W_OK)

    return writable(path) and writable(path.parent)


def backup_dir(path: Path) -> Path:
    """Backups of ``kommun.sqlite`` live in ``kommun-backups/`` beside it."""
    return path.parent / f"{path.stem}-backups"


_BACKUP_NAME = re.compile(r"(\d{8})-(\d{6})(?:-(\d+))?")


def list_backups(path: Path) -> list[Path]:
    """Backups of the file at ``path``, newest first.

    Sorted by time stamp and then by the counter a second backup within the same
    second gets (``-2``, ``-3``, …), which a plain name sort would put first.
    """
    folder = backup_dir(path)
    if not folder.is_dir():
        return []
    found = []
    for p in folder.glob(f"{path.stem}-*.sqlite"):
        match = _BACKUP_NAME.fullmatch(p.stem[len(path.stem) + 1 :])
        if match:
            found.append(((match[1], match[2], int(match[3] or 1)), p))
    return [p for _, p in sorted(found, reverse=True)]


def latest_backup(path: Path) -> Path | None:
    found = list_backups(path)
    return found[0] if found else None


def _private(path: Path) -> None:
    """Readable and writable by the owner only."""
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if p.exists():
            os.chmod(p, stat.S_IRUSR | stat.S_IWUSR)


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """A standard-library connection with the app's pragmas."""
    if readonly:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    else:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


@dataclass
class Inspection:
    exists: bool
    revision: str | None = None
    tables: list[str] = field(default_factory=list)


def inspect(path: Path) -> Inspection:
    """What is at ``path``, without writing anything. Raises StoreError for what can't be opened."""
    if not path.exists() or path.stat().st_size == 0:
        return Inspection(exists=False)
    if path.is_dir():
        raise NotBouvDatabase(f"{path} är en mapp, inte en databasfil.")
    backup = latest_backup(path)
    with open(path, "rb") as fh:
        header = fh.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise NotBouvDatabase(
            f"{path} är ingen bouv-tui-databas (det är inte en SQLite-fil). Ingenting har ändrats.",
            backup=backup,
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
                    )
                return Inspection(exists=False)
            # A file unchanged since its newest backup passed this check when that backup
            # was taken (open_database checks before it copies); reading all of a large
            # file again on every start would cost a tenth of a second for nothing.
            unchanged = backup is not None and backup.stat().st_mtime >= _data_mtime(path)
            check = "ok" if unchanged else conn.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                first_problem = str(check).splitlines()[0]
                raise CorruptDatabase(
                    f"{path} är skadad ({first_problem}). Ingenting har ändrats.",
                    backup=backup,
                    restore_hint=True,
                )
            revision = None
            if "alembic_version" in tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc):
            raise StoreBusy(
                f"{path} är låst av ett annat program eller fönster. Försök igen om en stund."
            ) from exc
        raise CorruptDatabase(
            f"{path} kan inte läsas ({exc}). Ingenting har ändrats.", backup=backup, restore_hint=True
        ) from exc
    except sqlite3.DatabaseError as exc:
        raise CorruptDatabase(
            f"{path} är skadad och kan inte läsas ({exc}). Ingenting har ändrats.",
            backup=backup,
            restore_hint=True,
        ) from exc
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise NewerDatabase(
            f"{path} har skapats av en nyare version av bouv-tui (schema {revision}). "
            "Uppdatera programmet för att öppna den. Ingenting har ändrats.",
            backup=backup,
        )
    return Inspection(exists=True, revision=revision, tables=tables)


def make_backup(path: Path, *, now: datetime | None = None) -> Path | None:
    """Copy the database to a dated backup (consistent even in WAL mode) and keep the last ten.

    No copy is made when the file has not changed since the newest backup.
    """
    folder = backup_dir(path)
    newest = latest_backup(path)
    if newest is not None and newest.stat().st_mtime >= _data_mtime(path):
        return newest
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    target = folder / f"{path.stem}-{stamp}.sqlite"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{path.stem}-{stamp}-{n}.sqlite"
    partial = target.with_suffix(".part")
    src = connect(path, readonly=True)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    os.chmod(partial, stat.S_IRUSR | stat.S_IWUSR)
    os.replace(partial, target)
    for old in list_backups(path)[KEEP_BACKUPS:]:
        old.unlink(missing_ok=True)
    return target


def _data_mtime(path: Path) -> float:
    wal = Path(f"{path}-wal")
    times = [path.stat().st_mtime]
    if wal.exists() and wal.stat().st_size:
        times.append(wal.stat().st_mtime)
    return max(times)


def migrate(path: Path) -> None:
    """Create or upgrade the schema to HEAD_REVISION with Alembic."""
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
    """The file a ``--db`` value or ``BOUV_DB`` names: a path or a ``sqlite:///`` URL."""
    if location is None or str(location) == "":
        return default
    text = str(location)
    if text.startswith("sqlite:///"):
        return Path(text.removeprefix("sqlite:///")).expanduser()
    if "://" in text:
        scheme = text.split("://", 1)[0]
        raise UnsupportedLocation(
            f"Databasadressen {scheme}://… stöds inte ännu: den här versionen arbetar med en "
            "SQLite-fil (ange en sökväg eller sqlite:///sökväg). Serverdatabaser (PostgreSQL) kommer senare."
        )
    return Path(text).expanduser()


def open_database(path: Path, *, backup: bool = True) -> Path:
    """Check, back up, create or upgrade the database at ``path``; return its path.

    Nothing is written when the file is not a bouv-tui database, is damaged or is
    from a newer version. A backup is taken before any migration of an existing file
    (and, with ``backup=True``, whenever the file changed since the last backup).
    """
    found = inspect(path)
    if not found.exists:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Create the empty file private from the start.
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        os.close(fd)
        migrate(path)
    else:
        needs_migration = found.revision != HEAD_REVISION
        if backup or needs_migration:
            try:
                make_backup(path)
            except sqlite3.OperationalError as exc:
                raise StoreBusy(f"{path} är låst, säkerhetskopian kunde inte göras: {exc}") from exc
        if needs_migration:
            migrate(path)
    _private(path)
    return path
