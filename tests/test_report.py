"""The class report: what a class got wrong, counted exactly from the graded submissions."""

from collections import Counter
from pathlib import Path

from course_utils.grading import report
from course_utils.grading.exercises import find_lesson
from course_utils.grading.grader import ExerciseResult, Graded

LESSON = find_lesson("1")
FOLD_HINT = "For train_val_split(...) expected ...\nIn train_val_split(metadata, ['cow', 'dog']) no training row may come from fold 1."


def _submission(name: str, *results: ExerciseResult) -> Graded:
    return Graded(Path(f"class/{name}.ipynb"), LESSON, list(results))


def _class() -> list[Graded]:
    """Seven learners with planted mistakes, and one file that could not be graded."""
    right = ExerciseResult("1.1", "correct")
    fold = ExerciseResult("1.1", "wrong", FOLD_HINT, "val-fold-in-train")
    kept = ExerciseResult("1.1", "wrong", "Keep only the chosen categories (hint: .isin).", "categories-not-kept")
    crashed = ExerciseResult("1.1", "error", "train_val_split raised KeyError: 'categry'")
    download = ExerciseResult("1.2", "correct")
    streamed = ExerciseResult("1.2", "wrong", "Stage the download in a temporary file.", "streamed-into-destination")
    return [
        _submission("ada", right, download),
        _submission("ben", fold, download),
        _submission("cy", fold, streamed),
        _submission("dee", fold, ExerciseResult("1.2", "not reached", "the kernel died")),
        _submission("eve", kept, streamed),
        _submission("fay", crashed, ExerciseResult("1.2", "not attempted")),
        _submission("gus", ExerciseResult("1.1", "not attempted"), ExerciseResult("1.2", "not attempted")),
        Graded(Path("class/broken.ipynb"), problem="the file is empty"),
    ]


def test_outcomes_and_named_mistakes_are_counted_exactly():
    graded = _class()
    assert report.outcomes(graded) == {
        "1.1": Counter({"wrong": 4, "correct": 1, "error": 1, "not attempted": 1}),
        "1.2": Counter({"correct": 2, "wrong": 2, "not attempted": 2, "not reached": 1}),
    }
    assert report.mistakes(graded) == {"1.1": Counter({"val-fold-in-train": 3, "categories-not-kept": 1}),
                                       "1.2": Counter({"streamed-into-destination": 2})}
    assert report.example_hints(graded)["1.1", "val-fold-in-train"] == FOLD_HINT.splitlines()[-1]


def test_the_page_lists_the_counts_the_top_mistakes_and_what_was_not_graded():
    page = report.class_report(_class(), chart="report.png")
    assert "8 submission(s), 7 graded." in page and "Not graded: 1 x the file is empty." in page
    assert "| 1.1 | 1 | 4 | 1 | 1 | 0 | 0 |" in page and "| 1.2 | 2 | 2 | 0 | 2 | 1 | 0 |" in page
    assert page.index("`val-fold-in-train`, 3 learner(s)") < page.index("`categories-not-kept`, 1 learner(s)")
    assert "no training row may come from fold 1" in page
    assert ("![Bar chart of the outcomes per exercise. exercise 1.1: 1 correct, 4 wrong, 1 error, 1 not attempted; "
            "exercise 1.2: 2 correct, 2 wrong, 2 not attempted, 1 not reached.](report.png)") in page


def test_only_the_most_frequent_mistakes_are_listed_the_rest_summed():
    graded = [_submission(f"l{i}", ExerciseResult("1.1", "wrong", f"hint {m}", m))
              for i, m in enumerate(["a", "a", "a", "b", "b", "c", "d", "e"])]
    page = report.class_report(graded)
    assert "`a`, 3 learner(s)" in page and "`b`, 2 learner(s)" in page
    assert "2 other mistake(s), 2 learner(s) in all." in page and "](" not in page


def test_the_report_and_its_chart_are_written_beside_each_other(tmp_path):
    written = report.write_report(_class(), tmp_path / "out" / "lesson1.md")
    assert [p.name for p in written] == ["lesson1.md", "lesson1.png"]
    assert written[1].read_bytes().startswith(b"\x89PNG") and "](lesson1.png)" in written[0].read_text()


def test_a_class_with_nothing_graded_still_gets_a_page(tmp_path):
    written = report.write_report([Graded(Path("x.ipynb"), problem="not a notebook")], tmp_path / "r.md")
    assert [p.name for p in written] == ["r.md"]
    assert "1 submission(s), 0 graded." in written[0].read_text()
