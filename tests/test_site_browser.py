"""The built web version in Debian's Chromium, served from 127.0.0.1 with every other host blocked.

Every page loads with no console error and no request leaving 127.0.0.1; each lesson page has a
figure, a five-second clip that plays, a folded solution, both badges, and the stand-in's banner
exactly when it ran on the stand-in; every link inside the site resolves, anchors included; and
axe-core (from npm, injected by the test only: the pages run no script) finds no violation of the
WCAG 2.1 A and AA rules on any page, while it does find one planted in a page.
Screenshots go to artifacts/site-screenshots/.

The site is artifacts/site/ (or $COURSE_SITE), as `make site` or `make test` builds it. Without a
built site, Chromium or playwright the tests are skipped, unless COURSE_REQUIRE_BROWSER=1 (CI).
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from conftest import require_or_skip
from course_utils.grading.exercises import lessons
from scripts.build_site import DOCUMENTS
from scripts.repo import REPO, lesson_files

SITE = Path(os.environ.get("COURSE_SITE", REPO / "artifacts" / "site"))
LESSONS = [path.stem for path in lesson_files()]
DOCS = [page.removesuffix(".html") for page in DOCUMENTS.values()]  # for instructors, maintainers, ...
SCREENSHOTS = REPO / "artifacts" / "site-screenshots"
CLIP_SECONDS = 5.0
AXE = Path(os.environ.get("COURSE_AXE", REPO / "artifacts" / "node" / "node_modules" / "axe-core" / "axe.min.js"))
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# axe-core's violations of the rules tagged `tags`, one line each.
AXE_RUN = """async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations.map(
    v => `${v.id} (${v.impact}): ${v.nodes.length} element(s), e.g. ${v.nodes[0].html.slice(0, 120)}`)"""

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Resolves with the clip's duration once its metadata is in, then plays it (muted) for a moment.
PLAY = """async (audio) => {
    if (audio.readyState < 1) {
        await new Promise((ok, fail) => {
            audio.addEventListener('loadedmetadata', ok, {once: true});
            audio.addEventListener('error', () => fail(new Error('cannot load ' + audio.currentSrc)), {once: true});
            audio.load();
        });
    }
    audio.muted = true;
    await audio.play();
    await new Promise(ok => setTimeout(ok, 400));
    audio.pause();
    return {duration: audio.duration, played: audio.currentTime, src: audio.currentSrc};
}"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def site_url():
    if not (SITE / "index.html").exists():
        require_or_skip(f"no site at {SITE} (build it: make site)")
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def visit(browser, site_url):
    """Open a page; record console errors, page errors and requests to other hosts (those are refused)."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    problems: list[str] = []

    def route(request_route):
        host = urllib.parse.urlsplit(request_route.request.url).hostname
        if host == "127.0.0.1":
            request_route.continue_()
        else:
            problems.append(f"request leaving 127.0.0.1: {request_route.request.url}")
            request_route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and problems.append(f"console: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))

    def open_page(name: str):
        problems.clear()
        response = page.goto(f"{site_url}/{name}", wait_until="load")
        assert response is not None and response.status == 200, f"{name}: {response and response.status}"
        return page, problems

    yield open_page
    context.close()


def test_the_site_has_a_page_per_lesson():
    assert LESSONS and sorted(path.stem for path in SITE.glob("[0-9][0-9]_*.html")) == LESSONS


@pytest.mark.parametrize("name", ["index", *DOCS, *LESSONS])
def test_page_loads_offline_with_a_figure_and_a_clip_that_plays(visit, name):
    page, problems = visit(f"{name}.html")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    if name in LESSONS:
        figures = page.eval_on_selector_all(
            "main .output_area img", "images => images.map(i => i.complete && i.naturalWidth > 0)")
        assert figures and all(figures), f"{name}: figures loaded: {figures}"
        clips = page.locator("main audio")
        assert clips.count() >= 1, f"{name}: no audio element"
        played = [clips.nth(i).evaluate(PLAY) for i in range(clips.count())]
        full = [clip for clip in played if abs(clip["duration"] - CLIP_SECONDS) < 0.05]
        assert full, f"{name}: no clip lasts {CLIP_SECONDS} s: {played}"
        assert all(clip["played"] > 0 for clip in played), f"{name}: a clip did not play: {played}"
        with_exercises = name in lessons()
        assert (page.locator("details.solution").count() >= 1) == with_exercises, f"{name}: folded solutions"
        assert page.locator('.badges a[href*="colab.research.google.com"]').count() == 1
        assert page.locator('.badges a[href*="mybinder.org"]').count() == 1
        ran_on_standin = "run on the offline stand-in" in page.locator("footer.site").inner_text()
        assert page.locator(".banner").is_visible() == ran_on_standin, f"{name}: stand-in banner"
    assert problems == [], f"{name}: {problems}"


def test_every_internal_link_resolves(visit, site_url):
    targets: dict[str, set[str]] = {}
    for name in ["index", *DOCS, *LESSONS]:
        page, _ = visit(f"{name}.html")
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            if href.startswith(site_url):
                address, _, fragment = href.partition("#")
                targets.setdefault(address, set()).add(fragment)
    assert len(targets) > len(LESSONS) + len(DOCS)
    broken = []
    for address, fragments in sorted(targets.items()):
        try:
            with urllib.request.urlopen(address, timeout=10) as response:
                assert response.status == 200
        except OSError as error:
            broken.append(f"{address}: {error}")
            continue
        fragments.discard("")
        if fragments:
            page, _ = visit(address.removeprefix(site_url + "/") or "index.html")
            missing = [f for f in fragments if not page.evaluate(
                "f => document.getElementById(decodeURIComponent(f)) !== null", f)]
            broken += [f"{address}#{fragment}" for fragment in missing]
    assert broken == []


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        require_or_skip(f"no axe-core at {AXE} (make test installs it with npm)")
    return str(AXE)


@pytest.mark.parametrize("name", ["index", *DOCS, *LESSONS])
def test_axe_finds_no_wcag_a_or_aa_violation(visit, axe_source, name):
    page, problems = visit(f"{name}.html")
    page.add_script_tag(path=axe_source)
    assert page.evaluate(AXE_RUN, WCAG) == [], name
    assert problems == [], f"{name}: {problems}"


def test_axe_finds_a_planted_violation(visit, axe_source):
    page, _ = visit("index.html")
    page.set_content('<!doctype html><html lang="en"><head><title>planted</title></head>'
                     '<body><main><h1>Planted</h1><img src="assets/colab-badge.svg"></main></body></html>')
    page.add_script_tag(path=axe_source)
    found = page.evaluate(AXE_RUN, WCAG)
    assert [line.split(" ")[0] for line in found] == ["image-alt"], found
