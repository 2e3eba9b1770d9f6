"""The App: sections as modes, global keys, the command palette, the one error path."""

from __future__ import annotations

import gc
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rich.markup import escape
from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen

from bouv_tui import paths
from bouv_tui.config import Config, LoadedConfig
from bouv_tui.domain.settings import MunicipalitySettings
from bouv_tui.errors import BouvError
from bouv_tui.services import Workspace
from bouv_tui.tui.screens.base import BackgroundWork, HelpTopic, SectionScreen

#: The palette's commands that work from every section: (title, help, section, its action).
ANYWHERE = (
    ("Importera personal", "Läs in personal från CSV eller XLSX (F3, sedan i)", "roster", "import"),
    ("Exportera personal", "Skriv registret till CSV eller XLSX (F3, sedan x)", "roster", "export"),
    ("Lägg till person", "Ny person i personalregistret (F3, sedan a)", "roster", "add"),
    ("Importera bedömningar", "Nivåer från CSV eller XLSX (F4, sedan i)", "assessment", "import"),
    ("Ny inventeringsomgång", "Tom eller med förra omgångens nivåer (F4, sedan n)", "assessment", "new_round"),
    ("Exportera inlämningen", "JSON, XLSX, CSV (zip) eller text (F7, sedan x)", "submission", "export"),
)

#: In the cache folder: the folder last imported from or exported to.
LAST_FOLDER_FILE = "senaste-mapp.txt"


def _read_last_folder() -> Path | None:
    try:
        text = (paths.cache_dir() / LAST_FOLDER_FILE).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return Path(text) if text else None


#: What the app ends with when the user chose to restore a backup from the error dialog.
RESTORE = "restore"

#: Seconds after start before the write path is loaded in a background thread.
WARM_UP_AFTER_S = 1.0
#: Seconds between looks at whether another window or program changed the file (0: never).
FOLLOW_EVERY_S = 2.0

#: What is frozen out of the garbage collector's way may grow to this many times what was
#: alive after its last full pass; then one full pass frees the reference cycles among what
#: was frozen and has been dropped since (``BouvApp.data_shown``).
FROZEN_GROWTH = 1.5

@dataclass(frozen=True)
class Section:
    """A section of the app: its mode name, its key, its label and where its screen is.

    ``screen`` imports the screen's module when the section is first opened (a start
    imports only the first section's) and answers its class; it is a function with a plain
    import in it, so that a reader, a type checker and import-linter can follow it."""

    name: str
    key: str
    label: str
    screen: Callable[[], type[SectionScreen]]


def _dashboard() -> type[SectionScreen]:
    from bouv_tui.tui.screens.dashboard import DashboardScreen

    return DashboardScreen


def _roster() -> type[SectionScreen]:
    from bouv_tui.tui.screens.roster import RosterScreen

    return RosterScreen


def _assessment() -> type[SectionScreen]:
    from bouv_tui.tui.screens.assessment import AssessmentScreen

    return AssessmentScreen


def _needs() -> type[SectionScreen]:
    from bouv_tui.tui.screens.needs import NeedsScreen

    return NeedsScreen


def _questionnaire() -> type[SectionScreen]:
    from bouv_tui.tui.screens.questionnaire import QuestionnaireScreen

    return QuestionnaireScreen


def _submission() -> type[SectionScreen]:
    from bouv_tui.tui.screens.submission import SubmissionScreen

    return SubmissionScreen


def _plan() -> type[SectionScreen]:
    from bouv_tui.tui.screens.plan import PlanScreen

    return PlanScreen


def _budget() -> type[SectionScreen]:
    from bouv_tui.tui.screens.budget import BudgetScreen

    return BudgetScreen


#: The sections, in the order of their keys. A new section is a module with a
#: ``SectionScreen`` subclass, a function like those above and one line here.
SECTIONS: dict[str, Section] = {
    section.name: section
    for section in (
        Section("start", "f2", "Start", _dashboard),
        Section("roster", "f3", "Personal", _roster),
        Section("assessment", "f4", "Bedömning", _assessment),
        Section("needs", "f5", "Behov", _needs),
        Section("questionnaire", "f6", "Frågor", _questionnaire),
        Section("submission", "f7", "Inlämning", _submission),
        Section("plan", "f8", "Plan", _plan),
        Section("budget", "f9", "Budget", _budget),
    )
}


def _screen_factory(section: Section) -> Callable[[], Screen]:
    return lambda: section.screen()()


#: How many notices ``BouvApp.shown_notices`` keeps.
NOTICES_KEPT = 200


class BouvApp(BackgroundWork, App):
    CSS_PATH = "app.tcss"
    TITLE = "bouv-tui"
    ENABLE_COMMAND_PALETTE = True
    MODES = {name: _screen_factory(section) for name, section in SECTIONS.items()}
    DEFAULT_MODE = "start"

    #: The round (reporting year) the user works on: one choice for every section. None until
    #: the first section read the rounds (then ``current_round``'s), and when there is none.
    year: reactive[int | None] = reactive(None, init=False)

    BINDINGS = [
        Binding("f1", "help", "Hjälp", id="app.help", tooltip="Hjälp för den här delen"),
        *(
            Binding(s.key, f"switch_mode('{name}')", s.label, id=f"app.section.{name}", tooltip=f"Gå till {s.label}")
            for name, s in SECTIONS.items()
        ),
        Binding("ctrl+q", "quit", "Avsluta", id="app.quit", tooltip="Avsluta bouv-tui", priority=True),
    ]

    def __init__(
        self,
        database: Path,
        *,
        loaded_config: LoadedConfig | None = None,
        demo: bool = False,
        today: Callable[[], date] | None = None,
        workspace: Workspace | None = None,
        start: str | None = None,
        gc_paused: bool = False,
    ):
        if start is not None:
            if start not in SECTIONS:
                raise ValueError(f"unknown section: {start}")
            self.DEFAULT_MODE = start  # read by App.__init__ to pick the first screen
        super().__init__()
        #: The session's notices, oldest first (the last NOTICES_KEPT): what a test, or a
        #: history of messages, reads; Textual's own list is private.
        self.shown_notices: deque[str] = deque(maxlen=NOTICES_KEPT)
        self._init_work()
        #: Counts changes to the file (made elsewhere, or by a save here): a screen that showed
        #: an older count reads its data again when it is next shown.
        self.data_generation = 0
        self._follow_failed = False
        self.workspace = workspace or Workspace(database)
        self.loaded_config = loaded_config or LoadedConfig(Config(), [], paths.config_file())
        self.config = self.loaded_config.config
        self.demo = demo
        self._today = today or date.today
        #: True when the start paused Python's garbage collector (cli.start_app): it is
        #: resumed, after freezing what the start made, once the first frame is on screen
        #: (``on_ready``; and in any case when the app ends, ``cli.finish_app``).
        self._gc_paused = gc_paused
        #: A freeze of what the sections show is asked for (``data_shown``) and not yet made.
        self._freeze_asked = False
        #: Objects frozen right after the last full pass of the collector (0: none yet).
        self._frozen_live = 0
        self._title_settings = MunicipalitySettings()
        self._update_title(self._title_settings)

    def notify(self, message: str, *, title: str = "", severity="information", timeout: float | None = None,
               markup: bool = True) -> None:  # fmt: skip
        """Textual's notice, and kept in ``shown_notices``."""
        self.shown_notices.append(message)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def today(self) -> date:
        return self._today()

    def export_folder(self) -> Path:
        """Where the export dialog starts: the folder last exported to or imported from (kept
        between runs in the cache folder), else Dokument, else the home folder."""
        last = _read_last_folder()
        if last is not None and last.is_dir():
            return last
        folder = paths.documents_dir()
        return folder if folder.is_dir() else Path.home()

    def remember_folder(self, folder: Path) -> None:
        """The folder of a file just chosen for an import or an export: the next dialog starts there."""
        from bouv_tui.exchange.atomic import write_bytes_atomically

        folder = Path(folder).expanduser().resolve()
        try:
            target = paths.cache_dir() / LAST_FOLDER_FILE
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            write_bytes_atomically(target, str(folder).encode("utf-8"))
        except OSError:
            pass  # only a convenience: the next dialog starts in Dokument instead

    def on_mount(self) -> None:
        wanted = self.config.ui.theme if self.config.ui.theme in self.available_themes else self.theme
        if wanted != self.theme:  # setting the theme restyles everything: only when it changes
            self.theme = wanted
        if self.config.keys:
            self.set_keymap(self.config.keys)
        for notice in self.loaded_config.notices:
            self.notify(escape(notice), title="Inställningar", severity="warning", timeout=12)
        settings = self.workspace.settings()
        self._update_title(settings)
        if not settings.is_complete and not self.demo:
            from bouv_tui.tui.dialogs.settings_form import SettingsForm

            self.call_after_refresh(self.push_screen, SettingsForm(settings, first_run=True),
                                    lambda saved: self._settings_saved(saved, shown=settings))  # fmt: skip
        # Once the first screen is up and idle: load the write path (SQLModel) in the
        # background so that the first save does not wait for it.
        self.set_timer(WARM_UP_AFTER_S, self._warm_up)

    def on_ready(self) -> None:
        """The first frame is on screen: the garbage collector paused for the start runs again,
        and what the start made is frozen (never scanned by it again)."""
        if self._gc_paused:
            self._gc_paused = False
            gc.freeze()
            gc.enable()

    def on_unmount(self) -> None:
        # What this app froze (``data_shown``) is the collector's again once the app has ended.
        gc.unfreeze()

    # --- memory -----------------------------------------------------------------------------

    def data_shown(self) -> None:
        """A section has read and shown its data: after the next refresh, what is alive then is
        moved out of the cyclic garbage collector's way (``gc.freeze``). At national scale the
        sections hold about 300 000 objects (the roster, a round's 60 000 assessments, the
        screens); each full pass of the collector walked them all, 100–200 ms at a random
        moment (a slow section switch). Frozen objects are still freed when nothing refers to
        them, but reference cycles among them are found only by a full pass (a table filled
        again leaves about 30 000 such objects at national scale): when the frozen objects have
        grown to ``FROZEN_GROWTH`` times what was alive after the last full pass (or the first
        freeze), one full pass is made then, after data was read and shown, not during a
        switch. The app ends with nothing frozen (``on_unmount``)."""
        if self._freeze_asked or self._gc_paused:  # paused: the start freezes once it resumes
            return
        self._freeze_asked = True
        self.call_after_refresh(self._freeze_shown)

    def _freeze_shown(self) -> None:
        self._freeze_asked = False
        if self._gc_paused or not gc.isenabled():
            return
        gc.collect(1)  # the young generations: the newest objects that are garbage already
        gc.freeze()
        frozen = gc.get_freeze_count()
        if not self._frozen_live:
            self._frozen_live = frozen  # the first freeze: what the app holds now
        elif frozen > self._frozen_live * FROZEN_GROWTH:
            gc.unfreeze()
            gc.collect()  # the one full pass, over everything
            gc.freeze()
            self._frozen_live = gc.get_freeze_count()

    @work(thread=True, exit_on_error=False, group="warm-up", name="Förbered skrivning")
    def _warm_up(self) -> None:
        # Loads the write path (SQLModel, the engine) and starts watching the file.
        self.workspace.changed_elsewhere()
        if FOLLOW_EVERY_S:
            self.call_from_thread(self.set_interval, FOLLOW_EVERY_S, self.check_for_changes)

    # --- following the file -----------------------------------------------------------------

    def check_for_changes(self) -> None:
        """Whether another window or program changed the file (asked in a worker: it waits for
        the writer thread); if so, the screen shown reads its data again. The timer calls this."""
        self._check_changes()

    @work(thread=True, exclusive=True, exit_on_error=False, group="follow", name="Följ filen")
    def _check_changes(self) -> None:
        try:
            changed = self.workspace.changed_elsewhere()
        except Exception as error:  # noqa: BLE001 - said once, not every two seconds
            if not self._follow_failed:
                self._follow_failed = True
                self.call_from_thread(self.report_error, "Filen kunde inte följas", error)
            return
        self._follow_failed = False
        if changed:
            self.call_from_thread(self.data_changed)

    def data_changed(self, by=None) -> None:
        """The file changed (elsewhere, or by a save made by ``by``): the section shown reads
        its data again, unless it made the change itself; the others when next shown."""
        up_to_date = isinstance(by, SectionScreen) and by.generation == self.data_generation
        self.data_generation += 1
        if up_to_date:
            by.generation = self.data_generation
        shown = self.section_screen()
        if shown is not None and shown is not by:
            shown.follow()

    def section_screen(self) -> SectionScreen | None:
        """The section under any dialogs."""
        return next((s for s in reversed(self.screen_stack) if isinstance(s, SectionScreen)), None)

    def reload_data(self) -> None:
        shown = self.section_screen()
        if shown is not None:
            shown.follow()

    def _update_title(self, settings: MunicipalitySettings | None = None) -> None:
        """The header: section · round · kommun · file (and DEMO for the demo database)."""
        settings = self._title_settings = settings or self._title_settings
        self.title = f"bouv-tui – {settings.kommun}" if settings.kommun else "bouv-tui"
        parts = ["DEMO"] if self.demo else []
        parts += [f"Omgång {self.year}"] if self.year is not None else []  # before what a narrow header cuts
        parts += [settings.kommun] if settings.kommun else []
        self.sub_title = " · ".join([*parts, self.workspace.path.name])

    # --- the round worked on ----------------------------------------------------------------

    def watch_year(self, year: int | None) -> None:
        """Another round chosen (here, or after a deletion): the title says it, the section shown
        reads it now (a dialog over it stays), the hidden ones when next shown."""
        self._update_title()
        shown = self.section_screen()
        if shown is not None and shown.FOLLOWS_YEAR and shown.year != year:
            shown.year_changed()

    def open_reassessment(self, staff_ids: list[int], areas: list[str], why: str) -> None:
        """Bedömning (F4) on only ``staff_ids`` and ``areas`` (after a training they finished):
        the chef sets the new levels; nothing is changed by itself."""
        self.switch_mode("assessment")
        screen = self.section_screen()
        if screen is not None and hasattr(screen, "focus_people"):
            screen.focus_people(staff_ids, areas, why)

    def action_choose_round(self) -> None:
        """Ask which round to work on (``o`` in each section, the palette's "Byt inventeringsomgång")."""
        from bouv_tui.tui.dialogs.rounds import choose_round

        try:
            rounds = self.workspace.rounds()
        except Exception as error:  # noqa: BLE001 - the one error path
            self.report_error("Omgångarna kunde inte läsas", error)
            return

        def chosen(year: int) -> None:
            self.year = year

        choose_round(self, rounds, self.year, chosen)

    # --- settings -----------------------------------------------------------------------

    def action_settings(self) -> None:
        self.edit_settings()

    def edit_settings(self, after_save: Callable[[MunicipalitySettings], None] | None = None) -> None:
        """The settings form; when the chef saves, the settings are stored (in a worker) and
        then ``after_save`` gets what was stored (e.g. a screen showing the contact block)."""
        from bouv_tui.tui.dialogs.settings_form import SettingsForm

        shown = self.workspace.settings()
        self.push_screen(SettingsForm(shown), lambda s: self._settings_saved(s, after_save, shown))

    def _settings_saved(self, settings: MunicipalitySettings | None, after_save=None,
                        shown: MunicipalitySettings | None = None) -> None:  # fmt: skip
        if settings is None:
            if not self.workspace.settings().is_complete:
                self.notify("Kommun och kontaktperson kan anges senare: Ctrl+P → Inställningar.")
            return
        ws = self.workspace

        def saved(stored: MunicipalitySettings) -> None:
            self._update_title(stored)
            self.notify(f"{escape(stored.kommun)} och kontaktuppgifterna är sparade.")
            if after_save is not None:
                after_save(stored)

        self.run_job(
            "Inställningarna sparades inte",
            lambda: ws.save_settings(settings, shown=shown),
            saved,
            force=lambda: ws.save_settings(settings, shown=shown, force=True),
        )

    # --- help, commands, errors -------------------------------------------------------------

    def action_help(self) -> None:
        from bouv_tui.tui.dialogs.common import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        screen = self.screen
        self.push_screen(HelpScreen(screen.HELP_TOPIC if isinstance(screen, (SectionScreen, HelpTopic)) else "general"))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for name, section in SECTIONS.items():
            yield SystemCommand(f"Gå till {section.label}", f"Avsnittet {section.label} ({section.key.upper()})",
                                lambda name=name: self.switch_mode(name))  # fmt: skip
        # Each section offers its own main actions: (title, help, callback) from ``commands()``.
        own = list(screen.commands()) if isinstance(screen, SectionScreen) else []
        for title, help_text, callback in own:
            yield SystemCommand(title, help_text, callback)
        # The main actions of the other sections, from anywhere: the palette goes there and does it.
        titles = {title for title, _help, _callback in own}
        for title, help_text, mode, action in ANYWHERE:
            if title not in titles:
                yield SystemCommand(title, help_text, lambda mode=mode, action=action: self.run_in(mode, action))
        yield SystemCommand("Byt inventeringsomgång", "Omgången (redovisningsåret) som alla delar visar (o)",
                            self.action_choose_round)  # fmt: skip
        yield SystemCommand("Inställningar: kommun och kontaktperson", "Inventeringens kontaktuppgifter",
                            self.action_settings)  # fmt: skip
        yield SystemCommand("Hjälp", "Hjälp för den här delen (F1)", self.action_help)
        yield SystemCommand("Avsluta", "Avsluta bouv-tui (Ctrl+Q)", self.exit)

    def run_in(self, mode: str, action: str) -> None:
        """Go to a section and run one of its actions there (a palette command from elsewhere)."""
        self.switch_mode(mode)
        self.call_after_refresh(lambda: self.screen.run_action(action))

    def action_command_palette(self) -> None:
        """The command palette, with a Swedish prompt."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder="Skriv vad du vill göra, t.ex. importera …",
                                            id="--command-palette"))  # fmt: skip

    def report_error(self, title: str, error: BaseException | None) -> None:
        """The one error path, matched by class: what stops the work (the store, a file, the
        unexpected) opens a dialog with a message a chef can act on; a value the form or the
        rules refuse is a notice. Conflicts are the screens' (``BackgroundWork.handle_error``)."""
        from bouv_tui.domain.needs import ChoiceError
        from bouv_tui.domain.questionnaire import AnswerError
        from bouv_tui.domain.validation import InvalidValue
        from bouv_tui.tui.dialogs.common import ErrorDialog

        if isinstance(error, (AnswerError, ChoiceError, InvalidValue)):
            self.notify(f"{escape(str(error))} Ingenting sparades.", title=escape(title), severity="error", timeout=10)
            return
        import sqlite3

        from bouv_tui.store import db

        if isinstance(error, sqlite3.DatabaseError) and not isinstance(error, sqlite3.OperationalError):
            # Damage found while working (a page read for the first time): as on open.
            error = db.CorruptDatabase(
                f"{self.workspace.path} är skadad och kan inte läsas ({error}). Ingenting har sparats halvvägs.",
                backup=db.latest_backup(self.workspace.path), restore_hint=True, database=self.workspace.path,
            )  # fmt: skip
        if isinstance(error, BouvError):
            message = str(error)
        elif isinstance(error, OSError):
            where = f" ({error.filename})" if error.filename else ""
            message = (f"Filen kunde inte läsas eller skrivas: {error.strerror or error}{where}. "
                       "Välj en annan mapp eller fil och försök igen.")  # fmt: skip
        else:
            message = f"Ett oväntat fel inträffade: {error!r}. Ingenting har sparats halvvägs."
        damaged = isinstance(error, (db.CorruptDatabase, db.NotBouvDatabase)) and bool(db.all_backups(self.workspace.path))

        def closed(choice: str | None) -> None:
            if choice == "restore":
                self.exit(RESTORE)  # cli.run_app shows the backups, then starts again on the restored file

        self.push_screen(ErrorDialog(title, message, offer_restore=damaged), closed)
