"""What a class got wrong: one page for the instructor, from every submission's results.

Per exercise: how many learners got it right, wrong, did not answer it, or whose code raised, and
the mistakes the checks named most often (counted by the mistake's identifier, the word in
brackets of a verdict, with one of its hints as an example). A bar chart shows the outcomes, with
the same counts in words as its description.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from matplotlib.figure import Figure

from ..atomic import atomic_path, write_text_atomically
from ..plots import COLOURS, HATCHES
from .gradebook import exercise_ids
from .grader import RESULTS, Graded

TOP_MISTAKES = 3


def outcomes(graded: list[Graded]) -> dict[str, Counter]:
    """For each exercise, how many graded submissions had each result."""
    counts: dict[str, Counter] = {exercise: Counter() for exercise in exercise_ids(graded)}
    for g in graded:
        for r in g.results:
            counts[r.exercise][r.result] += 1
    return counts


def mistakes(graded: list[Graded]) -> dict[str, Counter]:
    """For each exercise, how many submissions' checks named each mistake (wrong answers and errors)."""
    counts: dict[str, Counter] = {exercise: Counter() for exercise in exercise_ids(graded)}
    for g in graded:
        for r in g.results:
            if r.mistake:
                counts[r.exercise][r.mistake] += 1
    return counts


def example_hints(graded: list[Graded]) -> dict[tuple[str, str], str]:
    """One hint the learners saw for each (exercise, mistake): the verdict's last line, where the hint is."""
    found: dict[tuple[str, str], str] = {}
    for g in graded:
        for r in g.results:
            if r.mistake and (r.exercise, r.mistake) not in found:
                found[r.exercise, r.mistake] = (r.detail.strip().splitlines() or [""])[-1][:200]
    return found


def chart_description(counts: dict[str, Counter]) -> str:
    """The chart in words: every exercise's count of each outcome."""
    parts = [f"exercise {exercise}: " + ", ".join(f"{c[result]} {result}" for result in RESULTS if c[result])
             for exercise, c in counts.items()]
    return "Bar chart of the outcomes per exercise. " + "; ".join(parts) + "."


def outcome_chart(counts: dict[str, Counter], path: Path) -> None:
    """Horizontal stacked bars, one per exercise, each outcome told apart by colour and hatching."""
    exercises = list(counts)
    fig = Figure(figsize=(7, 0.5 * len(exercises) + 1.4), layout="constrained")  # no pyplot: no backend to change
    ax = fig.add_subplot()
    left = [0] * len(exercises)
    for index, result in enumerate(RESULTS):
        widths = [counts[e][result] for e in exercises]
        ax.barh(exercises, widths, left=left, label=result, color=COLOURS[index],
                hatch=HATCHES[index % len(HATCHES)], edgecolor="black")
        left = [a + b for a, b in zip(left, widths)]
    ax.invert_yaxis()
    ax.set_xlabel("submissions")
    ax.legend(ncols=len(RESULTS), loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False, fontsize="small")
    with atomic_path(path) as temporary:
        fig.savefig(temporary, format="png", dpi=100)


def class_report(graded: list[Graded], chart: str | None = None) -> str:
    """The page, in Markdown; `chart` is the file name of the outcome chart beside it, if there is one."""
    counts, named, hints = outcomes(graded), mistakes(graded), example_hints(graded)
    gradable = [g for g in graded if not g.problem]
    lines = ["# What the class got wrong", "",
             f"{len(graded)} submission(s), {len(gradable)} graded."]
    not_graded = Counter(g.problem for g in graded if g.problem)
    if not_graded:
        lines += ["", "Not graded: " + "; ".join(f"{n} x {problem}" for problem, n in not_graded.most_common()) + "."]
    if not counts:
        return "\n".join(lines) + "\n"
    lines += ["", "| exercise | " + " | ".join(RESULTS) + " |", "| --- |" + " ---: |" * len(RESULTS)]
    lines += [f"| {exercise} | " + " | ".join(str(c[result]) for result in RESULTS) + " |" for exercise, c in counts.items()]
    if chart:
        lines += ["", f"![{chart_description(counts)}]({chart})"]
    lines += ["", "## The mistakes the checks named most often", ""]
    for exercise, found in named.items():
        if not found:
            lines.append(f"- **{exercise}**: no mistake named.")
            continue
        lines.append(f"- **{exercise}**:")
        for mistake, n in found.most_common(TOP_MISTAKES):
            lines.append(f"  - `{mistake}`, {n} learner(s). The hint they saw: {hints[exercise, mistake]}")
        if len(found) > TOP_MISTAKES:
            rest = sum(n for _, n in found.most_common()[TOP_MISTAKES:])
            lines.append(f"  - {len(found) - TOP_MISTAKES} other mistake(s), {rest} learner(s) in all.")
    return "\n".join(lines) + "\n"


def write_report(graded: list[Graded], out: Path) -> list[Path]:
    """The page at `out` (Markdown) and its chart beside it (`<name>.png`); the paths written."""
    out.parent.mkdir(parents=True, exist_ok=True)
    counts = outcomes(graded)
    written = []
    chart = None
    if counts:
        chart_path = out.with_suffix(".png")
        outcome_chart(counts, chart_path)
        chart, written = chart_path.name, [chart_path]
    write_text_atomically(out, class_report(graded, chart))
    return [out, *written]
