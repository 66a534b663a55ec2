"""The dispatch board: technicians down, time of day across, each active appointment a block.

Blocks read without colour: edges ``[`` ``]`` and a short label (service · city), ``!`` first
inside one that has a conflict; the block under the cursor is drawn reversed, and where there is
no block the cursor is a reversed span of one step. A block being moved, or a queued job being
placed, is a ghost with ``{`` ``}`` edges at the cursor, the block it came from drawn dim. The open
slots of the job under the cursor are shaded ``░`` on the cursor's row. Colour only repeats what
the characters say.

A technician holding appointments that overlap gets one line per track, so each block can be
reached. Drawn line by line (only the lines on screen are built), and each line remembers what it
drew: a cursor move repaints the one or two lines it changed, nothing else (over SSH a whole-board
repaint is kilobytes per keypress); scrolling or new data repaints the board.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from sptui.desk.board import UNASSIGNED, Block
from sptui.desk.board_data import BoardData, Window
from sptui.desk.local_time import zone_name

from ..text import clean
from .virtual_table import fit_cell

HEADER = 1
NARROW_DAY = 4
"""The width of a day with nothing on it, in a week."""
UNASSIGNED_NAME = "Unassigned"
DAY_HOURS = (8, 18)
"""The hours shown at least; earlier or later appointments widen them."""
_NAME = Style()
_HEAD = Style(bold=True)
_DIM = Style(dim=True)
_BLOCK = Style(bold=True)
_CONFLICT = Style(bold=True, color="red")
_CURSOR = Style(reverse=True, bold=True)
_GHOST = Style(reverse=True, bold=True, italic=True)
_MOVING = Style(dim=True, strike=True)
_SHADE = Style(color="green", dim=True)
SHADE = "░"


_FILLER = {"installation", "install", "setup", "service"}


def short_title(title: str) -> str:
    """A service title without its fine print: 'TV Wall Mounting, up to 65"' -> 'TV Wall Mounting'."""
    return clean(title).split(",")[0].strip()


def service_words(title: str) -> str:
    """What a block says of its service: 'Dishwasher Installation' -> 'Dishwasher'."""
    words = short_title(title).split()
    kept = [w for w in words if w.lower() not in _FILLER]
    return " ".join(kept or words)


def label(title: str, city: str) -> str:
    """A block's label: the service in a word or two, and the city."""
    service = service_words(title)
    town = clean(city)
    return f"{service}·{town}" if town else service


def label_of(block: Block) -> str:
    return label(block.title, block.city)


@dataclass(frozen=True)
class Track:
    """One line of the board: a lane's blocks that do not overlap one another."""

    lane: str
    first: bool
    """The lane's first line (it carries the name)."""
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Ghost:
    """What is being moved or placed: drawn at the cursor."""

    job_id: str
    label: str
    minutes: int
    block: Block | None = None
    """The block being moved; None for a queued job being placed."""


def tracks_of(data: BoardData) -> list[Track]:
    """Each lane's blocks in as few lines as hold them without overlapping."""
    found: list[Track] = []
    for lane in data.lanes:
        lines: list[list[Block]] = []
        for block in data.board.lanes.get(lane, []):
            for line in lines:
                if line[-1].end <= block.start:
                    line.append(block)
                    break
            else:
                lines.append([block])
        for n, line in enumerate(lines or [[]]):
            found.append(Track(lane, n == 0, tuple(line)))
    return found


@dataclass(frozen=True)
class Geometry:
    """Where a moment falls across the line."""

    width: int
    name: int
    days: tuple[date, ...]
    zone: tzinfo | None
    first_hour: int
    last_hour: int
    widths: tuple[int, ...]
    """Each day's width: a day with nothing on it (a weekend, say) is drawn narrow."""

    @property
    def left(self) -> int:
        return self.name + 1

    @property
    def minutes(self) -> int:
        return (self.last_hour - self.first_hour) * 60

    def day_x(self, day: int) -> int:
        """Where day ``day`` starts: days after the first have a separator before them."""
        return self.left + sum(self.widths[:day]) + day

    def day_width(self, day: int) -> int:
        return self.widths[day]

    def hour_x(self, day: int, hour: int) -> int:
        return self._at(day, hour * 60)

    def _at(self, day: int, minute: float) -> int:
        minute = max(0.0, min(float(self.minutes), minute - self.first_hour * 60))
        return self.day_x(day) + int(minute * self.widths[day] // self.minutes)

    def span(self, start: datetime, end: datetime) -> tuple[int, int] | None:
        """The columns [x0, x1) of [start, end) on its first day; None when off the days shown."""
        local = start.astimezone(self.zone)
        day = (local.date() - self.days[0]).days
        if not 0 <= day < len(self.days):
            return None
        minute = local.hour * 60 + local.minute
        length = (end - start).total_seconds() / 60
        x0 = self._at(day, minute)
        x1 = self._at(day, minute + length)
        return x0, max(x1, x0 + 1)

    def fits(self, start: datetime, end: datetime) -> bool:
        """Whether [start, end) lies inside the hours shown."""
        local = start.astimezone(self.zone)
        begin = local.hour * 60 + local.minute
        finish = begin + (end - start).total_seconds() / 60
        return self.first_hour * 60 <= begin and finish <= self.last_hour * 60


def hours_of(
    blocks: Sequence[Block], zone: tzinfo | None, extra: Sequence[Window] = ()
) -> tuple[int, int]:
    """The hours to show: at least 08-18, widened to every block (and ``extra`` window)."""
    first, last = DAY_HOURS
    for start, end in [*((b.start, b.end) for b in blocks), *extra]:
        local = start.astimezone(zone)
        finish = local + (end - start)
        first = min(first, local.hour)
        end_hour = finish.hour + (1 if finish.minute or finish.second else 0)
        if finish.date() != local.date():
            end_hour = 24
        last = max(last, end_hour)
    return max(0, first), min(24, last)


class BoardGrid(Widget, can_focus=True):
    BINDINGS = [
        Binding("up,k", "row(-1)", "Up", show=False, id="board.up"),
        Binding("down,j", "row(1)", "Down", show=False, id="board.down"),
        Binding("left,h", "step(-1)", "Earlier", show=False, id="board.left"),
        Binding("right,l", "step(1)", "Later", show=False, id="board.right"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="board.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="board.page_down"),
        Binding("enter", "choose", "Open/place", id="board.choose"),
    ]
    DEFAULT_CSS = "BoardGrid { height: 1fr; }"

    class Moved(Message):
        """The cursor is on ``block`` (or an empty place) in ``lane`` at ``moment``."""

        def __init__(
            self, block: Block | None, lane: str, moment: datetime, *, redrawn: bool = False
        ) -> None:
            super().__init__()
            self.block, self.lane, self.moment = block, lane, moment
            self.redrawn = redrawn
            """The board was drawn again (new data), not moved by a key."""

    class Chosen(Moved):
        pass

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.data: BoardData | None = None
        self.tracks: list[Track] = []
        self.row = 0
        self.moment: datetime | None = None
        self.top = 0
        self.step_minutes = 60
        self.ghost: Ghost | None = None
        self.shade: tuple[str, tuple[Window, ...]] | None = None
        """(lane, windows): the open slots of the job under the cursor, on that lane's row."""
        self.empty_text = "loading…"
        self._geometry: Geometry | None = None
        self._version = 0
        self._drawn: dict[int, object] = {}
        self._flagged: set[tuple[str, str]] = set()
        self._lane_marks: set[str] = set()
        self._strips: dict[object, Strip] = {}
        """Lines drawn at this layout, by what they show (a line drawn again costs nothing)."""
        self._boxes: dict[int, tuple[int, str, bool]] = {}
        """Each block's column, text and mark at this layout."""
        self._empty: tuple[list[str], list[Style]] | None = None

    # ---- data ----------------------------------------------------------------------------
    def show(self, data: BoardData) -> None:
        """Show ``data``; the cursor keeps its lane and time of day (and its block if there)."""
        was = self.current_block()
        lane = self.current_lane()
        old_day = self.data.period.first if self.data else None
        self.data = data
        self.tracks = tracks_of(data)
        self._flagged = data.board.flagged()
        self._lane_marks = {
            lane_id
            for lane_id, blocks in data.board.lanes.items()
            if any((b.job_id, b.appointment_id) in self._flagged for b in blocks)
        }
        if self.moment is None:
            self._first_cursor()
        else:
            if old_day is not None and old_day != data.period.first:
                self.moment += data.period.day_start(data.period.first) - data.period.day_start(
                    old_day
                )
            self.row = self._row_for(lane, was)
        self._relayout()
        self._announce(self.Moved, redrawn=True)

    def _first_cursor(self) -> None:
        """On the earliest appointment (the first lane holding one, if several start then)."""
        assert self.data is not None
        starts = [(t.blocks[0].start, n) for n, t in enumerate(self.tracks) if t.blocks]
        if starts:
            self.moment, self.row = min(starts)
            return
        start, _ = self.data.period.window()
        self.row, self.moment = 0, start + timedelta(hours=DAY_HOURS[0])

    def _row_for(self, lane: str | None, was: Block | None) -> int:
        """The line to keep the cursor on: the block it was on, else its lane's first line."""
        if was is not None:
            for index, track in enumerate(self.tracks):
                if any(b.job_id == was.job_id for b in track.blocks) and track.lane == lane:
                    self.moment = next(b.start for b in track.blocks if b.job_id == was.job_id)
                    return index
            for index, track in enumerate(self.tracks):
                if any(b.job_id == was.job_id for b in track.blocks):
                    return index
        for index, track in enumerate(self.tracks):
            if track.lane == lane:
                return index
        return min(self.row, max(0, len(self.tracks) - 1))

    def _relayout(self) -> None:
        self._geometry = self._measure()
        self._version += 1
        self._strips.clear()
        self._boxes.clear()
        self._empty = None
        self._clamp()
        self.refresh()

    def _measure(self) -> Geometry | None:
        data = self.data
        if data is None or self.size.width <= 0:
            return None
        width = self.size.width
        days = tuple(data.period.dates())
        zone = data.period.zone
        name = max(10, min(22, width // 6))
        area = width - name - 1 - (len(days) - 1)
        extra: list[Window] = []
        if self.ghost is not None and self.moment is not None:
            extra.append((self.moment, self.moment + timedelta(minutes=self.ghost.minutes)))
        first, last = hours_of(data.blocks, zone, extra)
        busy = {b.start.astimezone(zone).date() for b in data.blocks}
        if self.moment is not None:
            busy.add(self.moment.astimezone(zone).date())
        narrow = [d not in busy for d in days] if len(days) > 1 and busy else [False] * len(days)
        slim = min(NARROW_DAY, area // len(days))
        room = area - slim * sum(narrow)
        wide = max(1, room // max(1, len(days) - sum(narrow)))
        widths = tuple(slim if n else wide for n in narrow)
        return Geometry(width, name, days, zone, first, last, widths)

    def on_resize(self) -> None:
        # a new height: the view starts as high as still shows the cursor
        self.top = max(0, self.row - self._visible_rows() + 1)
        if self.data is not None:
            self._relayout()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return HEADER + max(1, len(self.tracks))

    # ---- what is under the cursor --------------------------------------------------------
    def current_lane(self) -> str | None:
        return self.tracks[self.row].lane if 0 <= self.row < len(self.tracks) else None

    def current_block(self) -> Block | None:
        if not 0 <= self.row < len(self.tracks) or self.moment is None:
            return None
        for block in self.tracks[self.row].blocks:
            if block.start <= self.moment < block.end:
                return block
        return None

    def _announce(self, kind: type[Moved], *, redrawn: bool = False) -> None:
        lane = self.current_lane()
        if lane is None or self.moment is None:
            return
        self.post_message(kind(self.current_block(), lane, self.moment, redrawn=redrawn))

    # ---- moving the cursor ---------------------------------------------------------------
    def _visible_rows(self) -> int:
        return max(1, self.size.height - HEADER)

    def _clamp(self) -> None:
        if not self.tracks:
            self.row, self.top = 0, 0
            return
        self.row = max(0, min(self.row, len(self.tracks) - 1))
        if self.size.height <= HEADER:
            return  # not laid out yet: the first resize places the view
        rows = self._visible_rows()
        self.top = max(0, min(self.top, len(self.tracks) - rows))
        self.top = min(max(self.top, self.row - rows + 1), self.row)

    def _moved(self, was: tuple[int, datetime | None], top: int, version: int) -> None:
        if version != self._version or top != self.top:
            self.refresh()
        elif was != (self.row, self.moment):
            self.repaint_changed()
        self._announce(self.Moved)

    def action_row(self, rows: int) -> None:
        if not self.tracks:
            return
        was, top, version = (self.row, self.moment), self.top, self._version
        row = self.row
        step = 1 if rows > 0 else -1
        for _ in range(abs(rows)):
            nxt = row + step
            if self.ghost is not None:  # placing: one line per technician
                while 0 <= nxt < len(self.tracks) and not self.tracks[nxt].first:
                    nxt += step
            if not 0 <= nxt < len(self.tracks):
                break
            row = nxt
        self.row = row
        self._clamp()
        self._moved(was, top, version)

    def action_page(self, pages: int) -> None:
        self.action_row(pages * self._visible_rows())

    def action_step(self, steps: int) -> None:
        """Earlier or later: to the next block on the line, or (placing, or none there) by a
        step of the slot length, within the days shown."""
        if self.data is None or self.moment is None:
            return
        was, top, version = (self.row, self.moment), self.top, self._version
        start, end = self.data.period.window()
        moment = self.moment
        jumped = False
        if self.ghost is None and 0 <= self.row < len(self.tracks):
            blocks = self.tracks[self.row].blocks
            here = self.current_block()
            if steps > 0:
                later = [b for b in blocks if b.start > moment and b is not here]
                if later:
                    moment, jumped = later[0].start, True
            else:
                earlier = [b for b in blocks if b.start < (here.start if here else moment)]
                if earlier:
                    moment, jumped = earlier[-1].start, True
        if not jumped:
            moment = moment + timedelta(minutes=self.step_minutes * steps)
            if self.ghost is None:
                here = self.current_block()
                if here is not None and steps > 0:
                    moment = max(moment, here.end)
        length = timedelta(minutes=self.ghost.minutes if self.ghost else self.step_minutes)
        if moment < start or moment + length > end:
            return
        self.moment = moment
        if self._geometry is not None and not self._geometry.fits(moment, moment + length):
            self._relayout()  # the hours shown widen to hold it
        self._moved(was, top, version)

    def move_to(self, lane: str, moment: datetime) -> None:
        """Put the cursor on ``lane``'s first line at ``moment``."""
        was, top, version = (self.row, self.moment), self.top, self._version
        for index, track in enumerate(self.tracks):
            if track.lane == lane:
                self.row = index
                break
        self.moment = moment
        self._clamp()
        if self._geometry is not None and not self._geometry.fits(
            moment, moment + timedelta(minutes=self.ghost.minutes if self.ghost else 1)
        ):
            self._relayout()
        self._moved(was, top, version)

    def action_choose(self) -> None:
        self._announce(self.Chosen)

    # ---- modes ---------------------------------------------------------------------------
    def carry(self, ghost: Ghost | None) -> None:
        """Start (or, with None, end) moving a block or placing a job."""
        self.ghost = ghost
        if ghost is not None and not self.tracks[self.row].first:
            while self.row > 0 and not self.tracks[self.row].first:
                self.row -= 1
        fits = self._geometry is not None and (
            ghost is None
            or self.moment is None
            or self._geometry.fits(self.moment, self.moment + timedelta(minutes=ghost.minutes))
        )
        top = self.top
        self._clamp()
        if fits and top == self.top:
            self.repaint_changed()  # the block's line and the cursor's: nothing else changes
        else:
            self._relayout()
        self._announce(self.Moved)

    def set_shade(self, lane: str | None, windows: Sequence[Window]) -> None:
        shade = (lane, tuple(windows)) if lane is not None and windows else None
        if shade != self.shade:
            self.shade = shade
            self.repaint_changed()

    # ---- repainting only what changed ----------------------------------------------------
    def repaint_changed(self) -> None:
        width = self.size.width
        changed = [
            Region(0, y, width, 1)
            for y in range(self.size.height)
            if self._drawn.get(y) != self._shows(y)
        ]
        if changed:
            self.refresh(*changed)

    def _shows(self, y: int) -> object:
        """What line ``y`` draws, as a value: equal values draw equal lines."""
        if y < HEADER:
            return ("header", self._version)
        index = self.top + y - HEADER
        if index >= len(self.tracks):
            return ("blank", self._version, index == 0)
        track = self.tracks[index]
        here = index == self.row
        cursor = (self.moment, self.step_minutes, self.ghost is None) if here else None
        moving = self.ghost.block if self.ghost is not None else None
        holds = moving is not None and any(b is moving for b in track.blocks)
        shaded = self.shade[1] if self.shade and self.shade[0] == track.lane and track.first else ()
        return (self._version, index, cursor, holds, shaded)

    # ---- drawing -------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        self._drawn[y] = self._shows(y)
        width = self.size.width
        geometry = self._geometry
        if self.data is None or geometry is None:
            text = self.empty_text if y == HEADER else ""
            return Strip([Segment(set_cell_size(text, width), _DIM)])
        if y < HEADER:
            return self._header(geometry)
        index = self.top + y - HEADER
        if index >= len(self.tracks):
            return Strip.blank(width)
        return self._line(geometry, index)

    def _header(self, g: Geometry) -> Strip:
        chars = [" "] * g.width
        styles: list[Style] = [_HEAD] * g.width
        _put(chars, styles, 0, set_cell_size(zone_name(g.zone), g.name), _HEAD)
        if len(g.days) == 1:
            per_hour = g.day_width(0) / max(1, g.last_hour - g.first_hour)
            every = 1 if per_hour >= 3 else 2 if per_hour >= 1.5 else 4
            for hour in range(g.first_hour, g.last_hour, every):
                _put(chars, styles, g.hour_x(0, hour), f"{hour:02}", _HEAD)
        else:
            for n, day in enumerate(g.days):
                wide = g.day_width(n)
                label = f"{day:%a %d}" if wide >= 6 else f"{day:%a}"
                _put(chars, styles, g.day_x(n), label[:wide], _HEAD)
                if n:
                    _put(chars, styles, g.day_x(n) - 1, "│", _DIM)
                # the hours, where there is room after the day's name
                free = g.day_x(n) + len(label) + 1
                per_hour = wide / max(1, g.last_hour - g.first_hour)
                every = 2 if per_hour >= 2 else 4
                for hour in range(g.first_hour + every, g.last_hour, every):
                    x = g.hour_x(n, hour)
                    if x >= free and x + 2 <= g.day_x(n) + wide:
                        _put(chars, styles, x, f"{hour:02}", _DIM)
                        free = x + 3
        return _strip(chars, styles)

    def _line(self, g: Geometry, index: int) -> Strip:
        assert self.data is not None
        track = self.tracks[index]
        here = index == self.row
        key = self._shows(HEADER + index - self.top)
        drawn = self._strips.get(key)
        if drawn is not None:
            return drawn  # this very line was drawn before (paging back, say)
        chars, styles = self._background(g)
        # the name
        if track.first:
            name = (
                UNASSIGNED_NAME
                if track.lane == UNASSIGNED
                else clean(self.data.names.get(track.lane, track.lane))
            )
            mark = "!" if track.lane in self._lane_marks else " "
            # a name too long ends in "…" (o or the assign dialog show it whole), and the
            # conflict mark stands apart from it
            text = fit_cell(name, g.name - 2) + mark + " "
        else:
            text = set_cell_size("  ⋮", g.name)
        _put(chars, styles, 0, text, _CURSOR if here else _NAME)
        # the open slots of the job under the cursor
        if self.shade and self.shade[0] == track.lane and track.first:
            for start, end in self.shade[1]:
                where = g.span(start, end)
                if where:
                    for x in range(where[0], min(where[1], g.width)):
                        chars[x], styles[x] = SHADE, _SHADE
        # the blocks
        moving = self.ghost.block if self.ghost is not None else None
        current = self.current_block() if here and self.ghost is None else None
        for block in track.blocks:
            drawn_block = self._boxes.get(id(block))
            if drawn_block is None:
                where = g.span(block.start, block.end)
                flagged = (block.job_id, block.appointment_id) in self._flagged
                text = _box(label_of(block), where[1] - where[0], flagged) if where else ""
                drawn_block = self._boxes[id(block)] = (where[0] if where else -1, text, flagged)
            x, text, flagged = drawn_block
            if x < 0:
                continue
            style = _CONFLICT if flagged else _BLOCK
            if block is moving:
                style = _MOVING
            elif block is current:
                style = _CURSOR
            _put(chars, styles, x, text, style)
        # the cursor: the ghost being carried, or an empty place
        if here and self.moment is not None:
            if self.ghost is not None:
                end = self.moment + timedelta(minutes=self.ghost.minutes)
                where = g.span(self.moment, end)
                if where:
                    text = _box(self.ghost.label, where[1] - where[0], False, "{}")
                    _put(chars, styles, where[0], text, _GHOST)
            elif current is None:
                where = g.span(self.moment, self.moment + timedelta(minutes=self.step_minutes))
                if where:
                    for x in range(where[0], min(where[1], g.width)):
                        styles[x] = _CURSOR
        strip = _strip(chars, styles)
        if len(self._strips) > 2 * max(1, self.size.height):
            self._strips.clear()
        self._strips[key] = strip
        return strip

    def _background(self, g: Geometry) -> tuple[list[str], list[Style]]:
        """A fresh copy of an empty line: hour ticks and day edges (built once per layout)."""
        if self._empty is None:
            chars = [" "] * g.width
            styles: list[Style] = [_NAME] * g.width
            for n in range(len(g.days)):
                every = 1 if g.day_width(n) >= 2 * (g.last_hour - g.first_hour) else 2
                if g.day_width(n) <= NARROW_DAY:
                    every = 24
                for hour in range(g.first_hour, g.last_hour):
                    x = g.hour_x(n, hour)
                    if x < g.width and (hour - g.first_hour) % every == 0:
                        chars[x], styles[x] = "·", _DIM
                if n:
                    chars[g.day_x(n) - 1], styles[g.day_x(n) - 1] = "│", _DIM
            self._empty = (chars, styles)
        return list(self._empty[0]), list(self._empty[1])


def _box(label: str, width: int, flagged: bool, edges: str = "[]") -> str:
    """A block ``width`` cells wide: edges and a label, ``!`` first if it has a conflict."""
    mark = "!" if flagged else ""
    if width <= 1:
        return "!" if flagged else "▮"
    if width == 2:
        return (mark or edges[0]) + edges[1]
    inner = set_cell_size(mark + label, width - 2)
    return edges[0] + inner + edges[1]


def _put(chars: list[str], styles: list[Style], x: int, text: str, style: Style) -> None:
    """Write ``text`` from column ``x`` (one character per cell: the labels are cleaned and
    sized, so a wide character is never split)."""
    for offset, char in enumerate(_cells(text)):
        at = x + offset
        if 0 <= at < len(chars):
            chars[at], styles[at] = char, style


def _cells(text: str) -> list[str]:
    """One entry per cell: a wide character takes its cell and leaves an empty string after."""
    found: list[str] = []
    for char in text:
        found.append(char)
        if cell_len(char) == 2:
            found.append("")
    return found


def _strip(chars: list[str], styles: list[Style]) -> Strip:
    # a wide character whose second cell was written over (or a second cell whose character
    # was) becomes a space: every line stays exactly as wide as the board
    for x, char in enumerate(chars):
        orphan = char == "" and (x == 0 or cell_len(chars[x - 1]) != 2)
        halved = bool(char) and cell_len(char) == 2 and (x + 1 >= len(chars) or chars[x + 1] != "")
        if orphan or halved:
            chars[x] = " "
    segments: list[Segment] = []
    run: list[str] = []
    current = styles[0] if styles else _NAME
    for char, style in zip(chars, styles, strict=True):
        if style is not current and style != current:
            segments.append(Segment("".join(run), current))
            run, current = [], style
        run.append(char)
    if run:
        segments.append(Segment("".join(run), current))
    return Strip(segments, len(chars))
