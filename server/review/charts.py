"""Progress charts as inline SVG: one line per party, rating 1–5 over the rounds.

Plain geometry computed here; the template draws it. No script, no CDN, and
the numbers are also in the table beside the chart for screen readers.
"""

from dataclasses import dataclass, field

WIDTH, HEIGHT = 360, 180
LEFT, RIGHT, TOP, BOTTOM = 34, 12, 12, 30
SCALE = (1, 5)
# Distinct dash patterns too, so the lines differ without colour.
RATER_DASHES = {"participant": "", "employer": "6 3", "work_community": "2 3", "coach": "9 3 2 3"}
AREA_DASHES = {
    "competence": "",
    "work_community": "6 3",
    "working_life_skills": "2 3",
    "wellbeing": "9 3 2 3",
}


@dataclass
class Point:
    x: float
    y: float
    value: float
    label: str


@dataclass
class Series:
    name: str
    points: list[Point]
    dash: str = ""

    @property
    def path(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    series: list[Series] = field(default_factory=list)
    x_ticks: list[tuple[float, str]] = field(default_factory=list)
    y_ticks: list[tuple[float, int]] = field(default_factory=list)
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    bottom_edge: int = HEIGHT - BOTTOM

    @property
    def empty(self) -> bool:
        return not any(s.points for s in self.series)


def _x(index: int, count: int) -> float:
    span = WIDTH - LEFT - RIGHT
    return LEFT + (span / 2 if count == 1 else span * index / (count - 1))


def _y(value: float) -> float:
    low, high = SCALE
    return TOP + (HEIGHT - TOP - BOTTOM) * (high - value) / (high - low)


def progress_chart(
    round_labels: list[str],
    values: dict[str, list[float | None]],
    dashes: dict[str, str] = RATER_DASHES,
) -> Chart:
    """`values[name][i]` is that party's (average) rating in round i, or None."""
    count = len(round_labels)
    chart = Chart(
        x_ticks=[(_x(i, count), label) for i, label in enumerate(round_labels)],
        y_ticks=[(_y(v), v) for v in range(SCALE[0], SCALE[1] + 1)],
    )
    for name, row in values.items():
        points = [
            Point(_x(i, count), _y(v), v, round_labels[i])
            for i, v in enumerate(row)
            if v is not None
        ]
        chart.series.append(Series(name, points, dashes.get(name, "")))
    return chart
