"""The notebook format: markers written and read back, and spelt nowhere but in notebook_format."""

import re
import sys
from pathlib import Path

import pytest

from course_utils import notebook_format as fmt
from scripts.repo import REPO

HOME = REPO / "course_utils" / "notebook_format.py"
LITERALS = [fmt.BEGIN_SOLUTION, fmt.END_SOLUTION, fmt.CHECK_MARK.lstrip("# "), fmt.SNAPSHOT_KEY,
            fmt.STANDIN_MARK, ": correct.", 'NotImplementedError("Exercise']
# The metadata key, as code uses it: a subscript, a .get, a dict key or an assignment.
KEY_IN_CODE = re.compile(r"""(\[|\.get\(|\{|=\s*)["']course["']""")


def python_files() -> list[Path]:
    files = [p for folder in ("course_utils", "scripts", "tests", "benchmarks")
             for p in (REPO / folder).rglob("*.py")]
    return [p for p in files if p not in (HOME, Path(__file__).resolve())]


def test_the_scan_covers_the_package_scripts_and_tests():
    names = {p.name for p in python_files()}
    assert {"core.py", "build_notebooks.py", "build_site.py", "run_chapter.py", "test_site.py"} <= names


@pytest.mark.parametrize("literal", LITERALS + ['"course"'])
def test_no_marker_is_spelt_outside_its_home(literal):
    found = []
    for path in python_files():
        text = path.read_text(encoding="utf-8").replace('["tool"]["course"]', "")  # pyproject's table
        hit = KEY_IN_CODE.search(text) if literal == '"course"' else (literal in text)
        if hit:
            found.append(str(path.relative_to(REPO)))
    assert not found, f"{literal!r} is spelt in {found}; use course_utils.notebook_format"


def test_a_renamed_marker_would_be_found(tmp_path, monkeypatch):
    planted = tmp_path / "course_utils" / "planted.py"
    planted.parent.mkdir()
    planted.write_text('SNAPSHOT = "course_utils/snapshot"\nstamp = cell.metadata.get("course", {})\n')
    monkeypatch.setattr(sys.modules[__name__], "REPO", tmp_path)
    with pytest.raises(AssertionError, match="snapshot"):
        test_no_marker_is_spelt_outside_its_home(fmt.SNAPSHOT_KEY)
    with pytest.raises(AssertionError, match="course"):
        test_no_marker_is_spelt_outside_its_home('"course"')


def test_stub_round_trip():
    source = f"def f():\n    {fmt.BEGIN_SOLUTION}\n    return 1\n    {fmt.END_SOLUTION}\n"
    stubbed = fmt.strip_solution(source, "2.3")
    assert stubbed == f"def f():\n    {fmt.stub('2.3')}\n"
    assert fmt.stubbed_exercises(stubbed) == ["2.3"]
    assert fmt.stub_exercise(fmt.stub_message("2.3")) == "2.3" and fmt.stub_exercise("list index out of range") is None
    assert fmt.remove_solution_markers(source) == "def f():\n    return 1\n"
    with pytest.raises(ValueError, match="2.3"):
        fmt.strip_solution(f"{fmt.BEGIN_SOLUTION}\nx = 1\n", "2.3")


def test_verdict_round_trip_and_check_cells():
    assert fmt.verdicts("noise\n" + fmt.verdict("4.2") + fmt.verdict("10.1")) == ["4.2", "10.1"]
    assert fmt.verdicts("Exercise 4.2: correct. Really.") == []
    assert fmt.is_check(f"{fmt.CHECK_MARK}\ncheck(f)") and not fmt.is_check(f"x = 1\n{fmt.CHECK_MARK}")
    assert fmt.strip_markers(f"{fmt.CHECK_MARK}\ncheck(f)\n") == "check(f)\n"


def test_tags_read_back():
    metadata = fmt.tag("5.1", "answer")
    assert fmt.exercise_tag(metadata) == ("5.1", "answer")
    assert fmt.exercise_tag({fmt.KEY: "not a dict"}) is None and fmt.exercise_tag({}) is None
    assert fmt.course_stamp({fmt.KEY: {"lesson": "01_data"}}) == {"lesson": "01_data"}
