"""Build the chapter's web version: the README as home page, one page per executed lesson, and the docs.

    python -m scripts.build_site            # artifacts/executed/ -> artifacts/site/
    python -m scripts.build_site --executed DIR --out DIR

The lessons come from the executed copies that scripts/run_chapter.py writes (with or without
--nbval); a copy older than its solution notebook, or one with an error, is refused. Pages are
plain HTML and CSS made with nbconvert's `basic` template: no script, font or style comes from
outside the site, so it works offline and from a classroom's file server. Figures and clips are
written once each under media/ (named by their content's hash) and linked from the pages.
Explorers (ipywidgets) appear as the snapshot of their first state that they store in their
output's metadata; exercises show their solution folded away.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import html
import os
import posixpath
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

from course_utils.listen import CAPTION
from course_utils.notebook_format import KEY, SNAPSHOT_KEY, STANDIN_MARK, course_stamp, strip_markers
from scripts.repo import ARTIFACTS, BINDER, COLAB, GITHUB, README, SOLUTIONS, address, lesson_files, repository

COLAB_BADGE = re.compile(r"\[!\[Open in Colab\]\([^)]*\)\]\([^)]*\)\s*")
DATA_URI = re.compile(r"data:(audio/[\w.+-]+|image/png);base64,([A-Za-z0-9+/=\s]+)")
EXTENSIONS = {"image/png": ".png", "audio/wav": ".wav", "audio/x-wav": ".wav", "audio/mpeg": ".mp3"}
MAX_SITE_MB = 50
NO_DESCRIPTION = "No description has been provided for this image"  # what nbconvert writes when alt is missing

TEMPLATES = Path(__file__).with_name("site_templates")
TEMPLATE = (TEMPLATES / "lesson.html.j2").read_text().replace("__COURSE_KEY__", KEY)  # nbconvert's basic, solutions folded
PAGE = (TEMPLATES / "page.html").read_text()
# The Markdown pages beside the lessons, and the page each becomes; the README is the home page.
DOCUMENTS = {"docs/instructors.md": "instructors.html", "docs/maintainers.md": "maintainers.html",
             "docs/accessibility.md": "accessibility.html", "docs/decisions.md": "decisions.html",
             "results/README.md": "results.html", "CHANGELOG.md": "changelog.html"}
MORE = ('<a href="instructors.html">For instructors</a> · <a href="maintainers.html">For maintainers</a> · '
        '<a href="accessibility.html">Accessibility</a> · <a href="results.html">Results</a> · '
        '<a href="changelog.html">Changes</a>')


def _badge(left: str, right: str, colour: str) -> str:
    """A flat 20-px badge as SVG, drawn here so that no page loads an image from elsewhere."""
    width_left, width_right = 7 * len(left) + 12, 7 * len(right) + 12
    width = width_left + width_right
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" '
            f'aria-label="{left}: {right}"><rect width="{width_left}" height="20" rx="3" fill="#555"/>'
            f'<rect x="{width_left}" width="{width_right}" height="20" rx="3" fill="{colour}"/>'
            f'<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">'
            f'<text x="6" y="14">{left}</text><text x="{width_left + 6}" y="14">{right}</text></g></svg>')


ASSETS = {
    "style.css": (TEMPLATES / "style.css").read_text(),
    "colab-badge.svg": _badge("Open in", "Colab", "#f9ab00"),
    "binder-badge.svg": _badge("launch", "Binder", "#579aca"),
    "favicon.svg": (TEMPLATES / "favicon.svg").read_text(),
}
# The README's badges, drawn locally (the originals are images on colab.research.google.com and mybinder.org).
LOCAL_IMAGES = {"https://colab.research.google.com/assets/colab-badge.svg": "assets/colab-badge.svg",
                "https://mybinder.org/badge_logo.svg": "assets/binder-badge.svg"}


class SiteError(Exception):
    """The site cannot be built from what it was given; the message names the file."""


@dataclass(frozen=True)
class Lesson:
    """One page: its notebook's stem (`02_waveforms_and_spectrograms`), title and executed copy."""

    stem: str
    title: str
    notebook: nbformat.NotebookNode

    @property
    def page(self) -> str:
        return f"{self.stem}.html"


def first_heading(markdown: str) -> str | None:
    """The text of the first `# ` heading line, if any."""
    return next((line[2:].strip() for line in markdown.splitlines() if line.startswith("# ")), None)


def cell_sources(notebook: nbformat.NotebookNode) -> list[tuple[str, str]]:
    return [(cell.cell_type, cell.source) for cell in notebook.cells]


def load_lesson(solution: Path, executed_dir: Path) -> Lesson:
    """The executed copy of `solution`, refused if it is missing, stale, failed or unlabelled."""
    copy = executed_dir / solution.name
    if not copy.exists():
        raise SiteError(f"{copy}: no executed copy of {solution.name}; run `make site` "
                        "(or python -m scripts.run_chapter) first")
    notebook = nbformat.read(copy, as_version=4)
    if cell_sources(notebook) != cell_sources(nbformat.read(solution, as_version=4)):
        raise SiteError(f"{copy}: its cells differ from {solution}; it was executed "
                        "from another version of the lesson. Run `make site` (or python -m scripts.run_chapter) again")
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                raise SiteError(f"{copy}: a cell failed ({output.ename}: {output.evalue}); "
                                "fix the lesson before publishing it")
    if "executed" not in course_stamp(notebook.metadata):
        raise SiteError(f"{copy}: does not say which data it ran on (metadata.course.executed); "
                        "it was not written by scripts/run_chapter.py")
    heading = first_heading("\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown"))
    if heading is None:
        raise SiteError(f"{copy}: has no title (a markdown line starting with '# ')")
    title = COLAB_BADGE.sub("", heading).strip()
    return Lesson(solution.stem, title, notebook)


class Media:
    """Binary outputs written once each under media/, named by a hash of their bytes."""

    def __init__(self, root: Path):
        self.root = root / "media"
        self.root.mkdir(parents=True, exist_ok=True)

    def save(self, mimetype: str, payload: str) -> str:
        if mimetype not in EXTENSIONS:
            raise SiteError(f"an output holds {mimetype}, which the site does not publish")
        data = base64.b64decode(payload)
        name = hashlib.sha256(data).hexdigest()[:16] + EXTENSIONS[mimetype]
        path = self.root / name
        if not path.exists():
            path.write_bytes(data)
        return f"media/{name}"

    def link_data_uris(self, text: str) -> str:
        return DATA_URI.sub(lambda m: self.save(m.group(1), re.sub(r"\s", "", m.group(2))), text)


def snapshot_html(snapshot: dict, media: Media) -> str:
    """An explorer's first state as a figure: caption (the widget's own, if it gives one), picture and sound."""
    caption = snapshot.get("caption") or (f"Interactive explorer, shown at its first setting ({snapshot['settings']}). "
                                          "Open the notebook in Colab or Binder to move its controls.")
    parts = ['<figure class="explorer">', f"<figcaption>{html.escape(caption)}</figcaption>"]
    if snapshot.get("png"):
        alt = snapshot.get("description") or ""
        width = f' width="{int(snapshot["width"])}"' if snapshot.get("width") else ""
        parts.append(f'<img src="{media.save("image/png", snapshot["png"])}"{width} alt="{html.escape(alt)}">')
    if snapshot.get("wav"):
        parts.append(f'<p>{html.escape(snapshot.get("sound_description") or "")}</p>')
        parts.append(f'<audio controls preload="metadata" src="{media.save("audio/wav", snapshot["wav"])}"></audio>')
    return "\n".join(parts + ["</figure>"])


def prepare(notebook: nbformat.NotebookNode, media: Media) -> nbformat.NotebookNode:
    """The notebook as the page shows it: markers out, media linked, explorers as snapshots."""
    notebook = nbformat.from_dict(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = COLAB_BADGE.sub("", cell.source)  # the page's header has both badges
            continue
        if cell.cell_type != "code":
            continue
        cell.source = strip_markers(cell.source)
        outputs = []
        for output in cell.outputs:
            if output.output_type in ("display_data", "execute_result"):
                data = output.data
                if "application/vnd.jupyter.widget-view+json" in data:
                    snapshot = output.get("metadata", {}).get(SNAPSHOT_KEY)
                    if not snapshot:
                        continue  # a widget with no picture of itself (e.g. a progress bar): nothing to show
                    output = nbformat.v4.new_output("display_data", data={"text/html": snapshot_html(snapshot, media)})
                elif "application/javascript" in data:
                    raise SiteError(f"a cell outputs JavaScript, which the site does not run: {cell.source[:60]!r}")
                else:
                    if "image/png" in data:
                        output.metadata["filenames"] = {"image/png": media.save("image/png", data["image/png"])}
                    if "text/html" in data:
                        data["text/html"] = media.link_data_uris(data["text/html"])
            outputs.append(output)
        cell.outputs = outputs
    notebook.metadata.pop("widgets", None)
    return notebook


def exporter():
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="basic", template_file="course.html.j2",
                        extra_loaders=[DictLoader({"course.html.j2": TEMPLATE})],
                        exclude_input_prompt=True, exclude_output_prompt=True)


def data_note(stamp: dict) -> str:
    categories = ", ".join(stamp.get("categories", []))
    data = "the offline stand-in" if stamp["data"] == "offline stand-in" else f"ESC-50 clips from {stamp['data']}"
    return (f"Outputs on these pages come from a run on {html.escape(data)} "
            f"(categories: {html.escape(categories)}) on {html.escape(stamp['when'][:10])}.")


def navigation(lessons: list[Lesson], index: int | None) -> str:
    links = ['<a href="index.html">Home</a>']
    if index is not None and index > 0:
        links.append(f'<a rel="prev" href="{lessons[index - 1].page}">&larr; {html.escape(lessons[index - 1].title)}</a>')
    if index is None:
        links.append(f'<a rel="next" href="{lessons[0].page}">Start: {html.escape(lessons[0].title)} &rarr;</a>')
    elif index + 1 < len(lessons):
        links.append(f'<a rel="next" href="{lessons[index + 1].page}">{html.escape(lessons[index + 1].title)} &rarr;</a>')
    return " ".join(links)


def standin_banner(stamp_data: str) -> str:
    return ('<div class="banner"><strong>Offline stand-in.</strong> The outputs on this page come from '
            "generated sounds with ESC-50's layout, not from real recordings: accuracies, figures and clips "
            f"will differ on the real data set. (Run on: {html.escape(stamp_data)}.)</div>")


def lesson_page(lessons: list[Lesson], index: int, media: Media, url: str, branch: str) -> str:
    lesson = lessons[index]
    path = f"notebooks/{lesson.stem}.ipynb"
    badges = (f'<div class="badges"><a href="{address(COLAB, url, branch, path)}">'
              '<img src="assets/colab-badge.svg" alt="Open in Colab"></a>'
              f'<a href="{address(BINDER, url, branch, path)}">'
              '<img src="assets/binder-badge.svg" alt="Launch Binder"></a>'
              f'<a href="{address(GITHUB, url, branch, path)}">the notebook on GitHub</a></div>')
    try:
        shown = prepare(lesson.notebook, media)
    except SiteError as error:
        raise SiteError(f"{lesson.stem}.ipynb: {error}") from None
    body, _ = exporter().from_notebook_node(shown)
    stamp = lesson.notebook.metadata[KEY]["executed"]
    top = badges + (standin_banner(stamp["data"]) if STANDIN_MARK in body else "")
    return PAGE.format(title=html.escape(lesson.title), nav=navigation(lessons, index), top=top, body=body,
                       data_note=data_note(stamp), more=MORE)


def markdown_html(text: str) -> tuple[str, dict[str, str]]:
    """A Markdown page as HTML, and its headings' ids keyed by the anchors GitHub gives them."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    body = markdown2html_mistune(text)
    for remote, local in LOCAL_IMAGES.items():
        body = body.replace(f'src="{remote}"', f'src="{local}"')
    ids = {_github_slug(html.unescape(re.sub(r"<[^>]+>", "", m.group(2)))): m.group(1)
           for m in re.finditer(r'<h[1-6] id="([^"]+)">(.*?)<a class="anchor-link"', body)}
    return body, ids


def relink(body: str, source: str, pages: dict[str, str], ids: dict[str, dict[str, str]], url: str, branch: str) -> str:
    """Point the links of the page made from `source` (a path in the repository) at the site's pages
    (`pages`: repository path -> page), their anchors at `ids` of that page, other files at GitHub."""

    def replace(match: re.Match) -> str:
        target = html.unescape(match.group(1))
        if re.match(r"[a-z]+:", target):
            return match.group(0)
        path, _, anchor = target.partition("#")
        path = posixpath.normpath(posixpath.join(posixpath.dirname(source), path)) if path else source
        if path not in pages:
            return f'href="{html.escape(address(GITHUB, url, branch, path))}"'
        page = pages[path] if path != source else ""
        fragment = f"#{ids.get(path, {}).get(anchor, anchor)}" if anchor else ""
        return f'href="{html.escape(page + fragment) or "#"}"'

    return re.sub(r'href="([^"]*)"', replace, body)


def _github_slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def home_note(lessons: list[Lesson]) -> str:
    """The home page's top: which data the pages' outputs come from, and the lessons."""
    stamps = [lesson.notebook.metadata[KEY]["executed"] for lesson in lessons]
    datas = sorted({stamp["data"] for stamp in stamps})
    standin = any(STANDIN_MARK in nbformat.writes(lesson.notebook) for lesson in lessons)
    contents = "".join(f'<li><a href="{lesson.page}">{html.escape(lesson.title)}</a></li>' for lesson in lessons)
    note = ('<div class="data-note"><p><strong>This is the executed web version of the notebooks.</strong> '
            + data_note(stamps[0])
            + (" Lessons ran on different data: " + html.escape("; ".join(datas)) + "." if len(datas) > 1 else "")
            + f"</p><ul>{contents}</ul></div>")
    return note + (standin_banner(", ".join(datas)) if standin else "")


def document_pages(lessons: list[Lesson], readme: Path, url: str, branch: str) -> dict[str, str]:
    """The home page (the README) and one page per document of DOCUMENTS, their links between
    each other and to the lessons kept inside the site."""
    root = readme.parent
    sources = {"README.md": readme, **{path: root / path for path in DOCUMENTS}}
    missing = [str(path) for path in sources.values() if not path.is_file()]
    if missing:
        raise SiteError(f"missing page source(s): {', '.join(missing)}")
    pages = {"README.md": "index.html", **DOCUMENTS, **{f"notebooks/{l.stem}.ipynb": l.page for l in lessons}}
    texts = {source: path.read_text() for source, path in sources.items()}
    rendered = {source: markdown_html(text) for source, text in texts.items()}
    ids = {source: found for source, (_, found) in rendered.items()}
    note = data_note(lessons[0].notebook.metadata[KEY]["executed"])
    built = {}
    for source, (body, _) in rendered.items():
        title = "Home" if source == "README.md" else first_heading(texts[source]) or source
        top = home_note(lessons) if source == "README.md" else ""
        built[pages[source]] = PAGE.format(title=html.escape(title), nav=navigation(lessons, None), top=top,
                                           body=relink(body, source, pages, ids, url, branch), data_note=note, more=MORE)
    return built


def keyboard_scrollable(page: str) -> str:
    """Give every <pre> a place in the tab order: long lines scroll sideways, and a keyboard user
    must be able to reach them to scroll (WCAG 2.1.1; axe-core's scrollable-region-focusable)."""
    return re.sub(r"<pre(?![^>]*\btabindex=)", '<pre tabindex="0"', page)


def check_offline(name: str, page: str) -> None:
    """Refuse a page that would load anything (script, style, image, media) from another site."""
    if "<script" in page:
        raise SiteError(f"{name}: contains a <script>; the pages are meant to run none")
    for attribute in re.findall(r'\s(?:src|srcset|poster|data)\s*=\s*["\']?([^"\'\s>]*)', page) + re.findall(
            r'<link[^>]*href\s*=\s*["\']?([^"\'\s>]*)', page) + re.findall(r"url\(([^)]*)\)", page):
        if re.match(r"\s*['\"]?(https?:)?//", attribute):
            raise SiteError(f"{name}: would load {attribute!r} from outside the site")


def check_described(name: str, page: str) -> None:
    """Refuse a page with a picture that has no description, or a player with no caption ("Sound: …")
    since the one before it (the lessons' `play` captions each player so)."""
    for tag in re.findall(r"<img\b[^>]*>", page):
        alt = re.search(r'\salt="([^"]*)"', tag)
        if not alt or not alt.group(1).strip() or alt.group(1) == NO_DESCRIPTION:
            raise SiteError(f"{name}: a figure has no description: {tag[:120]}")
    before = re.split(r"<audio\b", page)
    for index in range(1, len(before)):
        if CAPTION not in before[index - 1].rsplit("</audio>", 1)[-1]:
            raise SiteError(f"{name}: player {index} has no description of its sound above it")


def build_site(executed_dir: Path, out: Path, solutions_dir: Path = SOLUTIONS, readme: Path = README) -> dict:
    """Build the site into `out` (replaced whole at the end); return counts and the size in MB."""
    from pygments.formatters import HtmlFormatter

    solutions = lesson_files(solutions_dir)
    if not solutions:
        raise SiteError(f"{solutions_dir}: no lesson notebooks")
    lessons = [load_lesson(path, executed_dir) for path in solutions]
    url, branch = repository()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        media = Media(staging)
        (staging / "assets").mkdir()
        for name, text in {**ASSETS, "pygments.css": HtmlFormatter(style="default").get_style_defs(".highlight")}.items():
            (staging / "assets" / name).write_text(text)
        pages = {lesson.page: lesson_page(lessons, i, media, url, branch) for i, lesson in enumerate(lessons)}
        pages.update(document_pages(lessons, readme, url, branch))
        for name, page in pages.items():
            page = keyboard_scrollable(page)
            check_offline(name, page)
            check_described(name, page)
            (staging / name).write_text(page)
        size = sum(path.stat().st_size for path in staging.rglob("*") if path.is_file()) / 1e6
        if size > MAX_SITE_MB:
            raise SiteError(f"{out}: the site would take {size:.1f} MB, above the limit of {MAX_SITE_MB} MB")
        staging.chmod(0o755)
        if out.exists():
            shutil.rmtree(out)
        os.replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return {"pages": len(pages), "media": len(list((out / "media").iterdir())), "megabytes": size}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--executed", type=Path, default=ARTIFACTS / "executed",
                        help="the executed lessons (default: artifacts/executed)")
    parser.add_argument("--out", type=Path, default=ARTIFACTS / "site",
                        help="where the site goes (default: artifacts/site)")
    args = parser.parse_args()
    start = time.perf_counter()
    try:
        built = build_site(args.executed, args.out)
    except SiteError as error:
        print(f"build_site: {error}", file=sys.stderr)
        return 1
    print(f"build_site: {built['pages']} pages and {built['media']} media files, {built['megabytes']:.1f} MB, "
          f"in {time.perf_counter() - start:.1f} s: {args.out}/index.html")
    return 0


if __name__ == "__main__":
    sys.exit(main())
