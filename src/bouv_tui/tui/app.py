"""The App: sections as modes, global keys, the command palette, the one error path."""

from __future__ import annotations

import gc
import importlib
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

from rich.markup import escape
from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from bouv_tui import paths
from bouv_tui.config import Config, LoadedConfig
from bouv_tui.domain.settings import MunicipalitySettings
from bouv_tui.services import Workspace
from bouv_tui.store.db import StoreError

#: Seconds after start before the write path is loaded in a background thread.
WARM_UP_AFTER_S = 1.0

#: Sections: mode name → (key, Swedish label, "module:Screen"). A section appears here when
#: it works. Each screen's module is imported when the section is first opened.
SECTIONS: dict[str, tuple[str, str, str]] = {
    "start": ("f2", "Start", "bouv_tui.tui.screens.dashboard:DashboardScreen"),
    "roster": ("f3", "Personal", "bouv_tui.tui.screens.roster:RosterScreen"),
    "assessment": ("f4", "Bedömning", "bouv_tui.tui.screens.assessment:AssessmentScreen"),
    "needs": ("f5", "Behov", "bouv_tui.tui.screens.needs:NeedsScreen"),
    "questionnaire": ("f6", "Frågor", "bouv_tui.tui.screens.questionnaire:QuestionnaireScreen"),
    "submission": ("f7", "Inlämning", "bouv_tui.tui.screens.submission:SubmissionScreen"),
}


def _screen_factory(target: str) -> Callable[[], Screen]:
    def make() -> Screen:
        module, name = target.split(":")
        return getattr(importlib.import_module(module), name)()

    return make


class BouvApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "bouv-tui"
    ENABLE_COMMAND_PALETTE = True
    MODES = {name: _screen_factory(target) for name, (_key, _label, target) in SECTIONS.items()}
    DEFAULT_MODE = "start"

    BINDINGS = [
        Binding("f1", "help", "Hjälp", id="app.help", tooltip="Hjälp för den här delen"),
        *(
            Binding(key, f"switch_mode('{name}')", label, id=f"app.section.{name}", tooltip=f"Gå till {label}")
            for name, (key, label, _screen) in SECTIONS.items()
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
        css_cache: Path | None = None,
    ):
        if start is not None:
            if start not in SECTIONS:
                raise ValueError(f"unknown section: {start}")
            self.DEFAULT_MODE = start  # read by App.__init__ to pick the first screen
        super().__init__()
        #: Parsed CSS kept between starts (``css_cache``: its file; None parses every time).
        self.parsed_css = None
        if css_cache is not None:
            from bouv_tui.tui.css_cache import ParsedCss

            self.parsed_css = ParsedCss(css_cache)
            self.parsed_css.install(self.stylesheet)
        self.workspace = workspace or Workspace(database)
        self.loaded_config = loaded_config or LoadedConfig(Config(), [], paths.config_file())
        self.config = self.loaded_config.config
        self.demo = demo
        self._today = today or date.today
        #: True when the start paused Python's garbage collector (cli.start_app): it is
        #: resumed, after freezing what the start made, once the first screen is up.
        self._gc_paused = gc_paused
        self._update_title(MunicipalitySettings())

    def today(self) -> date:
        return self._today()

    def export_folder(self) -> Path:
        folder = paths.documents_dir()
        return folder if folder.is_dir() else Path.home()

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
            from bouv_tui.tui.widgets.settings_form import SettingsForm

            self.call_after_refresh(self.push_screen, SettingsForm(settings, first_run=True), self._settings_saved)
        # Once the first screen is up and idle: resume the garbage collector, and load the
        # write path (SQLModel) in the background so that the first save does not wait for it.
        self.set_timer(WARM_UP_AFTER_S, self._after_start)

    def _after_start(self) -> None:
        if self._gc_paused:
            self._gc_paused = False
            gc.freeze()  # what the start made stays: never scanned again
            gc.enable()
        self._warm_up()

    @work(thread=True, exit_on_error=False, group="warm-up", name="Förbered skrivning")
    def _warm_up(self) -> None:
        if self.parsed_css is not None:
            self.parsed_css.save()  # what the first screen parsed, for the next start
        self.workspace.repo  # noqa: B018 - importing SQLModel and making the engine is the point

    def _update_title(self, settings: MunicipalitySettings) -> None:
        """The header: section · kommun · file (and DEMO for the demo database)."""
        self.title = f"bouv-tui – {settings.kommun}" if settings.kommun else "bouv-tui"
        parts = ["DEMO"] if self.demo else []
        parts += [settings.kommun] if settings.kommun else []
        self.sub_title = " · ".join([*parts, self.workspace.path.name])

    # --- settings -----------------------------------------------------------------------

    def action_settings(self) -> None:
        self.edit_settings()

    def edit_settings(self, after_save: Callable[[MunicipalitySettings], None] | None = None) -> None:
        """The settings form; when the chef saves, the settings are stored (in a worker) and
        then ``after_save`` gets what was stored (e.g. a screen showing the contact block)."""
        from bouv_tui.tui.widgets.settings_form import SettingsForm

        self.push_screen(SettingsForm(self.workspace.settings()), lambda s: self._settings_saved(s, after_save))

    def _settings_saved(self, settings: MunicipalitySettings | None, after_save=None) -> None:
        if settings is None:
            if not self.workspace.settings().is_complete:
                self.notify("Kommun och kontaktperson kan anges senare: Ctrl+P → Inställningar.")
            return
        self._save_settings(settings, after_save)

    @work(thread=True, exclusive=True, exit_on_error=False, group="settings", name="Spara inställningar")
    def _save_settings(self, settings: MunicipalitySettings, after_save=None) -> None:
        self.workspace.repo.save_settings(settings)
        self.call_from_thread(self._update_title, settings)
        self.call_from_thread(self.notify, f"{settings.kommun} och kontaktuppgifterna är sparade.")
        if after_save is not None:
            self.call_from_thread(after_save, self.workspace.settings())

    # --- help, commands, errors -------------------------------------------------------------

    def action_help(self) -> None:
        from bouv_tui.tui.widgets.dialogs import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(getattr(self.screen, "HELP_TOPIC", "roster")))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for name, (key, label, _screen) in SECTIONS.items():
            yield SystemCommand(f"Gå till {label}", f"Avsnittet {label} ({key.upper()})",
                                lambda name=name: self.switch_mode(name))  # fmt: skip
        # Each section offers its own main actions: (title, help, callback) from ``commands()``.
        for title, help_text, callback in getattr(screen, "commands", lambda: ())():
            yield SystemCommand(title, help_text, callback)
        yield SystemCommand("Inställningar: kommun och kontaktperson", "Inventeringens kontaktuppgifter",
                            self.action_settings)  # fmt: skip
        yield SystemCommand("Hjälp", "Hjälp för den här delen (F1)", self.action_help)
        yield SystemCommand("Avsluta", "Avsluta bouv-tui (Ctrl+Q)", self.exit)

    def report_error(self, title: str, error: BaseException | None) -> None:
        """The one error path: what stops the work opens a dialog, with a message a chef can act on."""
        from bouv_tui.tui.widgets.dialogs import ErrorDialog

        if isinstance(error, StoreError):
            message = str(error)
        elif error is not None and error.__class__.__name__ == "ImportFileError":
            message = str(error)
        elif isinstance(error, OSError):
            message = f"Filen kunde inte läsas eller skrivas: {error.strerror or error} ({error.filename or ''})"
        else:
            message = f"Ett oväntat fel inträffade: {error!r}. Ingenting har sparats halvvägs."
        self.push_screen(ErrorDialog(title, message))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.report_error(event.worker.name or "Något gick fel", event.worker.error)
