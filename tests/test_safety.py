"""Whatever the course loads from disk is loaded without unpickling arbitrary objects."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "course_utils"


def _calls(name: str):
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and ast.unparse(node.func) == name:
                yield path.name, {k.arg: ast.unparse(k.value) for k in node.keywords}


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


def test_no_pickle_module_use():
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and ast.unparse(node.func) in ("pickle.load", "pickle.loads"):
                raise AssertionError(f"pickle.load in {path.name}")
