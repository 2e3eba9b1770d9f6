"""When the database cannot be opened (damaged, empty beside its backups, inconsistent):
the error, the file's backups, and restoring one, instead of a message and an exit.

``bouv-tui`` starts this small app in place of the main one when opening the file fails
with a ``CorruptDatabase`` or ``NotBouvDatabase`` error and there are backups; it is the
same as ``bouv-tui backups`` and ``bouv-tui restore`` (``store.db.describe_backups`` and
``store.db.restore_backup``). When a backup has been put back, the app ends with
``"open"`` and the main app starts on the restored file.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from rich.markup import escape
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from bouv_tui.errors import BouvError
from bouv_tui import fmt
from bouv_tui.store import db
from bouv_tui.tui.widgets.title_bar import TitleBar


def _describe(info: db.BackupInfo) -> str:
    people = "–" if info.people is None else f"{info.people} personer"
    rounds = "–" if info.rounds is None else f"{info.rounds} omgångar"
    state = "ok" if info.ok else escape(info.problem or "skadad")
    kept = " · kopia före återställning" if info.kept else ""
    return f"{info.taken:%Y-%m-%d %H:%M} · {fmt.size(info.size)} · {people} · {rounds} · {state}{kept}"


class RecoveryApp(App[str | None]):
    """The error, the backups newest first, Enter restores the marked one (after asking)."""

    TITLE = "bouv-tui – databasen kan inte öppnas"
    CSS = """
    #recovery-error { padding: 1 2; color: $error; }
    #recovery-help { padding: 0 2 1 2; color: $text-muted; }
    #recovery-list { height: 1fr; margin: 0 2; }
    #recovery-result { padding: 1 2; }
    """
    BINDINGS = [
        Binding("enter", "restore", "Återställ", id="recovery.restore", tooltip="Återställ den markerade kopian"),
        Binding("q,escape", "quit_app", "Avsluta", id="recovery.quit", tooltip="Avsluta utan att ändra något"),
    ]

    def __init__(self, database: Path, error: BouvError):
        super().__init__()
        self.database = database
        self.error = error
        self.backups: list[db.BackupInfo] = []
        self.restored: db.Restored | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Vertical():
            yield Static(escape(str(self.error)), id="recovery-error")
            yield Static(
                "Välj en säkerhetskopia och tryck Enter för att lägga den på databasens plats. Filen som "
                "finns nu sparas först som en kopia, så ingenting går förlorat. Samma sak på kommandoraden: "
                f"[b]bouv-tui --db {escape(shlex.quote(str(self.database)))} restore FILNAMN[/b].",
                id="recovery-help",
            )
            yield OptionList(id="recovery-list")
            with VerticalScroll():
                yield Static("", id="recovery-result")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.database.name
        self.load_backups()

    @work(thread=True, exclusive=True, exit_on_error=False, name="Läs säkerhetskopiorna")
    def load_backups(self) -> None:
        found = db.describe_backups(self.database)  # each checked whole: may take a moment
        self.call_from_thread(self._show_backups, found)

    def _show_backups(self, found: list[db.BackupInfo]) -> None:
        self.backups = found
        options = self.query_one("#recovery-list", OptionList)
        options.clear_options()
        options.add_options(
            [Option(_describe(info), id=str(i), disabled=not info.ok) for i, info in enumerate(found)]
        )
        first_ok = next((i for i, info in enumerate(found) if info.ok), None)
        if first_ok is None:
            self._say("Ingen av säkerhetskopiorna är hel, så ingen kan återställas. Ingenting har ändrats.")
        else:
            options.highlighted = first_ok
        options.focus()

    def _say(self, text: str) -> None:
        self.query_one("#recovery-result", Static).update(text)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_restore()  # Enter or a click on a backup

    def action_quit_app(self) -> None:
        self.exit("open" if self.restored is not None else None)

    def action_restore(self) -> None:
        if self.restored is not None:
            self.exit("open")
            return
        options = self.query_one("#recovery-list", OptionList)
        if options.highlighted is None or not self.backups:
            self.bell()
            return
        info = self.backups[options.highlighted]
        if not info.ok:
            self.bell()
            return
        from bouv_tui.tui.dialogs.common import ConfirmDialog

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.restore(info)

        self.push_screen(
            ConfirmDialog(
                "Återställa säkerhetskopian?",
                f"Databasen {self.database} ersätts med kopian från {info.taken:%Y-%m-%d %H:%M} "
                f"({_describe(info)}). Det som har ändrats efter det finns då inte i databasen, men "
                "filen som finns nu sparas först som en kopia i mappen med säkerhetskopior.",
                confirm_label="Återställ",
            ),
            confirmed,
        )

    @work(thread=True, exclusive=True, exit_on_error=False, name="Återställ säkerhetskopian")
    def restore(self, info: db.BackupInfo) -> None:
        done = db.restore_backup(self.database, info.path)
        self.call_from_thread(self._restored, done)

    def _restored(self, done: db.Restored) -> None:
        self.restored = done
        kept = f" Filen som fanns innan är sparad som {escape(str(done.previous))}." if done.previous else ""
        self._say(
            f"[b]Klart:[/b] databasen är återställd från {escape(done.backup.path.name)}.{kept}\n"
            "Tryck Enter för att öppna bouv-tui, eller q för att avsluta."
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            text = str(error) if isinstance(error, (BouvError, OSError)) else f"Ett oväntat fel inträffade: {error!r}."
            self._say(f"[b]{escape(event.worker.name or 'Fel')}:[/b] {escape(text)} Ingenting har ändrats.")
