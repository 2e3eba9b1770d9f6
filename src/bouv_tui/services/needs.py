"""The needs' service: the need scores of questions 13 and 19 and the "Annat" rows of a round."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bouv_tui.services.roster import RosterSection
from bouv_tui.store import read

if TYPE_CHECKING:
    from bouv_tui.domain.assessment import Round


class NeedsSection(RosterSection):  # the rows are the roster's people in the round
    def need_choices(self, round_id: int):
        return read.read_need_choices(self.path, round_id)

    def need_others(self, round_id: int):
        return read.read_need_others(self.path, round_id)

    def need_rows(self, round_: Round, model):
        """The rows of questions 13 (``handlaggare``) and 19 (``arbetsledare``) for a stored
        round, by group: the roster and the round's levels are read once for both."""
        from bouv_tui.domain.assessment import people_in_round
        from bouv_tui.domain.needs import need_rows_by_group

        people = people_in_round(self.staff(), round_)
        levels = read.read_levels(self.path, round_.id)
        return need_rows_by_group(people, levels, self.need_choices(round_.id), model)

    def save_need_choices(self, round_id: int, choices, clears=(), *, shown=None, force: bool = False) -> None:
        """``shown``: the round's stored choices as the screen read them (``need_choices``)."""
        self.write(lambda repo: repo.save_need_choices(round_id, list(choices), list(clears), shown=shown, force=force))

    def save_need_others(self, round_id: int, group: str, others, *, shown=None, force: bool = False) -> None:
        self.write(lambda repo: repo.save_need_others(round_id, group, list(others), shown=shown, force=force))
