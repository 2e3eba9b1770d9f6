"""The training plan's rows (migration 0005): the year's plan read on ``sqlite3``, and its
writes, each in one transaction of the one write path (``Repository`` takes them from
``PlanWrites``), refused with ``Conflict`` when a row changed since the screen read it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from bouv_tui.domain import plan as rules
from bouv_tui.domain.plan import BookingCheck, Occasion, Participant, Plan, Training
from bouv_tui.errors import BouvError, ChangedValue, Conflict
from bouv_tui.store.db import connect

if TYPE_CHECKING:  # read_plan is on sqlite3: the plan's export and first frame need no SQLAlchemy
    from sqlalchemy.engine import Connection

_TRAINING_FIELDS = "id, year, name, kind, provider, provider_type, extent, extent_unit, tags, groups, version"
_OCCASION_COLUMNS = (
    "id", "training_id", "start_date", "end_date", "status", "place", "seats", "funding", "cost_fixed",
    "cost_per_participant", "days_away", "version",
)  # fmt: skip
_OCCASION_FIELDS = ", ".join(_OCCASION_COLUMNS)


def _codes(text: str) -> tuple[str, ...]:
    return tuple(code for code in text.split(",") if code)


def _date(value) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def read_plan(path: Path, year: int, *, first: int | None = None, participants: bool = True) -> Plan:
    """The trainings of ``year``, with every occasion and participant of them; ``first``: only
    the first so many trainings by name (what a screen shows before the whole plan is read);
    ``participants=False``: the trainings and occasions alone (what needs no bookings)."""
    conn = connect(path, readonly=True)
    try:
        limit = "" if first is None else f" LIMIT {int(first)}"
        trainings = conn.execute(
            f"SELECT {_TRAINING_FIELDS} FROM training WHERE year = ? ORDER BY name, id{limit}", (year,)
        ).fetchall()
        ids = [row[0] for row in trainings]
        marks = ", ".join("?" * len(ids))
        areas = conn.execute(
            f"SELECT training_id, area, label FROM training_area WHERE training_id IN ({marks}) "
            "ORDER BY training_id, position",  # pragma: no mutate (SQL is not case-sensitive)
            ids,
        ).fetchall() if ids else []  # fmt: skip  # pragma: no mutate (no ids: "IN ()" finds nothing too)
        occasions = conn.execute(
            f"SELECT {_OCCASION_FIELDS} FROM occasion WHERE training_id IN ({marks}) ORDER BY start_date, id", ids
        ).fetchall() if ids else []  # fmt: skip  # pragma: no mutate (no ids: "IN ()" finds nothing too)
        occasion_ids = [row[0] for row in occasions]  # pragma: no mutate (only whether it is empty is read)
        booked = conn.execute(
            "SELECT p.occasion_id, p.staff_id, p.status, p.completed, p.version FROM participant p "  # pragma: no mutate (SQL is not case-sensitive)
            f"JOIN occasion o ON o.id = p.occasion_id WHERE o.training_id IN ({marks}) "
            "ORDER BY p.occasion_id, p.staff_id",  # pragma: no mutate (SQL is not case-sensitive)
            ids,
        ).fetchall() if occasion_ids and participants else []  # fmt: skip
    finally:
        conn.close()
    listed: dict[int, tuple[list[str], list[str]]] = {i: ([], []) for i in ids}
    for training_id, area, label in areas:
        codes, others = listed[training_id]
        (codes.append(area) if area is not None else others.append(label))
    return Plan(
        [_training(row, *listed[row[0]]) for row in trainings],
        [_occasion(row) for row in occasions],
        [Participant(o, s, status, bool(done), version) for o, s, status, done, version in booked],
    )


def _training(row, areas: list[str], others: list[str]) -> Training:
    id_, year, name, kind, provider, provider_type, extent, unit, tags, groups, version = row
    return Training(
        name, kind, year, tuple(areas), tuple(others), provider or "", provider_type, extent, unit,
        _codes(tags), _codes(groups), id_, version,
    )  # fmt: skip


def _occasion(row) -> Occasion:
    id_, training_id, start, end, status, place, seats, funding, fixed, per, days, version = row
    return Occasion(
        training_id, _date(start), _date(end), status, place or "", seats, funding, fixed, per, float(days), id_,
        version,
    )  # fmt: skip


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _training_values(t: Training) -> dict:
    return {
        "year": t.year, "name": t.name, "kind": t.kind, "provider": t.provider, "provider_type": t.provider_type,
        "extent": t.extent, "extent_unit": t.extent_unit, "tags": ",".join(t.tags), "groups": ",".join(t.groups),
    }  # fmt: skip


def _occasion_values(o: Occasion) -> dict:
    return {
        "training_id": o.training_id, "start_date": o.start, "end_date": o.end, "status": o.status,
        "place": o.place, "seats": o.seats, "funding": o.funding, "cost_fixed": o.cost_fixed,
        "cost_per_participant": o.cost_per_participant, "days_away": o.days_away,
    }  # fmt: skip


def _tables():
    from bouv_tui.store.repo import _table  # the write path: SQLAlchemy is loaded here

    return _table("training"), _table("training_area"), _table("occasion"), _table("participant")


class PlanWrites:
    """The plan's writes; mixed into ``store.repo.Repository`` (``self.transaction()``)."""

    def save_training(self, training: Training, *, shown: Training | None = None, force: bool = False) -> Training:
        """Add a training (no id) or save a stored one, with its areas; returns it with its id
        and new version. ``shown`` is the training as the form showed it (by default
        ``training``): one changed or removed since is not overwritten (``Conflict``, listing
        what changed), unless ``force`` (removed: never)."""
        from sqlalchemy import delete, insert, update

        shown = shown or training
        table, areas, _, _ = _tables()
        values = _training_values(training)
        now = _now()
        with self.transaction() as conn:
            if training.id is None:
                new_id = conn.execute(insert(table).values(
                    **values, created_at=now, updated_at=now,
                    version=1,  # pragma: no mutate (1 is also the column's default: left out, the same is stored)
                ))  # fmt: skip
                stored = replace(training, id=new_id.inserted_primary_key[0], version=1)
            else:
                current = _stored_as_shown(
                    conn, table, training.id, shown.version, force, f"Utbildningen {training.name}",
                    _training_values(shown), values,
                )  # fmt: skip
                conn.execute(
                    update(table).where(table.c.id == training.id)
                    .values(**values, updated_at=now, version=current["version"] + 1)
                )  # fmt: skip
                conn.execute(delete(areas).where(areas.c.training_id == training.id))
                stored = replace(training, version=current["version"] + 1)
            rows = [{"training_id": stored.id, "position": i, "area": a, "label": ""} for i, a in enumerate(training.areas)]
            rows += [
                {"training_id": stored.id, "position": len(training.areas) + i, "area": None, "label": label}
                for i, label in enumerate(training.other_areas)
            ]
            if rows:
                conn.execute(insert(areas), rows)
        return stored

    def copy_training(self, training: Training, occasions: Sequence[Occasion]) -> Training:
        """Store a copy of a training for the year after it (``plan_input.copied_to_next_year``)
        with its occasions, in one transaction. Refused when that year already has a training
        of the same name (a second copy would be a duplicate)."""
        from sqlalchemy import and_, insert, select

        from bouv_tui.domain.plan_input import copied_to_next_year

        copy, moved = copied_to_next_year(training, list(occasions))
        table, _, occasion_table, _ = _tables()
        with self.transaction() as conn:
            clash = conn.execute(
                select(table.c.id)  # pragma: no mutate (only whether a row is found is read: "SELECT NULL" finds it too)
                .where(and_(table.c.year == copy.year, table.c.name == copy.name))
            ).first()  # fmt: skip
            if clash is not None:
                raise BouvError(f"Utbildningen {copy.name} finns redan i planen för {copy.year}. Ingenting kopierades.")
            stored = self.save_training(copy)
            now = _now()
            if moved:
                conn.execute(
                    insert(occasion_table),
                    [{**_occasion_values(replace(o, training_id=stored.id)), "updated_at": now,
                      "version": 1}  # pragma: no mutate (1 is the column's default: a misspelt key stores the same)
                     for o in moved],
                )  # fmt: skip
        return stored

    def delete_training(self, training_id: int, *, version: int = 0, force: bool = False) -> None:
        """Remove a training with its occasions and bookings; a training changed since it was
        read (``version``) is not removed without ``force``. Already gone: no error."""
        from sqlalchemy import delete, select

        table, _, _, _ = _tables()
        with self.transaction() as conn:
            current = conn.execute(select(table.c.name, table.c.version).where(table.c.id == training_id)).first()
            if current is None:
                return
            if version and not force and current.version != version:
                raise Conflict(
                    f"Utbildningen {current.name} har ändrats i ett annat fönster. Ingenting togs bort.",
                    what=current.name,
                )  # fmt: skip
            conn.execute(delete(table).where(table.c.id == training_id))

    def save_occasion(self, occasion: Occasion, *, shown: Occasion | None = None, force: bool = False) -> Occasion:
        """Add an occasion (no id) or save a stored one, as ``save_training``; the seats may not
        become fewer than the people holding one."""
        from sqlalchemy import insert, update

        shown = shown or occasion
        _, _, table, participants = _tables()
        values = _occasion_values(occasion)
        now = _now()
        with self.transaction() as conn:
            if occasion.id is None:
                result = conn.execute(insert(table).values(
                    **values, updated_at=now,
                    version=1,  # pragma: no mutate (1 is also the column's default: left out, the same is stored)
                ))  # fmt: skip
                return replace(occasion, id=result.inserted_primary_key[0], version=1)
            current = _stored_as_shown(
                conn, table, occasion.id, shown.version, force, "Tillfället", _occasion_values(shown), values, "det"
            )
            if occasion.seats is not None:
                seated = _seated(conn, participants, occasion.id)
                if len(seated) > occasion.seats:
                    raise Conflict(
                        f"Tillfället har {len(seated)} bokade: platserna kan inte bli färre ({occasion.seats}). "
                        "Ingenting sparades.",
                        what="Tillfälle",
                    )  # fmt: skip
            conn.execute(update(table).where(table.c.id == occasion.id).values(**values, updated_at=now,
                                                                              version=current["version"] + 1))  # fmt: skip
        return replace(occasion, version=current["version"] + 1)

    def finish_occasion(self, occasion: Occasion, *, force: bool = False) -> Occasion:
        """Mark an occasion genomförd, and everyone still only booked on it as attended and
        completed (the exceptions are then set one by one), in one transaction."""
        from sqlalchemy import and_, update

        _, _, _, participants = _tables()
        with self.transaction() as conn:
            stored = self.save_occasion(replace(occasion, status=rules.DONE), shown=occasion, force=force)
            conn.execute(
                update(participants)
                .where(and_(participants.c.occasion_id == occasion.id, participants.c.status == rules.BOOKED))
                .values(status=rules.ATTENDED, completed=True, version=participants.c.version + 1, updated_at=_now())
            )  # fmt: skip
        return stored

    def delete_occasion(self, occasion_id: int, *, version: int = 0, force: bool = False) -> None:
        from sqlalchemy import delete, select

        _, _, table, _ = _tables()
        with self.transaction() as conn:
            current = conn.execute(select(table.c.version).where(table.c.id == occasion_id)).first()
            if current is None:
                return
            if version and not force and current.version != version:
                raise Conflict("Tillfället har ändrats i ett annat fönster. Ingenting togs bort.", what="Tillfälle")
            conn.execute(delete(table).where(table.c.id == occasion_id))

    def book(self, occasion_id: int, staff_ids: Sequence[int]) -> BookingCheck:
        """Book people on an occasion, checked against the seats as stored now (another window
        may have booked the last one): refused as a whole, or everyone booked. Returns the
        check, with who is also booked on another occasion of the training."""
        from sqlalchemy import and_, insert, select, update

        _, _, table, participants = _tables()
        wanted = list(dict.fromkeys(staff_ids))
        with self.transaction() as conn:
            # The occasion and the others of its training, in one read.
            training_of = select(table.c.training_id).where(table.c.id == occasion_id).scalar_subquery()
            rows = conn.execute(select(table).where(table.c.training_id == training_of)).mappings().all()
            others = [_occasion(tuple(r[c] for c in _OCCASION_COLUMNS)) for r in rows]
            occasion = next((o for o in others if o.id == occasion_id), None)
            if occasion is None:
                raise Conflict("Tillfället har tagits bort i ett annat fönster. Ingen bokades.", removed=True)
            booked = conn.execute(
                select(participants).where(participants.c.occasion_id.in_([o.id for o in others]))
            ).mappings().all()  # fmt: skip
            # The booking rule needs only the occasions and their people: the training's own
            # fields (name, areas) play no part in it, nor the participants' completion and version.
            plan = Plan(
                [Training("", rules.TRAINING, 0, id=occasion.training_id)], others,  # pragma: no mutate (the rule reads only the id)
                [Participant(b["occasion_id"], b["staff_id"], b["status"],
                             b["completed"], b["version"])  # pragma: no mutate (the rule reads no completion or version)
                 for b in booked],
            )  # fmt: skip
            check = rules.check_booking(plan, occasion, wanted)
            if not check.ok:
                return check
            present = {b["staff_id"] for b in booked if b["occasion_id"] == occasion_id}
            new = [i for i in wanted if i not in present]
            now = _now()
            if new:
                conn.execute(
                    insert(participants),
                    [{"occasion_id": occasion_id, "staff_id": i, "updated_at": now,
                      "status": rules.BOOKED, "completed": False,  # pragma: no mutate (the columns' defaults: a misspelt key stores the same)
                      "version": 1}  # pragma: no mutate (1 is the column's default: a misspelt key stores the same)
                     for i in new],
                )  # fmt: skip
            # Someone who had dropped out or stayed away and is booked again takes a seat again.
            again = [i for i in wanted if i in present]
            if again:
                conn.execute(
                    update(participants)
                    .where(and_(participants.c.occasion_id == occasion_id, participants.c.staff_id.in_(again),
                                participants.c.status.in_([rules.DROPPED, rules.ABSENT])))
                    .values(status=rules.BOOKED, version=participants.c.version + 1, updated_at=now)
                )  # fmt: skip
        return check

    def unbook(self, occasion_id: int, staff_ids: Iterable[int]) -> None:
        from sqlalchemy import and_, delete

        _, _, _, participants = _tables()
        with self.transaction() as conn:
            conn.execute(
                delete(participants).where(
                    and_(participants.c.occasion_id == occasion_id, participants.c.staff_id.in_(list(staff_ids)))
                )
            )

    def add_plan(self, plan: Plan) -> Plan:
        """Add a whole plan of new rows in one transaction, as a bulk write (the demo at
        national scale: 600 trainings, 1 200 occasions and 25 000 participants in well under a
        second, where a call a row takes ten): every training, area, occasion and participant,
        at version 1. The ids in ``plan`` only tie its rows together; the stored rows get new
        ones, and the stored plan is returned. Refused as a whole (``StoreError``, nothing
        written) when a participant's occasion is not in ``plan`` or an occasion has more
        people holding a seat than it has seats."""
        from sqlalchemy import insert

        from bouv_tui.store.db import StoreError
        from bouv_tui.store.repo import _insert_rows, timestamp

        occasion_ids = {o.id for o in plan.occasions}
        if len(occasion_ids) < len(plan.occasions) or len({t.id for t in plan.trainings}) < len(plan.trainings):
            raise StoreError("Två utbildningar eller två tillfällen har samma id i planen. Ingenting sparades.")
        stray = next((p for p in plan.participants if p.occasion_id not in occasion_ids), None)
        if stray is not None:
            raise StoreError(f"En deltagare hör till ett tillfälle som inte finns ({stray.occasion_id}). Ingenting sparades.")
        for o in plan.occasions:
            seated = len(plan.seated(o.id))
            if o.seats is not None and seated > o.seats:
                name = plan.training(o.training_id).name
                raise StoreError(
                    f"{name}, tillfället {o.start.isoformat()}: {seated} bokade men {o.seats} platser. "
                    "Ingenting sparades."
                )  # fmt: skip
        table, areas, occasions, _ = _tables()
        now = _now()
        stamp = timestamp(now)
        with self.transaction() as conn:
            trainings = []
            if plan.trainings:
                ids = conn.execute(
                    insert(table).returning(table.c.id, sort_by_parameter_order=True),  # pragma: no mutate (SQLite returns the rows in the order given: what the flag guarantees)
                    [{**_training_values(t), "created_at": now, "updated_at": now,
                      "version": 1}  # pragma: no mutate (1 is the column's default: a misspelt key stores the same)
                     for t in plan.trainings],
                ).scalars().all()  # fmt: skip
                trainings = [replace(t, id=i, version=1) for t, i in zip(
                    plan.trainings, ids, strict=True,  # pragma: no mutate (RETURNING gives one id a row: the lengths are always the same)
                )]
            new_training = {old.id: t.id for old, t in zip(plan.trainings, trainings)}
            rows = [
                (t.id, i, area, label)
                for t in trainings
                for i, (area, label) in enumerate([(a, "") for a in t.areas] + [(None, x) for x in t.other_areas])
            ]  # fmt: skip
            _insert_rows(conn, "training_area", ("training_id", "position", "area", "label"), rows)  # pragma: no mutate (SQL names are not case-sensitive)
            stored = []
            if plan.occasions:
                moved = [replace(o, training_id=new_training[o.training_id]) for o in plan.occasions]
                ids = conn.execute(
                    insert(occasions).returning(occasions.c.id, sort_by_parameter_order=True),  # pragma: no mutate (SQLite returns the rows in the order given: what the flag guarantees)
                    [{**_occasion_values(o), "updated_at": now,
                      "version": 1}  # pragma: no mutate (1 is the column's default: a misspelt key stores the same)
                     for o in moved],
                ).scalars().all()  # fmt: skip
                stored = [replace(o, id=i, version=1) for o, i in zip(
                    moved, ids, strict=True,  # pragma: no mutate (RETURNING gives one id a row: the lengths are always the same)
                )]
            new_occasion = {old.id: o.id for old, o in zip(plan.occasions, stored)}
            people = [replace(p, occasion_id=new_occasion[p.occasion_id], version=1) for p in plan.participants]
            _insert_rows(
                conn, "participant", ("occasion_id", "staff_id", "status", "completed", "version", "updated_at"),  # pragma: no mutate (SQL names are not case-sensitive)
                [(p.occasion_id, p.staff_id, p.status, int(p.completed), 1, stamp) for p in people],
            )  # fmt: skip
        return Plan(trainings, stored, people)

    def save_participants(self, changed: Sequence[Participant], *, force: bool = False) -> None:
        """Save participants' status and completion, each at the version it was read at: one
        changed or removed since is a ``Conflict`` for all, unless ``force``."""
        from sqlalchemy import and_, select, update

        _, _, _, participants = _tables()
        now = _now()
        with self.transaction() as conn:
            for p in changed:
                where = and_(participants.c.occasion_id == p.occasion_id, participants.c.staff_id == p.staff_id)
                current = conn.execute(select(participants.c.version).where(where)).first()
                if current is None:
                    raise Conflict("En deltagare har tagits bort i ett annat fönster. Ingenting sparades.",
                                   removed=True)  # fmt: skip
                if not force and current.version != p.version:
                    raise Conflict("En deltagare har ändrats i ett annat fönster. Ingenting sparades.",
                                   what="Deltagare")  # fmt: skip
                conn.execute(
                    update(participants).where(where)
                    .values(status=p.status, completed=p.completed, version=current.version + 1, updated_at=now)
                )  # fmt: skip


def _stored_as_shown(conn: Connection, table, row_id: int, version: int, force: bool, what: str,
                     shown: dict, mine: dict, it: str = "den", labels: dict | None = None):  # fmt: skip
    """The stored row ``row_id``, when it is still at ``version`` (or ``force``); otherwise
    ``Conflict`` (removed: even with ``force``), naming ``what`` (``it``: "den" or "det") and
    listing what changed, each column by its word in ``labels`` (by default the plan's)."""
    from sqlalchemy import select

    current = conn.execute(select(table).where(table.c.id == row_id)).mappings().first()
    if current is None:
        raise Conflict(f"{what} har tagits bort i ett annat fönster. Ingenting sparades.", what=what, removed=True)
    if not force and current["version"] != version:
        raise Conflict(
            f"{what} har ändrats i ett annat fönster sedan du öppnade {it}. Ingenting sparades.",
            what=what, changes=_changes(shown, current, mine, labels or _LABELS),
        )  # fmt: skip
    return current


def _seated(conn: Connection, participants, occasion_id: int) -> set[int]:
    from sqlalchemy import and_, select

    rows = conn.execute(
        select(participants.c.staff_id).where(
            and_(participants.c.occasion_id == occasion_id, participants.c.status.in_(rules.SEAT_STATUSES))
        )
    )
    return {r[0] for r in rows}


#: The stored columns in the words of the forms, for the conflict dialog.
_LABELS = {
    "year": "År", "name": "Namn", "kind": "Typ", "provider": "Anordnare", "provider_type": "Anordnartyp",
    "extent": "Omfattning", "extent_unit": "Enhet", "tags": "Taggar", "groups": "Målgrupp",
    "training_id": "Utbildning", "start_date": "Start", "end_date": "Slut", "status": "Status", "place": "Plats",
    "seats": "Platser", "funding": "Finansiering", "cost_fixed": "Fast kostnad",
    "cost_per_participant": "Kostnad per deltagare", "days_away": "Frånvarodagar per deltagare",
}  # fmt: skip


def _changes(shown: dict, current, mine: dict, labels: dict = _LABELS) -> list[ChangedValue]:
    """The values someone else changed: shown, stored now, and what this save wanted."""
    return [
        ChangedValue(labels[key], _shown(value), _shown(current[key]), _shown(mine[key]))
        for key, value in shown.items()
        if _shown(current[key]) != _shown(value)
    ]


def _shown(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)
