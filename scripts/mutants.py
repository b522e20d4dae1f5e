"""Mutation testing of the exercise checks: does each check reject every wrong variant of its solution?

    python -m scripts.mutants                  # every exercise; report in artifacts/mutants/
    python -m scripts.mutants 5.1 6.2          # some exercises
    python -m scripts.mutants --list 5.1       # print the mutants without running them

Each exercise's answer cell in notebooks/solutions/ is parsed with Python's `ast` and changed in one
place at a time: a constant (numbers one up and one down, a string spoilt, True and False swapped),
an arithmetic, comparison or boolean operator, a `not` or unary minus removed, a call replaced by
its argument or its receiver, a keyword or positional argument dropped, two arguments swapped, a
statement removed, a return value replaced by None. Defaults are constants, so they change too.
Each mutant is defined the way the notebook defines the answer (after the imports and answer cells
above it) and judged by the exercise's check. A mutant is killed when the check says "not correct
yet" (wrong, or its code raised), survives when the check says "correct", and is a fault of the
check when the check itself fails. Survivors must be listed in scripts/mutants_equivalent.txt with
the reason their behaviour equals the solution's; an entry that no longer matches a mutant is stale.
Each unchanged solution is judged first and must be accepted. Changes to the message of a
`raise` are equivalent by rule: the checks judge that an error is
raised, not its words. Runs each mutant in a worker process with a time limit (POSIX: signal.alarm).
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import copy
import io
import json
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from course_utils import notebook_format as fmt
from scripts.repo import ARTIFACTS, REPO, SOLUTIONS, lesson_files

EQUIVALENT = REPO / "scripts" / "mutants_equivalent.txt"
OUT = ARTIFACTS / "mutants"
SECONDS_PER_MUTANT = 60

_BINARY = {ast.Add: [ast.Sub], ast.Sub: [ast.Add], ast.Mult: [ast.Div, ast.Add], ast.Div: [ast.Mult, ast.FloorDiv],
           ast.FloorDiv: [ast.Div, ast.Mult], ast.Mod: [ast.FloorDiv], ast.Pow: [ast.Mult]}
_COMPARE = {ast.Eq: [ast.NotEq], ast.NotEq: [ast.Eq], ast.Lt: [ast.LtE, ast.Gt], ast.LtE: [ast.Lt, ast.GtE],
            ast.Gt: [ast.GtE, ast.Lt], ast.GtE: [ast.Gt, ast.LtE], ast.Is: [ast.IsNot], ast.IsNot: [ast.Is],
            ast.In: [ast.NotIn], ast.NotIn: [ast.In]}
_AUGMENTED = {ast.Add: [ast.Sub, ast.Mult], ast.Sub: [ast.Add], ast.Mult: [ast.Add, ast.Div], ast.Div: [ast.Mult]}


@dataclass(frozen=True)
class Mutant:
    exercise: str
    where: str  # "L3: before -> after", stable while the solution is
    source: str  # the whole answer cell, mutated


@dataclass
class Outcome:
    exercise: str
    where: str
    result: str  # "killed", "survived", "equivalent", "check failed", "timeout", "does not run"
    detail: str = ""


# Finding the solutions ------------------------------------------------------------------------

@dataclass(frozen=True)
class Solution:
    exercise: str
    answer_name: str  # what the check cell hands to its check
    context: str  # the imports and answer cells above the answer, as the notebook runs them
    source: str  # the answer cell, markers removed


def _imports(source: str) -> list[str]:
    code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    return [ast.unparse(node) for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]


def solutions() -> dict[str, Solution]:
    """Every exercise's answer cell from the solution notebooks, with what it needs above it."""
    import nbformat

    from course_utils.grading.exercises import exercise_by_id

    found = {}
    for path in lesson_files(SOLUTIONS):
        notebook = nbformat.read(path, as_version=4)
        context: list[str] = []
        for cell in notebook.cells:
            if cell.cell_type != "code":
                continue
            tag = fmt.exercise_tag(cell.metadata)
            if tag and tag[1] == "answer":
                source = fmt.remove_solution_markers(cell.source)
                name = exercise_by_id(tag[0]).answer_name
                found[tag[0]] = Solution(tag[0], name, "\n".join(context), source)
                context.append(source)
            else:
                context += [line for line in _imports(cell.source) if "course_utils.checks" not in line]
    return found


# Making mutants --------------------------------------------------------------------------------

def _docstring_ids(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                ids.add(id(first.value))
    return ids


def _in_raise_messages(tree: ast.AST) -> set[int]:
    """The nodes that make up the message of a `raise SomeError(message)`."""
    messages = [part for node in ast.walk(tree) if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)
                for part in [*node.exc.args, *(k.value for k in node.exc.keywords)]]
    return {id(inner) for part in messages for inner in ast.walk(part)}


def _constant_variants(value) -> list:
    if isinstance(value, bool):
        return [not value]
    if isinstance(value, int):
        return [value + 1, value - 1]
    if isinstance(value, float):
        return [value * 2 if value else 1.0, value + 1.0]
    if isinstance(value, str):
        return [f"XX{value}XX"]
    return []


def _edits(node: ast.AST) -> Iterator[tuple[str, ast.AST]]:
    """(description, replacement node) for each mutation of this one node."""
    if isinstance(node, ast.Constant):
        for value in _constant_variants(node.value):
            yield "", ast.Constant(value)
    elif isinstance(node, ast.BinOp):
        for op in _BINARY.get(type(node.op), []):
            yield "", ast.BinOp(node.left, op(), node.right)
    elif isinstance(node, ast.Compare) and len(node.ops) == 1:
        for op in _COMPARE.get(type(node.ops[0]), []):
            yield "", ast.Compare(node.left, [op()], node.comparators)
    elif isinstance(node, ast.BoolOp):
        yield "", ast.BoolOp(ast.Or() if isinstance(node.op, ast.And) else ast.And(), node.values)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not | ast.Invert | ast.USub):
        yield "", node.operand
    elif isinstance(node, ast.AugAssign):
        for op in _AUGMENTED.get(type(node.op), []):
            yield "", ast.AugAssign(node.target, op(), node.value)
    elif isinstance(node, ast.Call):
        if len(node.args) == 1 and not node.keywords:
            yield "call -> its argument", node.args[0]
        if isinstance(node.func, ast.Attribute) and not node.args and not node.keywords:
            yield "call -> its receiver", node.func.value
        for i in range(len(node.keywords)):
            yield f"drop {node.keywords[i].arg}=", ast.Call(node.func, node.args, node.keywords[:i] + node.keywords[i + 1:])
        if len(node.args) > 1:
            for i in range(len(node.args)):
                yield f"drop argument {i + 1}", ast.Call(node.func, node.args[:i] + node.args[i + 1:], node.keywords)
            for i in range(len(node.args) - 1):
                swapped = [*node.args[:i], node.args[i + 1], node.args[i], *node.args[i + 2:]]
                yield f"swap arguments {i + 1} and {i + 2}", ast.Call(node.func, swapped, node.keywords)
    elif isinstance(node, ast.Return) and node.value is not None:
        yield "return None", ast.Return(ast.Constant(None))
    if isinstance(node, ast.Assign | ast.AugAssign | ast.Expr | ast.Return | ast.Raise) and not (
            isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):
        yield "statement removed", ast.Pass()


class _Replace(ast.NodeTransformer):
    def __init__(self, target: int, replacement: ast.AST):
        self.target, self.replacement = target, replacement

    def generic_visit(self, node):
        if id(node) == self.target:
            return self.replacement
        return super().generic_visit(node)


def mutants(solution: Solution) -> list[Mutant]:
    """Every single-place mutant of the solution's answer cell that changes its code, in source order."""
    tree = ast.parse(solution.source)
    skip = _docstring_ids(tree) | _in_raise_messages(tree)
    unchanged = ast.unparse(tree)
    found, seen = [], {unchanged}
    for index, node in enumerate(ast.walk(tree)):
        if id(node) in skip or not hasattr(node, "lineno"):
            continue
        before = ast.unparse(node).splitlines()[0]
        for number in range(len(list(_edits(node)))):
            mutated = copy.deepcopy(tree)  # the same walk order: the index-th node is the twin
            target = next(n for i, n in enumerate(ast.walk(mutated)) if i == index)
            description, replacement = list(_edits(target))[number]
            source = ast.unparse(ast.fix_missing_locations(_Replace(id(target), replacement).visit(mutated)))
            if source in seen:
                continue
            seen.add(source)
            after = "pass" if isinstance(replacement, ast.Pass) else ast.unparse(replacement).splitlines()[0]
            where = f"L{node.lineno}: {before} -> {after}" + (f" ({description})" if description else "")
            found.append(Mutant(solution.exercise, where, source))
    return found


# Running them ----------------------------------------------------------------------------------

def _alarm(*_):
    raise TimeoutError


def judge(exercise: str, context: str, source: str, answer_name: str) -> tuple[str, str]:
    """(result, detail) of the exercise's check on the answer that `source` defines after `context`."""
    import warnings

    from course_utils import checks
    from course_utils.grading.exercises import exercise_by_id

    check = getattr(checks, exercise_by_id(exercise).check_function)
    namespace = {"__name__": "__main__"}
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()), \
            warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            exec(compile(context, "<above the answer>", "exec"), namespace)
            exec(compile(source, "<answer cell>", "exec"), namespace)
            answer = namespace[answer_name]
        except Exception as error:  # noqa: BLE001  (a mutant that cannot even be defined)
            return "does not run", f"{type(error).__name__}: {error}"
        if hasattr(signal, "SIGALRM"):
            signal.signal(signal.SIGALRM, _alarm)
            signal.alarm(SECONDS_PER_MUTANT)
        try:
            verdict = check.verdict(answer)
        except TimeoutError:
            return "timeout", f"the check ran past {SECONDS_PER_MUTANT} s"
        finally:
            if hasattr(signal, "SIGALRM"):
                signal.alarm(0)
    detail = f"{verdict.mistake}: {verdict.hint or verdict.trace}".strip()[:300]
    result = {"correct": "survived", "wrong": "killed", "error": "killed", "not attempted": "killed",
              "check failed": "check failed"}[verdict.outcome]
    return result, detail


def _judge_mutant(job: tuple[Mutant, Solution]) -> Outcome:
    mutant, solution = job
    result, detail = judge(mutant.exercise, solution.context, mutant.source, solution.answer_name)
    return Outcome(mutant.exercise, mutant.where, result, detail)


def equivalent_list(path: Path = EQUIVALENT) -> dict[tuple[str, str], str]:
    """{(exercise, where): reason} from the list of mutants known to behave as the solution does."""
    entries = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            exercise, where, reason = (part.strip() for part in line.split(" | "))
            entries[(exercise, where)] = reason
    return entries


def run(exercises: list[str], jobs: int) -> tuple[list[Outcome], list[str]]:
    """Every mutant of the exercises judged; (outcomes, stale entries of the equivalent list)."""
    found = solutions()
    equivalent = equivalent_list()
    # The solution itself first: a check that rejects it would "kill" every mutant for nothing.
    work = [(Mutant(e, "the solution, unchanged", found[e].source), found[e]) for e in exercises]
    work += [(m, found[e]) for e in exercises for m in mutants(found[e])]
    # Fresh worker processes, not forks: a fork of a process whose torch has run threads can hang.
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
        outcomes = list(pool.map(_judge_mutant, work, chunksize=1))
    for outcome in outcomes:
        if outcome.where == "the solution, unchanged":
            outcome.result = "solution accepted" if outcome.result == "survived" else "solution rejected"
            continue
        reason = equivalent.get((outcome.exercise, outcome.where))
        if reason and outcome.result == "survived":
            outcome.result, outcome.detail = "equivalent", reason
    listed = {(o.exercise, o.where) for o in outcomes if o.result == "equivalent"}
    stale = [f"{e} | {w}" for (e, w) in equivalent if e in exercises and (e, w) not in listed]
    return outcomes, stale


def mutants_only(outcomes: list[Outcome]) -> list[Outcome]:
    return [o for o in outcomes if not o.result.startswith("solution")]


def table(outcomes: list[Outcome], exercises: list[str]) -> str:
    """The mutation score per exercise, as a Markdown table."""
    rows = ["| exercise | mutants | killed | equivalent | survived | score (killed of non-equivalent) |",
            "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for exercise in exercises:
        mine = [o for o in outcomes if o.exercise == exercise]
        count = {r: sum(o.result == r for o in mine) for r in ("killed", "equivalent", "survived")}
        killed = count["killed"] + sum(o.result in ("timeout", "does not run") for o in mine)
        others = len(mine) - count["equivalent"]
        score = f"{100 * killed / others:.0f} %" if others else "n/a"
        rows.append(f"| {exercise} | {len(mine)} | {killed} | {count['equivalent']} | "
                    f"{len(mine) - killed - count['equivalent']} | {score} |")
    return "\n".join(rows)


def main() -> int:
    from course_utils.grading.exercises import lessons

    every = [e.id for lesson in lessons().values() for e in lesson.exercises]
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("exercises", nargs="*", help=f"default: all ({', '.join(every)})")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    parser.add_argument("--list", action="store_true", help="print the mutants, run nothing")
    args = parser.parse_args()
    exercises = args.exercises or every
    unknown = sorted(set(exercises) - set(every))
    if unknown:
        parser.error(f"no exercise {', '.join(unknown)}; the exercises are {', '.join(every)}")
    if args.list:
        found = solutions()
        for exercise in exercises:
            for mutant in mutants(found[exercise]):
                print(f"{exercise} | {mutant.where}")
        return 0
    start = time.perf_counter()
    outcomes, stale = run(exercises, args.jobs)
    seconds = time.perf_counter() - start
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "outcomes.json").write_text(json.dumps([asdict(o) for o in outcomes], indent=1), encoding="utf-8")
    report = table(mutants_only(outcomes), exercises)
    bad = [o for o in outcomes if o.result in ("survived", "check failed", "solution rejected")]
    lines = [report, "", f"{len(mutants_only(outcomes))} mutants and {len(exercises)} solutions in {seconds:.0f} s "
             f"with {args.jobs} worker(s)."]
    lines += [f"{o.result.upper()}: {o.exercise} | {o.where}  [{o.detail}]" for o in bad]
    lines += [f"STALE in {EQUIVALENT.name}: {entry}" for entry in stale]
    (OUT / "report.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 1 if bad or stale else 0


if __name__ == "__main__":
    sys.exit(main())
