"""Command line: `python -m course_utils doctor`, `... serve ...`, `... grade ...`, `... export ...`, `... classify ...`."""

import sys

USAGE = ("usage: python -m course_utils {doctor | serve [--standin | --root FOLDER] [--port N]"
         " | grade SUBMISSION_OR_FOLDER... [--csv FILE] [--feedback DIR]"
         " | export gradescope --lesson N OUT.zip [--data esc50|URL]"
         " | export classroom --lesson N [--out .github/workflows/classroom.yml | --template DIR]"
         " | classify MODEL FILE...}")


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
    if command == "classify":
        from .classify import main as classify

        return classify(rest)
    if command == "export" and rest[:1] == ["gradescope"]:
        from .grading.gradescope import main as gradescope

        return gradescope(["build", *rest[1:]])
    if command == "export" and rest[:1] == ["classroom"]:
        from .grading.classroom import main as classroom

        return classroom(["workflow", *rest[1:]])
    print(USAGE, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
