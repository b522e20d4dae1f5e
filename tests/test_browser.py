"""Lessons in a real browser: JupyterLab on 127.0.0.1, driven in Debian's Chromium by Playwright.

Lesson 2 (the solution): runs all cells, checks that no cell shows an error, that the clip
explorer's controls are rendered, and that moving a slider redraws its figure. Lesson 5 (an
untouched learner's copy; COURSE_BROWSER_LESSON=10_your_own_sounds tries another), as a learner lives it: Restart Kernel and Run All reaches the last
cell, each check says "not answered yet" without a traceback, and a right answer typed into the
first exercise's cell makes its check say "correct". Screenshots go to artifacts/browser/.

Needs /usr/bin/chromium (Debian package `chromium`) and the `playwright` Python package; no
browser is downloaded. Where either is missing the test is skipped, unless
COURSE_REQUIRE_BROWSER=1 (as in CI), which turns the skip into a failure.

JupyterLab and the kernel come from this interpreter's environment, or from the one named by
COURSE_LAB_PYTHON (CI names Binder's: artifacts/envs/binder/bin/python, see scripts/emulate.py).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from course_utils import notebook_format as fmt
from scripts.repo import LEARNER_COPIES, REPO, SOLUTIONS

LESSON = SOLUTIONS / "02_waveforms_and_spectrograms.ipynb"
LEARNER_LESSON = LEARNER_COPIES / f"{os.environ.get('COURSE_BROWSER_LESSON', '05_cnn_on_spectrograms')}.ipynb"
SCREENSHOTS = REPO / "artifacts" / "browser"

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    """JupyterLab serving copies of lesson 2 and of lesson 5's learner copy, its kernels fetching data
    from a local server."""
    from course_utils.server import free_port, serve_in_subprocess

    root = tmp_path_factory.mktemp("lab")
    settings = tmp_path_factory.mktemp("settings")
    # Render every cell (no windowing), so the page shows every cell's prompt; no news pop-up.
    for name, value in [("notebook-extension/tracker", {"windowingMode": "none"}),
                        ("apputils-extension/notification", {"fetchNews": "false"})]:
        path = settings / "@jupyterlab" / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    shutil.copy(LESSON, root / LESSON.name)
    shutil.copy(LEARNER_LESSON, root / LEARNER_LESSON.name)
    port, token = free_port(), secrets.token_hex(16)
    with serve_in_subprocess(tmp_path_factory.mktemp("served"), standin=True) as data_url:
        env = {**os.environ, "COURSE_DATA": data_url,
               "COURSE_DATA_DIR": str(tmp_path_factory.mktemp("cache")),
               "JUPYTER_RUNTIME_DIR": str(tmp_path_factory.mktemp("runtime")),
               "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path_factory.mktemp("workspaces")),
               "JUPYTERLAB_SETTINGS_DIR": str(settings)}
        log = open(root.parent / "jupyterlab.log", "w")
        python = os.environ.get("COURSE_LAB_PYTHON") or sys.executable
        lab = subprocess.Popen(
            [python, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
             f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
             "--LabApp.news_url=", *(["--allow-root"] if os.geteuid() == 0 else [])],
            env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_until_up(f"{base}/api/status?token={token}", lab, root.parent / "jupyterlab.log")
            _wait_for_python_kernelspec(base, token)
            yield base, token
        finally:
            lab.terminate()
            lab.wait(timeout=30)
            log.close()


def _wait_until_up(url: str, process: subprocess.Popen, log: Path, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterLab exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"JupyterLab did not answer within {seconds} s:\n{log.read_text()[-3000:]}")


def _wait_for_api(url: str, ready, what: str, seconds: float) -> None:
    """Poll a JupyterLab REST endpoint until `ready(its JSON)` holds."""
    deadline, answer = time.monotonic() + seconds, None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                answer = json.load(response)
        except urllib.error.HTTPError as error:  # a server busy starting a kernel can answer 500 for a moment
            if error.code < 500:
                raise
            answer = f"HTTP {error.code}"
        else:
            if ready(answer):
                return
        time.sleep(0.5)
    raise RuntimeError(f"{what} within {seconds} s: {answer}")


def _wait_for_python_kernelspec(base: str, token: str) -> None:
    """Until the server lists the python3 kernel, a notebook opened in JupyterLab asks for one."""
    _wait_for_api(f"{base}/api/kernelspecs?token={token}", lambda specs: "python3" in specs.get("kernelspecs", {}),
                  "JupyterLab listed no python3 kernel", 60)


def _wait_for_connected_kernel(base: str, token: str) -> None:
    """Until the page's kernel is idle and connected (the server counts the page's websocket).

    The page can show "Idle" before its websocket to the kernel is open; cells run then are
    not sent anywhere.
    """
    _wait_for_api(f"{base}/api/kernels?token={token}",
                  lambda kernels: any(k.get("connections", 0) >= 1 and k.get("execution_state") == "idle"
                                      for k in kernels),
                  "no kernel was connected and idle", 120)


def _accept_kernel_dialog(page) -> None:
    """Take the preferred kernel if JupyterLab asks which one to start, as a person would.

    JupyterLab asks when its list of kernels reached the page after the notebook did, which
    happens on a loaded machine.
    """
    dialog = page.locator(".jp-Dialog").filter(has_text="Select Kernel")
    if dialog.count():
        dialog.locator("button.jp-mod-accept").click()
        dialog.wait_for(state="detached")


@contextlib.contextmanager
def _explained_timeout(page, prompts, what: str, shot: str = "02_timeout.png"):
    """On a Playwright timeout: a screenshot, and a failure that shows the prompts and kernel state."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        yield
    except PlaywrightTimeout:
        page.screenshot(path=SCREENSHOTS / shot, full_page=True)
        pytest.fail(f"{what}: {_page_state(page, prompts)}; see {SCREENSHOTS / shot}")


def _page_state(page, prompts) -> str:
    status = page.locator(".jp-Notebook-ExecutionIndicator").first.get_attribute("data-status")
    dialogs = page.locator(".jp-Dialog").all_inner_texts()
    return f"prompts {prompts.all_inner_texts()}, kernel {status}, dialogs {dialogs}"


def _run_all(page, prompts, attempts: int = 3) -> None:
    """Run > Run All Cells, until the first cell is queued or has run.

    Right after a notebook opens, JupyterLab can report the kernel idle before the notebook's
    session will execute anything; Run All then passes over every cell without queuing it.
    Nothing has run in that case, so choosing Run All again is safe.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    started = prompts.first.filter(has_text=re.compile(r"\[(\*|\d+)\]"))
    for _ in range(attempts):
        _accept_kernel_dialog(page)
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator("li[data-command='runmenu:run-all']").click()
        try:
            started.wait_for(timeout=15_000)
            return
        except PlaywrightTimeout:
            continue
    page.screenshot(path=SCREENSHOTS / "02_timeout.png", full_page=True)
    pytest.fail(f"Run All queued no cell in {attempts} attempts: {_page_state(page, prompts)}")


def test_lesson_2_runs_in_jupyterlab_and_its_explorer_redraws(browser, jupyterlab):
    base, token = jupyterlab
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(60_000)
    page.goto(f"{base}/lab/tree/{LESSON.name}?token={token}")
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    page.wait_for_load_state("networkidle")
    _accept_kernel_dialog(page)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)
    _wait_for_connected_kernel(base, token)

    prompts = page.locator(".jp-CodeCell .jp-InputArea-prompt")
    with _explained_timeout(page, prompts, "Run All could not be chosen"):
        _run_all(page, prompts)
    # Finished when the kernel is idle with no cell queued or running, and every code cell has
    # an execution count, or a cell failed (which stops Run All).
    with _explained_timeout(page, prompts, "Run All did not finish"):
        page.wait_for_function("""() => {
            const idle = document.querySelector(".jp-Notebook-ExecutionIndicator[data-status='idle']");
            const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')];
            const busy = prompts.some(p => p.textContent.includes('*'));
            const all = prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
            const failed = document.querySelector(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']");
            return idle !== null && !busy && (all || failed !== null);
        }""", timeout=300_000)
    page.screenshot(path=SCREENSHOTS / "02_after_run_all.png", full_page=True)

    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert errors.count() == 0, "cells with errors or stderr:\n" + "\n---\n".join(errors.all_inner_texts())
    assert all(re.fullmatch(r"\[\d+\]:", text.strip()) for text in prompts.all_inner_texts())

    # What a screen reader finds: each figure's description as text, each player captioned.
    described = page.locator(".jp-OutputArea-output").filter(has_text="Figure: ")
    assert described.count() >= 4, "figure descriptions missing"
    captions = page.locator(".jp-OutputArea-output figure figcaption").filter(has_text="Sound: ")
    assert captions.count() == page.locator(".jp-OutputArea-output figure audio").count() >= 5

    explorer = page.locator(".widget-vbox").filter(has=page.locator(".widget-image")).first
    explorer.scroll_into_view_if_needed()
    assert "Sound: " in explorer.locator(".widget-html").inner_text()
    sliders = explorer.locator(".widget-slider")
    labels = explorer.locator(".widget-label").all_inner_texts()
    assert sliders.count() == 3 and {"category", "mel bands", "fmax (Hz)", "hop"} <= set(labels), labels
    assert explorer.locator("audio").count() == 1
    picture = explorer.locator("img.widget-image")
    before = picture.get_attribute("src")

    mel_bands = explorer.locator(".widget-hslider").filter(has_text="mel bands").locator(".noUi-handle")
    mel_bands.focus()
    page.keyboard.press("ArrowLeft")  # 128 -> 112 mel bands
    page.wait_for_function("([img, old]) => img.getAttribute('src') !== old",
                           arg=[picture.element_handle(), before], timeout=30_000)
    assert "112" in explorer.locator(".widget-hslider").filter(has_text="mel bands").inner_text()
    from playwright.sync_api import expect

    expect(explorer.locator(".widget-html")).to_contain_text("112 mel bands")  # the caption follows
    explorer.screenshot(path=SCREENSHOTS / "02_explorer_after_slider.png")
    page.close()


ALL_RAN = """() => {
    const idle = document.querySelector(".jp-Notebook-ExecutionIndicator[data-status='idle']");
    const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')];
    return idle !== null && prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
}"""


def _open(page, base: str, token: str, name: str) -> None:
    """Open the notebook alone, in a workspace of its own (no tab of another test restored)."""
    page.goto(f"{base}/lab/workspaces/{name.split('_')[0]}/tree/{name}?token={token}&reset")
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    page.wait_for_load_state("networkidle")
    _accept_kernel_dialog(page)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)
    _wait_for_connected_kernel(base, token)


def _answer_source(exercise: str) -> str:
    """The course's solution of an exercise, as a learner would type it."""
    notebook = json.loads((SOLUTIONS / LEARNER_LESSON.name).read_text(encoding="utf-8"))
    cell = next(c for c in notebook["cells"] if fmt.exercise_tag(c.get("metadata", {})) == (exercise, "answer"))
    return fmt.remove_solution_markers("".join(cell["source"]))


def test_an_untouched_learner_copy_runs_to_the_end_and_a_typed_answer_is_checked(browser, jupyterlab):
    base, token = jupyterlab
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(60_000)
    _open(page, base, token, LEARNER_LESSON.name)
    prompts = page.locator(".jp-CodeCell .jp-InputArea-prompt")

    # Kernel > Restart Kernel and Run All Cells..., confirmed, as a learner does it.
    with _explained_timeout(page, prompts, "Restart and Run All could not be chosen", f"{LEARNER_LESSON.stem[:2]}_timeout.png"):
        page.locator(".lm-MenuBar-itemLabel", has_text="Kernel").first.click()
        page.locator("li.lm-Menu-item", has_text="Restart Kernel and Run All Cells").click()
        page.locator(".jp-Dialog button.jp-mod-accept").click()
    with _explained_timeout(page, prompts, "Restart and Run All did not reach the last cell",
                            f"{LEARNER_LESSON.stem[:2]}_timeout.png"):
        page.wait_for_function(ALL_RAN, timeout=420_000)
    page.screenshot(path=SCREENSHOTS / f"{LEARNER_LESSON.stem[:2]}_learner_after_run_all.png", full_page=True)

    stderr = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert stderr.count() == 0, "errors or stderr:\n" + "\n---\n".join(stderr.all_inner_texts())
    shown = "\n".join(page.locator(".jp-OutputArea-output").all_inner_texts())
    assert "Traceback" not in shown
    assert "NotImplementedError:" not in shown and "course_utils/checks" not in shown
    from course_utils.grading.exercises import lessons

    exercises = [e.id for e in lessons()[LEARNER_LESSON.stem].exercises]
    assert [e for e, outcome in fmt.verdict_lines(shown) if outcome == "not attempted"] == exercises, shown[:2000]
    assert "from here on this lesson uses the course's version" in shown

    shot = LEARNER_LESSON.stem[:2]
    first = lessons()[LEARNER_LESSON.stem].exercises[0]
    check = page.locator(".jp-CodeCell").filter(has_text=first.check.splitlines()[-1]).first
    check.scroll_into_view_if_needed()
    check.screenshot(path=SCREENSHOTS / f"{shot}_check_not_answered.png")
    if page.locator("img.widget-image").count():  # an explorer: its picture at its size, from twice the pixels
        picture = page.locator("img.widget-image").first
        picture.scroll_into_view_if_needed()
        natural = picture.evaluate("img => img.naturalWidth")
        assert abs(2 * picture.bounding_box()["width"] - natural) <= 2, (picture.bounding_box(), natural)
        page.locator(".widget-vbox").filter(has=picture).first.screenshot(path=SCREENSHOTS / f"{shot}_explorer.png")
    else:
        assert LEARNER_LESSON.stem != "05_cnn_on_spectrograms", "lesson 5's prediction explorer was not drawn"

    # The learner types a right answer for the first exercise, runs its cell, then the check below it.
    answer = page.locator(".jp-CodeCell").filter(has_text=fmt.stub(first.id)).first
    answer.scroll_into_view_if_needed()
    answer.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(_answer_source(first.id))
    page.keyboard.press("Shift+Enter")  # runs the answer, selects the check cell
    page.keyboard.press("Shift+Enter")  # runs the check
    from playwright.sync_api import expect

    expect(check.locator(".jp-OutputArea-output")).to_have_text(fmt.verdict(first.id).strip(), timeout=60_000)
    check.screenshot(path=SCREENSHOTS / f"{shot}_check_after_answer.png")
    page.close()
