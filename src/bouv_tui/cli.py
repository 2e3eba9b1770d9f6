"""The ``bouv-tui`` command: parses arguments, calls the services, sets exit codes.

Exit codes: 0 done; 1 the data has errors (nothing written); 2 the command was used wrongly.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
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

    exp = commands.add_parser("export", help="skriv data till fil")
    exp_kinds = exp.add_subparsers(dest="kind", metavar="TYP", parser_class=SwedishParser, required=True)
    staff_out = exp_kinds.add_parser("staff", help="personalregistret som CSV eller XLSX")
    staff_out.add_argument("--format", choices=("csv", "xlsx"), default=None, help="standard: filändelsen")
    staff_out.add_argument("--output", type=Path, required=True, metavar="PATH")
    sub_out = exp_kinds.add_parser("submission", help="inventeringen för ett redovisningsår (json, xlsx, csv, txt)")
    sub_out.add_argument("--year", type=int, required=True, metavar="YEAR", help="redovisningsåret")
    sub_out.add_argument(
        "--format", default=None, metavar="FORMAT",
        help="json, xlsx, csv (en zip-fil med tabeller) eller txt; standard: filändelsen",
    )  # fmt: skip
    sub_out.add_argument("--output", type=Path, required=True, metavar="PATH")

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
    from bouv_tui.store.db import StoreError

    try:
        if args.command is None:
            return run_app(args)
        if args.command == "demo":
            return cmd_demo(args)
        if args.command == "import":
            if args.kind == "assessments":
                return cmd_import_assessments(args)
            return cmd_import_staff(args)
        if args.command == "export":
            if args.kind == "submission":
                return cmd_export_submission(args)
            return cmd_export_staff(args)
        if args.command == "check":
            return cmd_check(args)
    except StoreError as exc:
        print(f"bouv-tui: {exc}", file=sys.stderr)
        return USAGE_ERROR if exc.__class__.__name__ == "UnsupportedLocation" else DATA_ERROR
    except KeyboardInterrupt:
        return DATA_ERROR
    except BrokenPipeError:
        # The reader stopped reading (e.g. `bouv-tui check | head`): no traceback, and
        # nothing more to write (Python's own recipe: what is left goes to /dev/null).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return DATA_ERROR
    return USAGE_ERROR


def run_app(args) -> int:
    database = _database(args)
    if args.demo and not database.exists():
        from bouv_tui.demo import write_demo

        write_demo(database)
    app = start_app(database, demo=args.demo)
    app.run()
    finish_app(app)
    return app.return_code or DONE


def start_app(database: Path, *, demo: bool = False, start: str | None = None):
    """Open the file and build the app, the way ``bouv-tui`` starts (the benchmarks start it here too).

    Python's cyclic garbage collector would otherwise run dozens of times while the UI is
    imported and the first screen is built: at national scale that is about a tenth of a
    second before the first frame. It is paused here; the app freezes what the start
    made (those objects are never scanned again) and resumes it once the first screen is up.
    The app also takes the CSS parsed at an earlier start from the user's cache folder
    (``tui/css_cache.py``); ``finish_app`` keeps what this start parsed.
    """
    gc.disable()
    try:
        from bouv_tui.config import load_config
        from bouv_tui.services import Workspace

        workspace = Workspace.open(database)
    except BaseException:
        gc.enable()
        raise
    if start in (None, "start"):
        # The app opens on the start screen: its figures are counted while the UI is imported.
        workspace.prefetch_dashboard(date.today())
    from bouv_tui.tui.app import BouvApp

    return BouvApp(database, loaded_config=load_config(paths.config_file()), demo=demo, workspace=workspace,
                   start=start, gc_paused=True, css_cache=css_cache_file())  # fmt: skip


def finish_app(app) -> None:
    """After ``app.run()``: what ``start_app`` set up is put back or kept for the next start."""
    gc.enable()  # in case the app ended before it resumed the collector itself
    if app.parsed_css is not None:
        app.parsed_css.save()  # what was parsed, the first screen's and any section's opened later
    app.workspace.close()


def css_cache_file() -> Path:
    from bouv_tui.tui.css_cache import cache_file

    return cache_file(paths.cache_dir())


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
    if not MIN_YEAR <= args.year <= MAX_YEAR:
        print(f"bouv-tui: --year ska vara ett år från {MIN_YEAR} till {MAX_YEAR}, inte {args.year}.", file=sys.stderr)
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


def cmd_export_staff(args) -> int:
    from bouv_tui.services import Workspace

    fmt = args.format or args.output.suffix.lower().lstrip(".")
    if fmt not in ("csv", "xlsx"):
        print("bouv-tui: ange --format csv eller xlsx, eller en fil som slutar på .csv eller .xlsx.", file=sys.stderr)
        return USAGE_ERROR
    if not args.output.parent.is_dir():
        print(f"bouv-tui: mappen {args.output.parent} finns inte.", file=sys.stderr)
        return USAGE_ERROR
    workspace = Workspace.open(_database(args), backup=False)
    workspace.export_staff(fmt, args.output, date.today())
    print(f"Personalregistret är sparat i {args.output}")
    return DONE


def _year_ok(year: int) -> bool:
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


#: File ending → submission format, when --format is not given (csv is written as a zip).
_SUBMISSION_SUFFIXES = {".json": "json", ".xlsx": "xlsx", ".zip": "csv", ".csv": "csv", ".txt": "txt"}


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
    is the chef's own screen); exit 1 when there are errors."""
    from bouv_tui.domain.submission import ERROR, has_errors
    from bouv_tui.services import Workspace

    if not _year_ok(args.year):
        return USAGE_ERROR
    workspace = Workspace.open(_database(args), backup=False)
    _submission, problems = workspace.check_submission(args.year, _need_model())
    if not problems:
        print(f"Inventeringen {args.year} är komplett: inga problem.")
        return DONE
    print(f"Inventeringen {args.year}: {_problem_count(problems)}.")
    for problem in problems:
        severity = "Fel" if problem.severity == ERROR else "Varning"
        print(f"  {severity:<8} {problem.label}: {problem.shown()}")
    return DATA_ERROR if has_errors(problems) else DONE


def cmd_export_submission(args) -> int:
    from bouv_tui.services import SUBMISSION_FORMATS, Workspace

    if not _year_ok(args.year):
        return USAGE_ERROR
    fmt = (args.format or _SUBMISSION_SUFFIXES.get(args.output.suffix.lower(), "")).lower()
    if fmt not in SUBMISSION_FORMATS:
        given = f"okänt format {args.format!r}" if args.format else "formatet framgår inte av filnamnet"
        print(
            f"bouv-tui: {given}: ange --format json, xlsx, csv eller txt "
            "(eller en fil som slutar på .json, .xlsx, .zip eller .txt).",
            file=sys.stderr,
        )
        return USAGE_ERROR
    folder = args.output.parent
    if not folder.is_dir():
        print(f"bouv-tui: mappen {folder} finns inte. Skapa den eller välj en annan plats.", file=sys.stderr)
        return USAGE_ERROR
    if args.output.is_dir():
        print(f"bouv-tui: {args.output} är en mapp; ange ett filnamn.", file=sys.stderr)
        return USAGE_ERROR
    workspace = Workspace.open(_database(args), backup=False)
    try:
        result = workspace.export_submission_checked(args.year, fmt, args.output, _need_model())
    except OSError as exc:
        reason = exc.strerror or exc
        print(f"bouv-tui: {args.output} kunde inte skrivas: {reason}. Ingenting har sparats.", file=sys.stderr)
        return DATA_ERROR
    print(f"Inventeringen {args.year} är sparad som {fmt} i {result.path}")
    if result.problems:
        print(
            f"Utkast: {len(result.problems)} problem kvar ({_problem_count(result.problems)}); "
            f"de står i filen. Kör bouv-tui check --year {args.year} för detaljer."
        )
    else:
        print("Inga problem: inventeringen är komplett.")
    return DONE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
