"""Whatever the course loads from disk is loaded without unpickling arbitrary objects.

Every module of the package is scanned, subpackages included. The one place that unpickles is
allowed by name below, with the reason.
"""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "course_utils"
UNPICKLING = {"pickle.load", "pickle.loads", "cloudpickle.load", "cloudpickle.loads", "marshal.loads", "dill.loads"}
ALLOWED_UNPICKLING = {
    # The grader pickles a learner's answer in the learner's own kernel and the judge process loads
    # it to run the check on it: the pickle is the learner's code, which grading runs anyway.
    ("grading/judge.py", "pickle.loads"),
}


def _modules() -> list[Path]:
    modules = sorted(PACKAGE.rglob("*.py"))
    assert any(p.parent != PACKAGE for p in modules), "expected the scan to reach the subpackages"
    return modules


def _calls(name: str):
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and ast.unparse(node.func) == name:
                yield path.relative_to(PACKAGE).as_posix(), {k.arg: ast.unparse(k.value) for k in node.keywords}


def test_torch_load_always_uses_weights_only():
    calls = list(_calls("torch.load"))
    assert calls, "expected the course to load its saved source model with torch.load"
    for where, keywords in calls:
        assert keywords.get("weights_only") == "True", f"torch.load without weights_only=True in {where}"


def test_numpy_load_never_allows_pickle():
    calls = list(_calls("np.load"))
    assert calls
    for where, keywords in calls:
        assert keywords.get("allow_pickle") == "False", f"np.load without allow_pickle=False in {where}"


def test_only_the_allowed_places_unpickle():
    found = {(where, name) for name in UNPICKLING for where, _ in _calls(name)}
    assert found - ALLOWED_UNPICKLING == set(), f"unpickling outside the allow-list: {sorted(found - ALLOWED_UNPICKLING)}"
    assert ALLOWED_UNPICKLING - found == set(), f"allowed but gone (remove from the list): {sorted(ALLOWED_UNPICKLING - found)}"


def test_nothing_calls_eval_or_exec_on_text():
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("eval", "exec"):
                raise AssertionError(f"{node.func.id}() in {path.relative_to(PACKAGE)}, line {node.lineno}")
