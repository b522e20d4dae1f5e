"""Mutation testing of the checks (scripts/mutants.py): the mutants it makes, and, slowly, that every
check rejects every mutant of its solution that is not listed as equivalent, with a reason."""

from __future__ import annotations

import pytest

from scripts import mutants as tool

SMALL = tool.Solution("9.9", "f", "import math", '''def f(values, scale=2):
    """A docstring stays."""
    if not values:
        raise ValueError(f"no values: {values!r}")
    total = sum(values) * scale
    return round(math.sqrt(total), ndigits=3)
''')


def test_the_mutants_cover_each_kind_of_change_once_and_leave_docstrings_and_messages():
    made = {m.where for m in tool.mutants(SMALL)}
    for expected in ["L1: 2 -> 3", "L1: 2 -> 1", "L3: not values -> values", "L5: sum(values) * scale -> sum(values) / scale",
                     "L5: sum(values) -> values (call -> its argument)",
                     "L6: round(math.sqrt(total), ndigits=3) -> round(math.sqrt(total)) (drop ndigits=)",
                     "L5: total = sum(values) * scale -> pass (statement removed)",
                     "L6: return round(math.sqrt(total), ndigits=3) -> return None (return None)",
                     "L4: raise ValueError(f'no values: {values!r}') -> pass (statement removed)"]:
        assert expected in made
    assert not any("docstring" in where or where.startswith("L4: f'no values") for where in made)
    assert len(made) == len(tool.mutants(SMALL))  # each description names one mutant


def test_a_mutant_is_judged_by_the_check_of_its_exercise():
    solution = tool.solutions()["2.1"]
    assert tool.judge("2.1", solution.context, solution.source, solution.answer_name)[0] == "survived"
    wrong = solution.source.replace("1 + n_samples", "n_samples")
    result, detail = tool.judge("2.1", solution.context, wrong, solution.answer_name)
    assert (result, detail.split(":")[0]) == ("killed", "frame-count")
    assert tool.judge("2.1", "", "def n_frames(:\n", "n_frames")[0] == "does not run"


def test_every_exercise_has_a_solution_and_the_equivalent_list_gives_reasons():
    from course_utils.grading.exercises import lessons

    every = {e.id for lesson in lessons().values() for e in lesson.exercises}
    assert set(tool.solutions()) == every
    for (exercise, where), reason in tool.equivalent_list().items():
        assert exercise in every and where.startswith("L") and len(reason) > 20, (exercise, where)


@pytest.mark.slow
def test_every_check_rejects_every_mutant_that_is_not_equivalent():
    from course_utils.grading.exercises import lessons

    every = [e.id for lesson in lessons().values() for e in lesson.exercises]
    outcomes, stale = tool.run(every, jobs=2)
    assert sorted(o.exercise for o in outcomes if o.result == "solution accepted") == sorted(every)
    let_through = [f"{o.exercise} | {o.where} [{o.result}: {o.detail}]" for o in outcomes
                   if o.result in ("survived", "check failed", "solution rejected")]
    assert not let_through, "\n".join(let_through)
    assert not stale, "entries of scripts/mutants_equivalent.txt that match no surviving mutant: " + "; ".join(stale)
