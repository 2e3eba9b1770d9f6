"""The ``bouv-tui`` command: parses arguments, calls the services, sets exit codes.

Exit codes: 0 done; 1 the data has errors (nothing written); 2 the command was used wrongly.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import shlex
import sys
from datetime import date
from pathlib import Path

from bouv_tui import paths

DONE, DATA_ERROR, USAGE_ERROR = 0, 1, 2


class SwedishParser(argparse.ArgumentParser):
    def error(self, message: str):  # noqa: D102 - argparse hook
        replacements = {
            "the following arguments are required": "de här argumenten saknas",
            "unrecognized arguments": "okända argument",
            "invalid choice": "ogiltigt val",
            "expected one argument": "ett värde saknas",
            "invalid int value": "inte ett heltal",
            "choose from": "välj bland",
        }
        for english, swedish in replacements.items():
            message = message.replace(english, swedish)
        message = re.sub(r"^argument ", "argumentet ", message)
        self.print_usage(sys.stderr)
        self.exit(USAGE_ERROR, f"{self.prog}: fel: {message}\n")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} är inte ett heltal") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} är negativt")
    return value


def build_parser() -> argparse.ArgumentParser:
    from bouv_tui.exchange.formats import PLAN, STAFF, SUBMISSION, words

    parser = SwedishParser(
        prog="bouv-tui",
        description="Kompetensinventering för den sociala barn- och ungdomsvården.",
    )
    parser.add_argument("--db", metavar="PATH", help="databasfil (eller sqlite:///-adress); även BOUV_DB")
    parser.add_argument("--demo", action="store_true", help="öppna en demodatabas för en påhittad kommun")
    commands = parser.add_subparsers(dest="command", metavar="KOMMANDO", parser_class=SwedishParser)

    demo = commands.add_parser("demo", help="skriv en demodatabas")
    demo.add_argument("path", metavar="PATH", type=Path)
    demo.add_argument("--staff", type=_positive, default=24, help="antal handläggare (standard 24)")
    demo.add_argument("--seed", type=int, default=1, help="slumpfrö; samma frö ger samma fil")
    demo.add_argument("--overwrite", action="store_true", help="ersätt en befintlig fil")

    imp = commands.add_parser("import", help="läs in data från fil")
    imp_kinds = imp.add_subparsers(dest="kind", metavar="TYP", parser_class=SwedishParser, required=True)
    staff = imp_kinds.add_parser("staff", help="personalregister från CSV eller XLSX")
    staff.add_argument("file", metavar="FILE", type=Path)
    staff.add_argument("--dry-run", action="store_true", help="visa bara vad som skulle hända")
    assessments = imp_kinds.add_parser("assessments", help="kompetensnivåer för ett års inventering, CSV eller XLSX")
    assessments.add_argument("file", metavar="FILE", type=Path)
    assessments.add_argument("--year", type=int, required=True, metavar="YEAR", help="redovisningsåret")
    assessments.add_argument("--dry-run", action="store_true", help="visa bara vad som skulle hända")
    trainings = imp_kinds.add_parser("trainings", help="utbildningar och deras tillfällen från CSV eller XLSX")
    trainings.add_argument("file", metavar="FILE", type=Path)
    trainings.add_argument("--dry-run", action="store_true", help="visa bara vad som skulle hända")
    expenses = imp_kinds.add_parser("expenses", help="utgifter från CSV eller XLSX, t.ex. ekonomisystemets lista")
    expenses.add_argument("file", metavar="FILE", type=Path)
    expenses.add_argument("--dry-run", action="store_true", help="visa bara vad som skulle hända")
    grant = imp_kinds.add_parser("grant", help="en finansieringskälla och dess regler från en bidragsfil (TOML)")
    grant.add_argument("file", metavar="FILE.toml", type=Path)

    exp = commands.add_parser("export", help="skriv data till fil")
    exp_kinds = exp.add_subparsers(dest="kind", metavar="TYP", parser_class=SwedishParser, required=True)
    staff_out = exp_kinds.add_parser("staff", help="personalregistret som CSV eller XLSX")
    staff_out.add_argument(
        "--format", default=None, metavar="FORMAT", help=f"{words(STAFF.names)}; standard: filändelsen"
    )
    staff_out.add_argument("--output", type=Path, required=True, metavar="PATH")
    sub_out = exp_kinds.add_parser(
        "submission", help=f"inventeringen för ett redovisningsår ({', '.join(SUBMISSION.names)})"
    )
    sub_out.add_argument("--year", type=int, required=True, metavar="YEAR", help="redovisningsåret")
    sub_out.add_argument(
        "--format", default=None, metavar="FORMAT",
        help="json, xlsx, csv (en zip-fil med CSV-tabeller: filen slutar på .zip) eller txt; standard: filändelsen",
    )  # fmt: skip
    sub_out.add_argument("--output", type=Path, required=True, metavar="PATH")
    plan_out = exp_kinds.add_parser("plan", help=f"årets utbildningsplan ({', '.join(PLAN.names)})")
    plan_out.add_argument("--year", type=int, required=True, metavar="YEAR", help="planens år")
    plan_out.add_argument(
        "--format", default=None, metavar="FORMAT",
        help="xlsx (arbetsbok för personalen), csv (samma kolumner som import trainings) eller ics (kalender); "
             "standard: filändelsen",
    )  # fmt: skip
    plan_out.add_argument("--output", type=Path, required=True, metavar="PATH")
    plan_out.add_argument("--with-names", action="store_true", help="deltagarnas namn i kalendern (ics)")
    finance_out = exp_kinds.add_parser("finance", help="den ekonomiska redovisningen för ett år (json, xlsx, csv, txt)")
    finance_out.add_argument("--year", type=int, required=True, metavar="YEAR", help="redovisningsåret")
    finance_out.add_argument("--format", default=None, metavar="FORMAT",
                             help="json, xlsx, csv eller txt; standard: filändelsen")  # fmt: skip
    finance_out.add_argument("--output", type=Path, required=True, metavar="PATH")
    budget_out = exp_kinds.add_parser("budget", help="budget mot utfall per kostnadstyp och månad (xlsx)")
    budget_out.add_argument("--year", type=int, required=True, metavar="YEAR", help="året")
    budget_out.add_argument("--format", default=None, metavar="FORMAT", help="xlsx; standard: filändelsen")
    budget_out.add_argument("--output", type=Path, required=True, metavar="PATH")
    grant_out = exp_kinds.add_parser("grant", help="en finansieringskälla och dess regler som bidragsfil (TOML)")
    grant_out.add_argument("name", metavar="NAME", help="finansieringskällans namn")
    grant_out.add_argument("--year", type=int, required=True, metavar="YEAR", help="källans år")
    grant_out.add_argument("--output", type=Path, required=True, metavar="FILE.toml")

    commands.add_parser("backups", help="visa databasens säkerhetskopior, nyast först")
    restore = commands.add_parser(
        "restore", help="lägg tillbaka en säkerhetskopia (efter en kopia av den nuvarande filen)"
    )
    restore.add_argument(
        "backup", metavar="BACKUP", help="säkerhetskopians filnamn (som i bouv-tui backups) eller sökväg"
    )

    check = commands.add_parser("check", help="visa vad som saknas eller inte stämmer i inventeringen för ett år")
    check.add_argument("--year", type=int, required=True, metavar="YEAR", help="redovisningsåret")
    return parser


def _database(args) -> Path:
    from bouv_tui.store.db import resolve

    if args.demo:
        return paths.demo_database()
    return resolve(args.db or os.environ.get("BOUV_DB"), paths.default_database())


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    import sqlite3

    from bouv_tui.errors import BouvError
    from bouv_tui.exchange.formats import FormatError
    from bouv_tui.store.db import UnsupportedLocation

    try:
        if args.command is None:
            return run_app(args)
        if args.command == "demo":
            return cmd_demo(args)
        if args.command == "import":
            if args.kind == "assessments":
                return cmd_import_assessments(args)
            if args.kind == "trainings":
                return cmd_import_trainings(args)
            if args.kind == "grant":
                return cmd_import_grant(args)
            if args.kind == "expenses":
                return cmd_import_expenses(args)
            return cmd_import_staff(args)
        if args.command == "export":
            if args.kind == "submission":
                return cmd_export_submission(args)
            if args.kind == "plan":
                return cmd_export_plan(args)
            if args.kind == "grant":
                return cmd_export_grant(args)
            if args.kind == "finance":
                return cmd_export_finance(args)
            if args.kind == "budget":
                return cmd_export_budget(args)
            return cmd_export_staff(args)
        if args.command == "check":
            return cmd_check(args)
        if args.command == "backups":
            return cmd_backups(args)
        if args.command == "restore":
            return cmd_restore(args)
    except (UnsupportedLocation, FormatError) as exc:  # the command was used wrongly: nothing written
        print(f"bouv-tui: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except BouvError as exc:
        print(f"bouv-tui: {exc}", file=sys.stderr)
        return DATA_ERROR
    except KeyboardInterrupt:
        return DATA_ERROR
    except BrokenPipeError:
        # The reader stopped reading (e.g. `bouv-tui check | head`): no traceback, and
        # nothing more to write (Python's own recipe: what is left goes to /dev/null).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return DATA_ERROR
    except sqlite3.DatabaseError as exc:
        print(f"bouv-tui: {_database_error(args, exc)}", file=sys.stderr)
        return DATA_ERROR
    except OSError as exc:
        print(f"bouv-tui: {_os_error(exc)}", file=sys.stderr)
        return DATA_ERROR
    except Exception as exc:
        # SQLAlchemy's errors, when SQLAlchemy was imported at all (never on the start path
        # only for this): its DBAPIError carries the sqlite3 error it wraps.
        sa_exc = sys.modules.get("sqlalchemy.exc")
        if sa_exc is None or not isinstance(exc, sa_exc.SQLAlchemyError):
            raise
        orig = getattr(exc, "orig", None)
        cause = orig if isinstance(orig, sqlite3.DatabaseError) else exc
        print(f"bouv-tui: {_database_error(args, cause)}", file=sys.stderr)
        return DATA_ERROR
    return USAGE_ERROR


def _database_or_none(args) -> Path | None:
    try:
        return _database(args)
    except Exception:  # the location itself was the problem: say it without a path
        return None


def _database_error(args, exc: BaseException) -> str:
    """A sqlite3 (or SQLAlchemy) error as a Swedish message with the next step."""
    import sqlite3

    from bouv_tui.store.db import latest_backup, restore_command

    path = _database_or_none(args)
    where = f"Databasen {path}" if path is not None else "Databasen"
    first_line = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return (f"{where} är upptagen av ett annat program eller fönster ({first_line}). "
                "Ingenting sparades; försök igen om en stund.")  # fmt: skip
    if primary == sqlite3.SQLITE_READONLY:
        return (f"{where} är skrivskyddad ({first_line}). Ingenting sparades; ändra filrättigheterna "
                "eller välj en annan fil med --db.")  # fmt: skip
    if primary == sqlite3.SQLITE_FULL:
        return f"Disken är full ({first_line}). Ingenting sparades; frigör utrymme och försök igen."
    message = f"{where} kunde inte läsas ({first_line}). Filen kan vara skadad; ingenting har ändrats."
    backup = latest_backup(path) if path is not None else None
    if path is not None and backup is not None:
        message += (f" Återställ den senaste säkerhetskopian med: {restore_command(path, backup)} "
                    f"(alla kopior: bouv-tui --db {shlex.quote(str(path))} backups).")  # fmt: skip
    elif path is not None:
        message += " Det finns ingen säkerhetskopia av den."
    return message


def _os_error(exc: OSError) -> str:
    """A file system error (no right to write, no such folder, disk full) in Swedish."""
    import errno

    name = exc.filename if exc.filename is not None else ""
    reason = {
        errno.EACCES: "åtkomst nekad", errno.EPERM: "åtgärden är inte tillåten", errno.ENOENT: "finns inte",
        errno.EROFS: "filsystemet är skrivskyddat", errno.ENOSPC: "disken är full", errno.EISDIR: "är en mapp",
        errno.ENOTDIR: "en del av sökvägen är ingen mapp",
    }.get(exc.errno, exc.strerror or str(exc))  # fmt: skip
    subject = f"{name}: " if name else ""
    return (f"{subject}{reason}. Ingenting har ändrats; kontrollera att mappen finns och att du får "
            "skriva där, eller välj en annan plats.")  # fmt: skip


def run_app(args) -> int:
    from bouv_tui.store.db import CorruptDatabase, NotBouvDatabase, all_backups

    database = _database(args)
    if args.demo and not database.exists():
        from bouv_tui.demo import write_demo

        write_demo(database)
    try:
        app = start_app(database, demo=args.demo)
    except (CorruptDatabase, NotBouvDatabase) as exc:
        # A damaged file with backups beside it: offer them in the app, as `restore` does.
        if not (sys.stdin.isatty() and sys.stdout.isatty()) or not all_backups(database):
            raise
        if not recover(database, exc):
            print(f"bouv-tui: {exc}", file=sys.stderr)
            return DATA_ERROR
        app = start_app(database, demo=args.demo)
    while True:
        try:
            app.run()
        finally:
            finish_app(app)
        if app.return_value != "restore":  # tui.app.RESTORE: chosen in the error dialog of a damaged file
            return app.return_code or DONE
        if not recover(database, CorruptDatabase(f"{database} är skadad: välj en säkerhetskopia att lägga tillbaka.")):
            return DATA_ERROR
        app = start_app(database, demo=args.demo)


def recover(database: Path, error) -> bool:
    """The recovery app (``tui/recovery.py``): the error, the backups, restore one. True when
    a backup was put back and the main app should start on it."""
    from bouv_tui.tui.recovery import RecoveryApp

    return RecoveryApp(database, error).run() == "open"


def start_app(database: Path, *, demo: bool = False, start: str | None = None):
    """Open the file and build the app, the way ``bouv-tui`` starts (the benchmarks start it here too).

    Python's cyclic garbage collector would otherwise run dozens of times while the UI is
    imported and the first screen is built: at national scale that is about a tenth of a
    second before the first frame. It is paused here; the app freezes what the start
    made (those objects are never scanned again) and resumes it when the first frame is on
    screen (``BouvApp.on_ready``), and ``finish_app`` resumes it whatever ended the run.
    """
    gc.disable()
    workspace = None
    try:
        from bouv_tui.config import load_config
        from bouv_tui.services import Workspace

        workspace = Workspace.open(database)
        if start in (None, "start"):
            # The app opens on the start screen: its figures are counted while the UI is imported.
            workspace.prefetch_dashboard(date.today())
        elif start == "plan":
            workspace.prefetch_plan(date.today().year)  # the same for the plan's trainings
        elif start == "budget":
            workspace.prefetch_budget(date.today().year)  # and for the budget
        from bouv_tui.tui.app import BouvApp

        return BouvApp(database, loaded_config=load_config(paths.config_file()), demo=demo, workspace=workspace,
                       start=start, gc_paused=True)  # fmt: skip
    except BaseException:
        gc.enable()  # no app will resume it
        if workspace is not None:
            workspace.close()
        raise


def finish_app(app) -> None:
    """After ``app.run()``: what ``start_app`` set up is put back or kept for the next start."""
    gc.enable()  # in case the app ended (or failed) before its first frame resumed it
    app.workspace.close()


def cmd_demo(args) -> int:
    from bouv_tui.demo import write_demo

    if args.staff < 1:
        print("bouv-tui: --staff ska vara minst 1.", file=sys.stderr)
        return USAGE_ERROR
    try:
        path = write_demo(args.path, staff=args.staff, seed=args.seed, overwrite=args.overwrite)
    except FileExistsError as exc:
        print(f"bouv-tui: {exc}", file=sys.stderr)
        return DATA_ERROR
    print(f"Demodatabasen är skriven: {path} ({args.staff} handläggare, frö {args.seed}).")
    return DONE


def _run_import(args, plan, summary, apply, done, notes=lambda plan: ()) -> int:
    """The shape every import shares: check the file, say what would happen, stop at the
    first error with nothing written, or store it all.

    ``plan(workspace)`` checks the file; ``summary(plan)`` is the line printed first;
    ``notes(plan)`` any lines to add when the file is correct; ``apply(workspace, plan)``
    stores it and ``done(outcome)`` is the closing line."""
    from bouv_tui.exchange.tables import ImportFileError
    from bouv_tui.services import Workspace

    if not args.file.is_file():
        print(f"bouv-tui: filen {args.file} finns inte.", file=sys.stderr)
        return USAGE_ERROR
    if not args.dry_run:
        from bouv_tui.services import preload_write_path

        preload_write_path()  # SQLAlchemy loads while the file is checked, backed up and read
    workspace = Workspace.open(_database(args))
    try:
        checked = plan(workspace)
    except ImportFileError as exc:
        print(f"bouv-tui: {exc}", file=sys.stderr)
        return DATA_ERROR
    print(f"{args.file.name}: {summary(checked)}")
    if checked.errors:
        for error in checked.errors:
            print(f"  {error}", file=sys.stderr)
        print("Ingenting har importerats. Rätta felen i filen och försök igen.", file=sys.stderr)
        return DATA_ERROR
    for notice in getattr(checked, "notices", ()):
        print(f"  Obs: {notice}")
    warnings = getattr(checked, "warnings", ())
    if warnings:
        print(f"Varningar ({len(warnings)}), importeras ändå:")
        for warning in warnings:
            print(f"  {warning}")
    for line in notes(checked):
        print(line)
    if args.dry_run:
        print("Provkörning: ingenting har sparats.")
        return DONE
    outcome = apply(workspace, checked)
    workspace.close()
    print(done(outcome))
    return DONE


def cmd_import_staff(args) -> int:
    return _run_import(
        args,
        plan=lambda ws: ws.plan_staff_import(args.file, date.today()),
        summary=lambda p: f"läggs till {len(p.adds)}, uppdateras {len(p.updates)}, "
        f"oförändrade {p.unchanged}, fel {len(p.errors)}.",
        apply=lambda ws, p: ws.apply_staff_import(p),
        done=lambda o: f"Klart: {o.added} tillagda, {o.updated} uppdaterade.",
    )


#: The reporting years the app accepts.
MIN_YEAR, MAX_YEAR = 2000, 2100


def cmd_import_assessments(args) -> int:
    if not _year_ok(args.year):
        return USAGE_ERROR

    def notes(p):
        if p.new_round:
            verb = "skulle skapas" if args.dry_run else "skapas"
            yield (f"Inventeringsomgången {args.year} finns inte och {verb} "
                   f"(referensdatum {p.round.reference_date.isoformat()}).")  # fmt: skip

    return _run_import(
        args,
        plan=lambda ws: ws.plan_assessment_import(args.file, args.year, date.today()),
        summary=lambda p: f"personer {p.people}, nivåer som sätts {len(p.sets)}, "
        f"töms {len(p.clears)}, oförändrade {p.unchanged}, fel {len(p.errors)}.",
        notes=notes,
        apply=lambda ws, p: ws.apply_assessment_import(p),
        done=lambda o: f"Klart: {o.set} nivåer satta, {o.cleared} tömda i inventeringsomgången {args.year}.",
    )


def cmd_import_trainings(args) -> int:
    def done(o) -> str:
        if not any(o[:5]):
            return f"Klart: ingenting att ändra, alla {o.unchanged} tillfällen i filen finns redan så."
        return (f"Klart: {o.trainings_added} utbildningar tillagda, {o.trainings_updated} uppdaterade; "
                f"{o.occasions_added} tillfällen tillagda, {o.occasions_updated} uppdaterade; "
                f"{o.participants_booked} deltagare bokade.")  # fmt: skip

    return _run_import(
        args,
        plan=lambda ws: ws.plan_training_import(args.file),
        summary=lambda p: f"utbildningar läggs till {p.trainings_added}, uppdateras {p.trainings_updated}; "
        f"tillfällen läggs till {p.occasions_added}, uppdateras {p.occasions_updated}; "
        f"deltagare bokas {p.participants_booked}; oförändrade {p.unchanged}, fel {len(p.errors)}.",
        apply=lambda ws, p: ws.apply_training_import(p),
        done=done,
    )


def _export_format(args, formats) -> str:
    """The format of an export command (``formats``: an ``exchange.formats.ExportFormats``):
    ``--format``, else what the ending of ``--output`` means. ``FormatError`` (a usage error,
    nothing written) when it is none of them or the name does not fit it."""
    from bouv_tui.exchange.formats import FormatError, words

    fmt = args.format.lower() if args.format else formats.of_name(args.output)
    if fmt is None:
        endings = dict.fromkeys(formats.suffixes[f] for f in formats.names)
        raise FormatError(f"Formatet framgår inte av filnamnet {args.output.name}: ange --format "
                          f"{words(formats.names)}, eller en fil som slutar på {words(list(endings))}.")  # fmt: skip
    return formats.check(fmt, args.output)


def cmd_export_staff(args) -> int:
    from bouv_tui.exchange.formats import STAFF
    from bouv_tui.services import Workspace

    fmt = _export_format(args, STAFF)
    # A folder, a missing or read-only folder, a read-only file, a failed write: an
    # ExportError (exit 1, nothing written), the same path as export submission.
    workspace = Workspace.open(_database(args), backup=False)
    workspace.export_staff(fmt, args.output, date.today())
    print(f"Personalregistret är sparat i {args.output}")
    return DONE


def _year_ok(year: int) -> bool:
    """Whether ``--year`` is a reporting year the app accepts; says why not on stderr."""
    if MIN_YEAR <= year <= MAX_YEAR:
        return True
    print(f"bouv-tui: --year ska vara ett år från {MIN_YEAR} till {MAX_YEAR}, inte {year}.", file=sys.stderr)
    return False


def _need_model():
    from bouv_tui.config import load_config

    loaded = load_config(paths.config_file())
    for notice in loaded.notices:
        print(f"bouv-tui: {notice}", file=sys.stderr)
    return loaded.config.need_model


def _problem_count(problems) -> str:
    from bouv_tui.domain.submission import ERROR

    errors = sum(1 for p in problems if p.severity == ERROR)
    warnings = len(problems) - errors
    parts = [f"{errors} fel"] if errors else []
    if warnings:
        parts.append(f"{warnings} {'varning' if warnings == 1 else 'varningar'}")
    return " och ".join(parts)


def cmd_check(args) -> int:
    """Print what keeps the submission for the year from being complete (names allowed: this
    is the chef's own screen), and the financial report's checks when the year has a state
    grant; exit 1 when there are errors."""
    from bouv_tui.domain.submission import has_errors
    from bouv_tui.services import Workspace

    if not _year_ok(args.year):
        return USAGE_ERROR
    workspace = Workspace.open(_database(args), backup=False)
    _submission, problems = workspace.check_submission(args.year, _need_model())
    if not problems:
        print(f"Inventeringen {args.year} är komplett: inga problem.")
    else:
        print(f"Inventeringen {args.year}: {_problem_count(problems)}.")
        _print_problems(problems)
    finance: list = []
    if any(s.kind == "statsbidrag" for s in workspace.sources(args.year)):
        _report, finance = workspace.finance_report(args.year)
        if finance:
            print(f"Ekonomisk redovisning {args.year}: {_problem_count(finance)}.")
            _print_problems(finance)
        else:
            print(f"Ekonomisk redovisning {args.year}: inga problem.")
    return DATA_ERROR if has_errors([*problems, *finance]) else DONE


def _print_problems(problems) -> None:
    from bouv_tui.domain.submission import ERROR

    for problem in problems:
        severity = "Fel" if problem.severity == ERROR else "Varning"
        print(f"  {severity:<8} {problem.label}: {problem.shown()}")


def cmd_export_submission(args) -> int:
    from bouv_tui.exchange.formats import SUBMISSION
    from bouv_tui.services import Workspace

    if not _year_ok(args.year):
        return USAGE_ERROR
    fmt = _export_format(args, SUBMISSION)  # before the file is opened: a zip named .csv is refused too
    # A folder, a missing or read-only folder, a read-only file, a failed write: an
    # ExportError (exit 1, nothing written), the same path as export staff.
    workspace = Workspace.open(_database(args), backup=False)
    result = workspace.export_submission_checked(args.year, fmt, args.output, _need_model())
    print(f"Inventeringen {args.year} är sparad som {fmt} i {result.path}")
    if result.problems:
        print(
            f"Utkast: {len(result.problems)} problem kvar ({_problem_count(result.problems)}); "
            f"de står i filen. Kör bouv-tui check --year {args.year} för detaljer."
        )
    else:
        print("Inga problem: inventeringen är komplett.")
    return DONE


def cmd_export_plan(args) -> int:
    from bouv_tui.exchange.formats import PLAN
    from bouv_tui.services import Workspace

    if not _year_ok(args.year):
        return USAGE_ERROR
    fmt = _export_format(args, PLAN)
    if args.with_names and fmt != "ics":
        print(f"bouv-tui: --with-names gäller bara ics (kalendern): {fmt}-filen "
              f"{'har alltid deltagarnas namn' if fmt == 'xlsx' else 'anger deltagarna med personal_id'}. "
              "Ingenting har sparats.", file=sys.stderr)  # fmt: skip
        return USAGE_ERROR
    # A folder, a missing or read-only folder, a read-only file, a failed write: an
    # ExportError (exit 1, nothing written), the same path as the other exports.
    workspace = Workspace.open(_database(args), backup=False)
    path = workspace.export_plan(args.year, fmt, args.output, with_names=args.with_names)
    print(f"Utbildningsplanen {args.year} är sparad som {fmt} i {path}")
    if fmt == "ics":
        print("Med deltagarnas namn." if args.with_names else "Utan deltagarnas namn (lägg till --with-names för dem).")
    return DONE


def cmd_import_grant(args) -> int:
    """Add a funding source with its rules from a grant file, or update the one with its name
    and year; a wrong file is refused whole, naming the key and the line."""
    from bouv_tui.exchange.tables import ImportFileError
    from bouv_tui.services import Workspace

    if not args.file.is_file():
        print(f"bouv-tui: filen {args.file} finns inte.", file=sys.stderr)
        return USAGE_ERROR
    workspace = Workspace.open(_database(args))
    try:
        source, added = workspace.import_grant(args.file)
    except ImportFileError as exc:
        print(f"bouv-tui: {exc}", file=sys.stderr)
        print("Ingenting har importerats.", file=sys.stderr)
        return DATA_ERROR
    finally:
        workspace.close()
    from bouv_tui.domain.budget import kronor

    verb = "tillagd" if added else "uppdaterad (samma namn och år; utgifterna är kvar)"
    print(f"Klart: {source.name} {source.year} {verb}: utbetalt {kronor(source.paid_out)}, "
          f"{len(source.caps)} tak.")  # fmt: skip
    return DONE


def cmd_import_expenses(args) -> int:
    return _run_import(
        args,
        plan=lambda ws: ws.plan_expense_import(args.file),
        summary=lambda p: p.summary() + ".",
        apply=lambda ws, p: ws.apply_expense_import(p),
        done=lambda outcome: outcome,
    )


def cmd_export_finance(args) -> int:
    from bouv_tui.exchange.formats import FINANCE
    from bouv_tui.services import Workspace

    if not _year_ok(args.year):
        return USAGE_ERROR
    fmt = _export_format(args, FINANCE)
    workspace = Workspace.open(_database(args), backup=False)
    path, problems = workspace.export_finance_checked(args.year, fmt, args.output)
    print(f"Den ekonomiska redovisningen {args.year} är sparad som {fmt} i {path}")
    if problems:
        print(f"{_problem_count(problems).capitalize()}; kör bouv-tui check --year {args.year} för detaljer.")
    return DONE


def cmd_export_budget(args) -> int:
    from bouv_tui.exchange.formats import BUDGET
    from bouv_tui.services import Workspace

    if not _year_ok(args.year):
        return USAGE_ERROR
    _export_format(args, BUDGET)
    workspace = Workspace.open(_database(args), backup=False)
    path = workspace.export_budget(args.year, args.output)
    print(f"Budget mot utfall {args.year} är sparad i {path}")
    return DONE


def cmd_export_grant(args) -> int:
    from bouv_tui.services import Workspace

    if not _year_ok(args.year):
        return USAGE_ERROR
    if args.output.suffix.lower() != ".toml":
        print(f"bouv-tui: en bidragsfil är TOML: {args.output.name} ska sluta på .toml. Ingenting har sparats.",
              file=sys.stderr)  # fmt: skip
        return USAGE_ERROR
    workspace = Workspace.open(_database(args), backup=False)
    path = workspace.export_grant(args.name, args.year, args.output)
    print(f"{args.name} {args.year} är sparad som bidragsfil i {path}")
    return DONE


def cmd_backups(args) -> int:
    """List the database's backups, newest first: when, how large, what they hold, whether whole."""
    from bouv_tui import fmt
    from bouv_tui.store import db

    database = _database(args)
    found = db.describe_backups(database)
    if not found:
        print(f"Det finns inga säkerhetskopior av {database} ännu. En tas i {db.backup_dir(database)} "
              "när databasen öppnas och har ändrats sedan förra kopian.")  # fmt: skip
        return DONE
    print(f"Säkerhetskopior av {database}, nyast först (i {db.backup_dir(database)}):")
    print(f"  {'datum':<19}  {'storlek':>9}  {'personer':>8}  {'omgångar':>8}  {'kontroll':<8}  fil")
    for info in found:
        people = "–" if info.people is None else str(info.people)
        rounds = "–" if info.rounds is None else str(info.rounds)
        check = "ok" if info.ok else "skadad"
        note = ""
        if info.kept:
            note += "  (kopia före återställning)"
        if not info.ok and info.problem and not info.problem.startswith("skadad"):
            note += f"  ({info.problem})"
        print(f"  {info.taken:%Y-%m-%d %H:%M:%S}  {fmt.size(info.size):>9}  {people:>8}  {rounds:>8}  "
              f"{check:<8}  {info.path.name}{note}")  # fmt: skip
    print(f"Återställ en kopia med: bouv-tui --db {shlex.quote(str(database))} restore FILNAMN")
    return DONE


def cmd_restore(args) -> int:
    """Put a backup in the database's place, after a copy of the current file."""
    from bouv_tui.store import db

    database = _database(args)
    backup = db.find_backup(database, args.backup)
    if backup is None:
        print(f"bouv-tui: säkerhetskopian {args.backup} finns inte, varken som fil eller i "
              f"{db.backup_dir(database)}. Ingenting har ändrats. Se vilka som finns med: "
              f"bouv-tui --db {shlex.quote(str(database))} backups", file=sys.stderr)  # fmt: skip
        return USAGE_ERROR
    done = db.restore_backup(database, backup)
    if done.previous is not None:
        print(f"Den tidigare filen är sparad som {done.previous}.")
    info = done.backup
    print(f"Återställt: {database} är nu säkerhetskopian {backup.name} från {info.taken:%Y-%m-%d %H:%M:%S} "
          f"({info.people} personer, {info.rounds} omgångar).")  # fmt: skip
    return DONE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
