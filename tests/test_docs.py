"""The README and the pages under docs/ stay short where they must, and every link in them resolves."""

import re
from pathlib import Path

import nbformat
import pytest

from scripts.build_site import _github_slug
from scripts.repo import LEARNER_COPIES, REPO, SOLUTIONS, lesson_files

README = REPO / "README.md"
PAGES = [README, REPO / "CHANGELOG.md", REPO / "results" / "README.md", *sorted((REPO / "docs").glob("*.md"))]
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading: its text without markup, as the site slugs it."""
    return _github_slug(re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", heading))


def anchors(page: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", page.read_text(), flags=re.DOTALL)
    return {github_anchor(h) for h in re.findall(r"^#{1,6} (.+)$", text, re.MULTILINE)}


def relative_links(page: Path) -> list[str]:
    text = re.sub(r"```.*?```", "", page.read_text(), flags=re.DOTALL)
    return [t for t in LINK.findall(text) if not re.match(r"[a-z]+:", t)]


def test_the_readme_is_a_guide_not_a_report():
    lines = README.read_text().splitlines()
    assert len(lines) <= 150, f"README.md has {len(lines)} lines; move details to docs/"


def test_the_readme_lists_every_lesson_with_its_notebooks_title_in_order():
    listed = re.findall(r"^\| (\d+) \| \[([^\]]+)\]\(notebooks/([^)]+)\)", README.read_text(), re.MULTILINE)
    lessons = lesson_files(LEARNER_COPIES)
    assert [name for _, _, name in listed] == [p.name for p in lessons]
    for number, title, name in listed:
        heading = nbformat.read(SOLUTIONS / name, as_version=4).cells[0].source.splitlines()[0]
        assert heading == f"# {number}. {title}", f"README says {title!r} for {name}; the notebook says {heading!r}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_relative_link_and_anchor_resolves(page):
    links = relative_links(page)
    for target in links:
        path, _, anchor = target.partition("#")
        resolved = (page.parent / path).resolve() if path else page
        assert resolved.exists(), f"{page.relative_to(REPO)} links to {target}, which does not exist"
        if anchor and resolved.suffix == ".md":
            assert anchor in anchors(resolved), f"{page.relative_to(REPO)} links to #{anchor}, no such heading in {resolved.name}"


def test_the_link_check_finds_a_broken_link_and_anchor(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Top\n\n## A `code` heading, with words\n\n[ok](#a-code-heading-with-words) [gone](missing.md)\n")
    assert relative_links(page) == ["#a-code-heading-with-words", "missing.md"]
    assert "a-code-heading-with-words" in anchors(page)
    assert not (tmp_path / "missing.md").exists()
