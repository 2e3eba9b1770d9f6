"""Files the app writes (exports, settings, the demo) appear whole or not at all, are private
to the user (0600), and leave no temporary file behind: not on an error, and not when the
process is killed with SIGKILL in the middle of an export (issue: `kill -9` during
`bouv-tui export staff` left the whole roster in `.staff0.csv.….tmp`)."""

from __future__ import annotations

import errno
import os
import random
import signal
import stat
import subprocess
import sys
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bouv_tui.exchange import atomic
from bouv_tui.exchange.atomic import write_bytes_atomically

SEED = 20261122
TRIALS = 20


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def dead_pid() -> int:
    """The id of a process that has ended."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.fixture
def folder(tmp_path) -> Path:
    """An empty folder to write in (tmp_path holds the test's other folders)."""
    path = tmp_path / "ut"
    path.mkdir()
    return path


@pytest.fixture(params=["o_tmpfile", "named"])
def way(request, monkeypatch):
    """Each helper test runs both ways: the anonymous file, and the named fallback."""
    if request.param == "o_tmpfile":
        if not atomic.USE_O_TMPFILE:
            pytest.skip("no O_TMPFILE or /proc here")
    else:
        monkeypatch.setattr(atomic, "USE_O_TMPFILE", False)
    return request.param


# --- the helper ------------------------------------------------------------------------------


def test_writes_the_whole_file_private_whatever_the_umask(folder, way):
    target = folder / "ut.bin"
    data = os.urandom(3 << 20)
    old_umask = os.umask(0)
    try:

        def write(f):
            for i in range(0, len(data), 65536):
                f.write(data[i : i + 65536])

        assert atomic.write_atomically(target, write) == target
    finally:
        os.umask(old_umask)
    assert target.read_bytes() == data
    assert mode(target) == 0o600
    assert names(folder) == ["ut.bin"]


def test_replacing_a_readable_file_makes_it_private(folder, way):
    target = folder / "personal.csv"
    target.write_text("gammalt")
    os.chmod(target, 0o644)
    write_bytes_atomically(target, b"nytt")
    assert target.read_bytes() == b"nytt"
    assert mode(target) == 0o600


def test_a_write_may_ask_for_a_stricter_mode_never_a_looser_one(folder, way):
    strict, loose = folder / "las.txt", folder / "delad.txt"
    write_bytes_atomically(strict, "bara läsa".encode(), mode=0o400)
    write_bytes_atomically(loose, b"delad", mode=0o644)
    assert (strict.read_bytes(), mode(strict)) == ("bara läsa".encode(), 0o400)
    assert (loose.read_bytes(), mode(loose)) == (b"delad", 0o600)  # never readable by others


def test_while_writing_the_data_has_no_name_or_a_marked_private_one(folder, way):
    target = folder / "personal.csv"
    target.write_text("gammalt")
    seen = []

    def write(f):
        f.write(b"namn;roll\r\n")
        f.flush()
        seen.extend((p.name, mode(p)) for p in folder.iterdir() if p != target)
        assert target.read_text() == "gammalt"

    atomic.write_atomically(target, write)
    if way == "o_tmpfile":
        assert seen == []  # nothing a kill could leave behind
    else:
        [(name, temp_mode)] = seen
        assert atomic.is_temp_name(name) and f".{os.getpid()}." in name
        assert temp_mode == 0o600
    assert names(folder) == ["personal.csv"]


@pytest.mark.parametrize("error", [OSError(errno.ENOSPC, "No space left on device"), ValueError("trasig"), KeyboardInterrupt()])
def test_a_write_that_fails_midway_leaves_the_old_file_and_no_temporary(folder, way, error):
    target = folder / "inventering.json"
    target.write_bytes(b"gammalt")

    def write(f):
        f.write(b"x" * 100_000)
        raise error

    with pytest.raises(type(error)):
        atomic.write_atomically(target, write)
    assert target.read_bytes() == b"gammalt"
    assert names(folder) == ["inventering.json"]


def test_a_failing_rename_leaves_the_old_file_and_no_temporary(folder, way, monkeypatch):
    target = folder / "inventering.json"
    target.write_bytes(b"gammalt")

    def fail(*args, **kwargs):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        write_bytes_atomically(target, b"nytt")
    assert target.read_bytes() == b"gammalt"
    assert names(folder) == ["inventering.json"]


def test_a_refused_link_falls_back_to_a_named_copy(folder, monkeypatch):
    if not atomic.USE_O_TMPFILE:
        pytest.skip("no O_TMPFILE or /proc here")
    real_link = os.link

    def refuse(src, dst, **kwargs):
        if str(src).startswith("/proc/"):
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return real_link(src, dst, **kwargs)

    monkeypatch.setattr(os, "link", refuse)
    target = folder / "ut.bin"
    data = os.urandom(2_500_000)
    write_bytes_atomically(target, data)
    assert target.read_bytes() == data
    assert mode(target) == 0o600
    assert names(folder) == ["ut.bin"]


def test_a_missing_folder_is_an_oserror(folder, way):
    with pytest.raises(FileNotFoundError):
        write_bytes_atomically(folder / "finns-inte" / "ut.json", b"{}")
    assert names(folder) == []


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_an_oserror(folder, way):
    (folder / "ut.json").write_bytes(b"gammalt")
    os.chmod(folder, 0o500)
    try:
        with pytest.raises(PermissionError):
            write_bytes_atomically(folder / "ut.json", b"nytt")
    finally:
        os.chmod(folder, 0o700)
    assert names(folder) == ["ut.json"]
    assert (folder / "ut.json").read_bytes() == b"gammalt"


def test_openpyxl_saves_into_the_file_it_is_given(folder, way):
    from openpyxl import Workbook, load_workbook

    workbook = Workbook()
    workbook.active["A1"] = "namn"
    workbook.active["A2"] = "Åsa Öberg"
    target = folder / "personal.xlsx"
    atomic.write_atomically(target, workbook.save)
    assert load_workbook(target).active["A2"].value == "Åsa Öberg"
    assert names(folder) == ["personal.xlsx"]


# --- sweeping what a killed process left -----------------------------------------------------


def test_the_next_write_sweeps_temporaries_of_dead_processes_and_old_ones(folder, way):
    hour_ago = time.time() - 2 * atomic.STALE_AFTER
    dead = folder / f".personal.csv.{dead_pid()}.0badc0de.{atomic.MARKER}"
    dead_wal = folder / f".demo.sqlite.{dead_pid()}.0badc0de.{atomic.MARKER}-wal"
    old_but_alive = folder / f".personal.csv.1.00c0ffee.{atomic.MARKER}"
    legacy = folder / ".staff0.csv.k2j4_x9q.tmp"  # what tempfile.mkstemp left before
    legacy_demo = folder / f".demo.sqlite.{dead_pid()}.demo-tmp"
    alive = folder / f".personal.csv.{os.getppid()}.12345678.{atomic.MARKER}"  # a writer at work
    own = folder / f".annan.csv.{os.getpid()}.87654321.{atomic.MARKER}"  # another thread's
    fresh_legacy = folder / ".notes.txt.abcdefgh.tmp"  # could be anyone's: only swept when old
    unrelated = [folder / ".bashrc", folder / "data.tmp", folder / f"personal.csv.1.x.{atomic.MARKER}.bak"]
    for p in [dead, dead_wal, old_but_alive, legacy, legacy_demo, alive, own, fresh_legacy, *unrelated]:
        p.write_text("Åsa Öberg;handläggare")
    for p in [old_but_alive, legacy]:
        os.utime(p, (hour_ago, hour_ago))

    write_bytes_atomically(folder / "inventering.txt", b"ny")

    left = set(names(folder))
    assert not left & {p.name for p in [dead, dead_wal, old_but_alive, legacy, legacy_demo]}
    assert {p.name for p in [alive, own, fresh_legacy, *unrelated]} <= left


def test_config_save_is_private_and_leaves_no_temporary(folder):
    from bouv_tui.config import Config, load_config, save_config

    path = folder / "conf" / "config.toml"
    path.parent.mkdir()
    (path.parent / "config.toml.tmp").write_text("[ui]\n")  # what an earlier version could leave
    save_config(Config(), path)
    assert load_config(path).notices == []
    assert mode(path) == 0o600
    assert names(path.parent) == ["config.toml"]


def test_demo_leaves_no_temporary_and_sweeps_a_killed_run(folder):
    from bouv_tui.demo import write_demo

    left = folder / f".demo.sqlite.{dead_pid()}.deadbeef.{atomic.MARKER}"
    left.write_bytes(b"SQLite format 3\0")
    Path(f"{left}-wal").write_bytes(b"")
    path = write_demo(folder / "demo.sqlite", staff=3, seed=1)
    assert names(folder) == ["demo.sqlite"]
    assert mode(path) == 0o600


# --- kill -9 of a real export ----------------------------------------------------------------


def command() -> list[str]:
    script = Path(sys.executable).parent / "bouv-tui"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bouv_tui"]


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    """A national-ish demo database (2 000 caseworkers), made once, and an environment that
    keeps the subprocesses away from the user's own folders."""
    root = tmp_path_factory.mktemp("national")
    env = dict(os.environ, HOME=str(root / "home"))
    for name, sub in [("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache")]:
        env[name] = str(root / sub)
    env.pop("BOUV_DB", None)
    db = root / "db" / "national.sqlite"
    db.parent.mkdir()
    subprocess.run([*command(), "demo", str(db), "--staff", "2000"], env=env, check=True, capture_output=True)
    return db, env


EXPORTS = {
    "staff-csv": ["export", "staff", "--format", "csv"],
    "staff-xlsx": ["export", "staff", "--format", "xlsx"],
    "submission-xlsx": ["export", "submission", "--year", "2026", "--format", "xlsx"],
    "submission-json": ["export", "submission", "--year", "2026", "--format", "json"],
}


def xlsx_parts(data: bytes) -> dict[str, bytes]:
    """An xlsx's parts but its time stamps (the roster's xlsx records when it was saved)."""
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {n: archive.read(n) for n in archive.namelist() if n != "docProps/core.xml"}


@pytest.mark.parametrize("kind", list(EXPORTS))
def test_kill_9_during_an_export_leaves_the_old_file_or_the_new_one_and_nothing_else(national, tmp_path, kind):
    db, env = national
    args = [*command(), "--db", str(db), *EXPORTS[kind]]
    name = "ut." + kind.split("-")[1]

    # The new file, and how long a whole export takes.
    reference = tmp_path / "reference"
    reference.mkdir()
    started = time.perf_counter()
    subprocess.run([*args, "--output", str(reference / name)], env=env, check=True, capture_output=True)
    duration = time.perf_counter() - started
    new = (reference / name).read_bytes()
    old = b"gammal export, ska finnas kvar hel eller ersattas hel\n" * 100

    rng = random.Random(f"{SEED} {kind}")
    delays = [rng.uniform(0, duration) for _ in range(TRIALS)]

    def trial(i: int) -> tuple[str, list[str], int, str]:
        folder = tmp_path / f"trial{i}"
        folder.mkdir()
        target = folder / name
        target.write_bytes(old)
        os.chmod(target, 0o600)
        proc = subprocess.Popen([*args, "--output", str(target)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(delays[i])
        proc.send_signal(signal.SIGKILL)
        _, err = proc.communicate()
        data = target.read_bytes()
        if data == old:
            outcome = "old"
        elif data == new or (kind.endswith("xlsx") and xlsx_parts(data) == xlsx_parts(new)):
            outcome = "new"
        else:
            outcome = f"torn ({len(data)} bytes)"
        return outcome, names(folder), mode(target), err.decode(errors="replace")

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(trial, range(TRIALS)))
    for i, (outcome, left, file_mode, err) in enumerate(results):
        assert outcome in ("old", "new"), (i, delays[i], outcome)
        assert left == [name], (i, delays[i], left)
        assert file_mode == 0o600, (i, oct(file_mode))
        assert "Traceback" not in err, err
    # The trials are worth something only if some were killed before the file was replaced.
    assert {"old"} <= {r[0] for r in results}


@pytest.mark.parametrize(("code", "reason", "step"), [
    (errno.EACCES, "du får inte skriva där", "välj en annan mapp eller ändra rättigheterna"),
    (errno.EPERM, "åtgärden är inte tillåten", "välj en annan mapp eller ändra rättigheterna"),
    (errno.EROFS, "filsystemet är skrivskyddat", "välj en mapp på en annan disk"),
    (errno.ENOSPC, "disken är full", "frigör utrymme eller välj en annan disk"),
    (errno.EDQUOT, "din diskkvot är slut", "frigör utrymme eller välj en annan disk"),
    (errno.ENOENT, "mappen finns inte", "skapa mappen eller välj en annan plats"),
    (errno.ENOTDIR, "en del av sökvägen är ingen mapp", "välj en annan plats"),
    (errno.EISDIR, "det är en mapp", "ange ett filnamn i mappen"),
    (errno.ENAMETOOLONG, "filnamnet är för långt", "välj ett kortare namn"),
    (errno.EINVAL, "filnamnet går inte att använda där", "välj ett namn utan specialtecken"),
])  # fmt: skip
def test_every_known_write_error_in_swedish_with_the_next_step(tmp_path, code, reason, step):
    target = tmp_path / "ut.json"
    message = atomic.export_error_message(target, OSError(code, os.strerror(code)))
    assert message == f"{target} kunde inte sparas: {reason}. {atomic._NOTHING}; {step}."


def test_an_unknown_write_error_says_what_the_system_said():
    target = Path("/x/ut.json")
    tail = f"{atomic._NOTHING}; försök igen eller välj en annan plats."
    assert atomic.export_error_message(target, OSError(errno.EIO, "Input/output error")) == (
        f"/x/ut.json kunde inte sparas: Input/output error. {tail}")  # fmt: skip
    assert atomic.export_error_message(target, OSError("strange")) == f"/x/ut.json kunde inte sparas: strange. {tail}"
    assert atomic.export_error_message(target, OSError()) == f"/x/ut.json kunde inte sparas: OSError. {tail}"
    assert atomic.export_error_message(target, PermissionError()) == f"/x/ut.json kunde inte sparas: PermissionError. {tail}"


def test_which_process_ids_are_alive_and_the_check_sends_no_signal(monkeypatch):
    # The child takes every signal's default action, even under nohup (which ignores SIGHUP),
    # so any real signal sent by the check would end it.
    default = "import signal, time; [signal.signal(s, signal.SIG_DFL) for s in signal.valid_signals() if s not in (signal.SIGKILL, signal.SIGSTOP)]; print('ready', flush=True); time.sleep(30)"  # fmt: skip
    child = subprocess.Popen([sys.executable, "-c", default], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline() == "ready\n"  # its handlers are set before it is asked
    try:
        assert atomic._pid_alive(child.pid) is True
        time.sleep(0.2)
        assert child.poll() is None  # signal 0 only asks: the child was not hung up or killed
    finally:
        child.kill()
        child.wait()
        child.stdout.close()
    assert atomic._pid_alive(child.pid) is False  # gone (and reaped)
    assert atomic._pid_alive(os.getpid()) is True
    assert atomic._pid_alive(0) is False and atomic._pid_alive(-1) is False
    assert atomic._pid_alive(1) is True  # init: always there (pid 1 is the first that counts)

    def unanswerable(pid, signal):
        raise OSError(errno.EINVAL, "Invalid argument")  # as Windows answers for a pid it does not know

    monkeypatch.setattr(atomic.os, "kill", unanswerable)
    assert atomic._pid_alive(os.getpid()) is False  # a check that cannot be answered: not alive


# --- the target of an export, checked before anything is written ---------------------------------


def test_every_refused_target_says_why_names_the_path_and_writes_nothing(folder, monkeypatch):
    tail = f"{atomic._NOTHING}; "
    file_in_the_way = folder / "fil.txt"
    file_in_the_way.write_text("x")
    cases = [
        (folder, f"{folder} är en mapp. {tail}ange ett filnamn i mappen, inte bara mappen."),
        (folder / "saknas" / "ut.csv",
         f"Mappen {folder / 'saknas'} finns inte, så ut.csv kan inte sparas. {tail}skapa mappen eller välj en annan plats."),
        (file_in_the_way / "ut.csv",
         f"{file_in_the_way} är ingen mapp, så ut.csv kan inte sparas där. {tail}välj en annan plats."),
        (folder / ("x" * 300), atomic.export_error_message(folder / ("x" * 300), OSError(errno.ENAMETOOLONG, "x"))),
    ]  # fmt: skip
    fifo = folder / "ror"
    os.mkfifo(fifo)
    cases.append((fifo, f"{fifo} är ingen vanlig fil och ersätts inte. {tail}välj ett annat filnamn."))
    for target, message in cases:
        with pytest.raises(atomic.ExportError) as refused:
            atomic.check_target(target)
        assert (str(refused.value), refused.value.path) == (message, target)
        assert not isinstance(refused.value, atomic.ReadOnlyTarget)
    assert "filnamnet är för långt" in cases[3][1]
    # A folder or a file its owner made read-only (as a user would meet it, also when run as root).
    locked = folder / "låst fil.csv"
    locked.write_text("gammal")
    os.chmod(locked, 0o400)
    monkeypatch.setattr(atomic, "_may_write", lambda p: Path(p) not in (folder, locked))
    with pytest.raises(atomic.ExportError) as read_only_folder:
        atomic.check_target(folder / "ny.csv")
    assert str(read_only_folder.value) == (f"Mappen {folder} är skrivskyddad, så ny.csv kan inte sparas där. "
                                           f"{tail}välj en annan mapp eller ändra mappens rättigheter.")  # fmt: skip
    monkeypatch.setattr(atomic, "_may_write", lambda p: Path(p) != locked)
    with pytest.raises(atomic.ReadOnlyTarget) as read_only:
        atomic.check_target(locked)  # asked first, by default
    assert (str(read_only.value), read_only.value.path) == (
        f"{locked} är skrivskyddad. {tail}välj ett annat filnamn, eller ta bort skrivskyddet "
        f"(chmod u+w '{locked}') om filen ska ersättas.", locked
    )  # fmt: skip
    with pytest.raises(atomic.ReadOnlyTarget):
        atomic.write_export(locked, lambda f: f.write(b"ny"))
    assert locked.read_text() == "gammal"
    assert atomic.check_target(locked, replace_readonly=True) == 0o400  # keeps the stricter mode
    assert atomic.check_target(folder / "ny.csv") == 0o600
    assert sorted(p.name for p in folder.iterdir()) == ["fil.txt", "låst fil.csv", "ror"]


def test_an_export_error_keeps_its_path():
    error = atomic.ExportError("Något gick fel.", "/x/ut.json")
    assert (str(error), error.path) == ("Något gick fel.", Path("/x/ut.json")) and isinstance(error, OSError)


def test_an_unnamed_file_is_not_possible_everywhere(folder, monkeypatch):
    real_open = os.open

    def no_tmpfile(code):
        def fake(path, flags, *args, **kwargs):
            if flags & getattr(os, "O_TMPFILE", 0) == getattr(os, "O_TMPFILE", -1):
                raise OSError(code, os.strerror(code))
            return real_open(path, flags, *args, **kwargs)

        return fake

    monkeypatch.setattr(atomic, "USE_O_TMPFILE", True)
    for unsupported in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):
        monkeypatch.setattr(atomic.os, "open", no_tmpfile(unsupported))
        assert atomic._open_anonymous(folder) is None  # the named file instead
    monkeypatch.setattr(atomic.os, "open", no_tmpfile(errno.EACCES))
    with pytest.raises(PermissionError):
        atomic._open_anonymous(folder)  # the caller's to show


@pytest.mark.skipif(not atomic.USE_O_TMPFILE, reason="no O_TMPFILE or /proc here")
def test_the_unnamed_file_is_linked_into_place_not_copied(folder, monkeypatch):
    def no_copy(fd, target):
        raise AssertionError("copied instead of linked")

    monkeypatch.setattr(atomic, "_copy_fd", no_copy)
    write_bytes_atomically(folder / "ut.txt", b"data", mode=0o400)
    assert ((folder / "ut.txt").read_bytes(), mode(folder / "ut.txt")) == (b"data", 0o400)


@pytest.mark.skipif(not atomic.USE_O_TMPFILE, reason="no O_TMPFILE or /proc here")
def test_where_linking_is_refused_the_unnamed_file_is_copied_with_its_mode(folder, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(atomic.os, "link", refuse)
    write_bytes_atomically(folder / "ut.txt", b"kopia", mode=0o400)
    assert ((folder / "ut.txt").read_bytes(), mode(folder / "ut.txt")) == (b"kopia", 0o400)
    assert [p.name for p in folder.iterdir()] == ["ut.txt"]
