"""Command line: `python -m course_utils doctor`, `... serve ...`, `... grade ...`."""

import sys

USAGE = ("usage: python -m course_utils {doctor | serve [--standin | --root FOLDER] [--port N]"
         " | grade SUBMISSION_OR_FOLDER... [--csv FILE] [--feedback DIR]}")


def main() -> int:
    command, *rest = sys.argv[1:] or [""]
    if command == "doctor":
        from .doctor import main as doctor

        return doctor()
    if command == "serve":
        from .server import main as serve

        serve(rest)
        return 0
    if command == "grade":
        from .grading.cli import main as grade

        return grade(rest)
    print(USAGE, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
