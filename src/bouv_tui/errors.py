"""The errors bouv-tui shows to its user: one base class, matched by class, never by name.

Every message is Swedish and says what happened and what to do next; the CLI prints it
and the app shows it in its error dialog or as a notice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class BouvError(Exception):
    """A problem the user must be told about, with a message in Swedish."""


@dataclass(frozen=True)
class ChangedValue:
    """One value of a row that someone else changed: what the user saw, what is stored
    now, and what the user wanted to save."""

    label: str
    shown: str
    stored: str
    mine: str


class Conflict(BouvError):
    """A row changed (or was removed) by someone else since it was read: nothing was saved.

    ``changes`` lists the values that differ, so that the user can be shown both and choose;
    the write is made anyway only when it is called again with ``force=True``.
    """

    def __init__(self, message: str, *, what: str = "", changes: Sequence[ChangedValue] = (), removed: bool = False):
        super().__init__(message)
        self.what = what
        self.changes = tuple(changes)
        #: The row is gone: there is nothing to overwrite, only to add again or give up.
        self.removed = removed


class StaleImport(Conflict):
    """The rows an import was planned against have changed since the file was read."""
