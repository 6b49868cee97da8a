"""The class report's two charts: the score distribution and how each item went.

Each function returns a :class:`homs.charts.Chart` (a matplotlib Figure with alt text) with a
title, labelled axes and the Okabe-Ito colour-blind-safe palette; where colour marks something,
a hatch or a line style marks it too.
"""

from __future__ import annotations

import statistics
import textwrap
from collections import Counter
from collections.abc import Sequence

from homs.charts import PALETTE, Chart

__all__ = ["LOW_DISCRIMINATION", "item_difficulty", "score_distribution"]

_BLUE = PALETTE["blue"]
_VERMILLION = PALETTE["vermillion"]
_ORANGE = PALETTE["orange"]
_INK = "#222222"
_GREY = "#666666"
#: Below this point-biserial an item separates stronger from weaker students poorly.
LOW_DISCRIMINATION = 0.2


def _n(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def score_distribution(
    totals: Sequence[float], max_score: float, *, title: str, pending: int = 0
) -> Chart:
    """How many students got each total score, with the mean and median marked.

    Args:
        totals: One total per student who handed the quiz in.
        max_score: The quiz's points.
        title: The quiz's title.
        pending: Written answers not marked yet (they count 0 in the totals).
    """
    fig = Chart(figsize=(9.0, 4.4))
    ax = fig.add_subplot()
    top = int(max_score) if float(max_score).is_integer() else int(max_score) + 1
    counts = Counter(round(t) for t in totals)
    xs = list(range(top + 1))
    heights = [counts.get(x, 0) for x in xs]
    bars = ax.bar(
        xs,
        heights,
        width=0.8,
        color=_BLUE,
        edgecolor=_INK,
        linewidth=0.6,
        label="students with this score",
    )
    ax.bar_label(
        bars,
        labels=[str(h) if h else "" for h in heights],
        fontsize=8,
        padding=2,
        bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6},
        zorder=4,
    )
    n = len(totals)
    if n:
        mean, median = statistics.fmean(totals), statistics.median(totals)
        ax.axvline(
            mean,
            color=_VERMILLION,
            linestyle="--",
            linewidth=1.8,
            zorder=3,
            label=f"mean {_n(mean)}",
        )
        ax.axvline(
            median, color=_INK, linestyle=":", linewidth=1.8, zorder=3, label=f"median {_n(median)}"
        )
        fig.legend(loc="outside lower center", ncols=3, fontsize=8, frameon=False)
    else:
        ax.text(
            0.5,
            0.5,
            "No submissions yet",
            ha="center",
            va="center",
            transform=ax.transAxes,
            color=_GREY,
        )
    ax.set_xticks(xs)
    ax.set_xlim(-0.7, top + 0.7)
    ax.set_ylim(0, max([*heights, 1]) * 1.2)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel(f"Total score (points out of {_n(max_score)})")
    ax.set_ylabel("Number of students")
    note = (
        f"; {pending} written answer{'s' if pending != 1 else ''} not yet marked count 0"
        if pending
        else ""
    )
    fig.suptitle(
        f"{title}: scores of {n} student{'s' if n != 1 else ''}{note}",
        x=0.01,
        ha="left",
        fontweight="bold",
        fontsize=11,
    )
    ax.spines[["top", "right"]].set_visible(False)
    if n:
        common = max(xs, key=lambda x: (heights[x], -x))
        spread = ", ".join(f"{x}: {h}" for x, h in zip(xs, heights, strict=True) if h)
        fig.set_alt_text(
            f"Bar chart of the total scores of {n} students on {title}, out of "
            f"{_n(max_score)} points. Mean {_n(statistics.fmean(totals))}, median "
            f"{_n(statistics.median(totals))}, lowest {_n(min(totals))}, highest "
            f"{_n(max(totals))}; the most common score is {common} ({heights[common]} "
            f"students). Students per score: {spread}."
            + (f" {pending} written answers are not marked yet and count 0." if pending else "")
        )
    else:
        fig.set_alt_text(f"Empty bar chart: no student has handed in {title} yet.")
    return fig


def item_difficulty(
    labels: Sequence[str],
    difficulty: Sequence[float | None],
    discrimination: Sequence[float | None],
    *,
    title: str,
) -> Chart:
    """Each item's share of points earned, items that discriminate poorly hatched.

    Args:
        labels: One label per item, such as ``Q1. Put the events in order``.
        difficulty: The share of the item's points the class earned (0 to 1), ``None`` if no
            one's answer is marked yet.
        discrimination: The item's point-biserial correlation with the rest of the test, or
            ``None`` where it cannot be computed.
        title: The quiz's title.
    """
    rows = len(labels)
    fig = Chart(figsize=(9.0, 1.6 + 0.42 * max(rows, 1)))
    ax = fig.add_subplot()
    ys = list(range(rows))
    shares = [100 * d if d is not None else 0.0 for d in difficulty]
    low = [r is not None and r < LOW_DISCRIMINATION for r in discrimination]
    bars = ax.barh(
        ys,
        shares,
        height=0.62,
        color=[_ORANGE if w else _BLUE for w in low],
        hatch=["//" if w else "" for w in low],
        edgecolor=_INK,
        linewidth=0.6,
    )
    for bar, weak in zip(bars, low, strict=True):
        if weak:
            bar.set_hatchcolor(_INK)
    texts = []
    for d, r in zip(difficulty, discrimination, strict=True):
        if d is None:
            texts.append("not marked yet")
            continue
        r_text = "discrimination n/a" if r is None else f"discrimination {r:.2f}"
        texts.append(f"{100 * d:.0f}%  ({r_text})")
    ax.bar_label(bars, labels=texts, fontsize=8, padding=3)
    ax.set_yticks(
        ys, [textwrap.shorten(label, 44, placeholder="…") for label in labels], fontsize=9
    )
    ax.invert_yaxis()
    ax.set_xlim(0, 125)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xlabel("Share of the item's points the class earned (%): facility")
    ax.set_ylabel("Item")
    fig.suptitle(f"{title}: how each item went", x=0.01, ha="left", fontweight="bold", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    from matplotlib.patches import Patch

    fig.legend(
        handles=[
            Patch(
                facecolor=_BLUE,
                edgecolor=_INK,
                label=f"discrimination ≥ {LOW_DISCRIMINATION}, or n/a (too few answers, or "
                "everyone scored the same)",
            ),
            Patch(
                facecolor=_ORANGE,
                edgecolor=_INK,
                hatch="//",
                label=f"discriminates poorly (below {LOW_DISCRIMINATION})",
            ),
        ],
        loc="outside lower center",
        ncols=2,
        fontsize=8,
        frameon=False,
    )
    parts = []
    for label, text, weak in zip(labels, texts, low, strict=True):
        parts.append(
            f"{label}: {text.replace('  ', ' ')}" + (", discriminates poorly" if weak else "")
        )
    fig.set_alt_text(
        f"Horizontal bar chart of the share of points the class earned on each of the {rows} "
        f"items of {title} (its facility), with each item's discrimination (point-biserial "
        "correlation with the rest of the quiz). " + "; ".join(parts) + "."
    )
    return fig
