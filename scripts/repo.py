"""The repository's layout and public addresses, named once for the scripts and the tests."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOLUTIONS = REPO / "notebooks" / "solutions"
LEARNER_COPIES = REPO / "notebooks"
ARTIFACTS = REPO / "artifacts"
README = REPO / "README.md"
LESSON_GLOB = "[0-9][0-9]_*.ipynb"

# Where a notebook of the repository opens; {slug} is "owner/name".
COLAB = "https://colab.research.google.com/github/{slug}/blob/{branch}/{path}"
BINDER = "https://mybinder.org/v2/gh/{slug}/{branch}?urlpath=lab/tree/{path}"
GITHUB = "https://github.com/{slug}/blob/{branch}/{path}"


def lesson_files(folder: Path = SOLUTIONS) -> list[Path]:
    """The lesson notebooks in `folder`, in the chapter's order."""
    return sorted(folder.glob(LESSON_GLOB))


def repository() -> tuple[str, str]:
    """(URL, branch) of the course's public repository, from pyproject.toml's [tool.course]."""
    course = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["course"]
    return course["repository"].rstrip("/"), course["branch"]


def version() -> str:
    """The course's version, from pyproject.toml; release `X.Y.Z` is the repository's tag `vX.Y.Z`."""
    return tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]


def release_tag(course_version: str) -> str:
    """The git tag of a release of the course."""
    return f"v{course_version}"


def slug(url: str) -> str:
    """"owner/name" of a GitHub URL."""
    return url.removeprefix("https://github.com/")


def address(template: str, url: str, branch: str, path: str) -> str:
    """`path` of the repository at `url` opened as `template` (COLAB, BINDER or GITHUB) says."""
    return template.format(slug=slug(url), branch=branch, path=path)


def restamp(text: str, template: str, url: str, branch: str) -> str:
    """`text` with every address of `template`'s form pointed at the repository at `url` and `branch`."""
    prefix = template.split("{path}")[0]
    pattern = re.escape(prefix).replace(re.escape("{slug}"), r"[\w.-]+/[\w.-]+").replace(re.escape("{branch}"), r"[\w.-]+")
    return re.sub(pattern, prefix.format(slug=slug(url), branch=branch).replace("\\", r"\\"), text)
