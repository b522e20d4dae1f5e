"""scripts/build_site.py on a two-lesson chapter made here; the real site is tested in test_site_browser.py."""

from __future__ import annotations

import base64
import io
import wave

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from course_utils import notebook_format as fmt

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"picture").decode()
STAMP = {"data": "offline stand-in", "categories": ["dog", "cow"], "when": "2026-11-26T10:00:00+00:00"}


def _wav_base64(seconds: float = 0.1) -> str:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1), out.setsampwidth(2), out.setframerate(8000)
        out.writeframes(b"\0\0" * int(8000 * seconds))
    return base64.b64encode(buffer.getvalue()).decode()


WAV = _wav_base64()
FIGURE_ALT = "Mel spectrogram: dog; energy in short bursts at 0.4 s and 2.1 s"
SOUND_TEXT = "a dog barking: short, sharp barks"


def _lesson(number: int, title: str) -> nbformat.NotebookNode:
    answer = new_code_cell(f"def f():\n    {fmt.BEGIN_SOLUTION}\n    return 1\n    {fmt.END_SOLUTION}")
    answer.metadata.update(fmt.tag(f"{number}.1", "answer"))
    check = new_code_cell(f"{fmt.CHECK_MARK}\ncheck(f)")
    check.metadata.update(fmt.tag(f"{number}.1", "check"))
    return new_notebook(cells=[
        new_markdown_cell(f"# {number}. {title}  [![Open in Colab](https://colab.research.google.com/assets/"
                          "colab-badge.svg)](https://colab.research.google.com/github/a/b/blob/main/x.ipynb)"),
        new_code_cell("plot()"), new_code_cell("listen()"), new_code_cell("explore()"), answer, check,
    ])


def _executed(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    run = nbformat.from_dict(notebook)
    plot, listen, explore, _, check = run.cells[1:]
    plot.outputs = [new_output("stream", name="stdout", text=f"{fmt.STANDIN_MARK} (no network)\n"),
                    new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"},
                               metadata={"image/png": {"alt": FIGURE_ALT}})]
    listen.outputs = [new_output("stream", name="stdout", text=f"Sound: {SOUND_TEXT}\n"), new_output("display_data", data={
        "text/html": f'<audio controls="controls"><source src="data:audio/wav;base64,{WAV}" type="audio/wav" /></audio>',
        "text/plain": "<Audio>"})]
    explore.outputs = [
        new_output("display_data", data={"application/vnd.jupyter.widget-view+json": {"model_id": "a"},
                                         "text/plain": "ClipExplorer"},
                   metadata={fmt.SNAPSHOT_KEY: {"settings": "category: dog", "png": PNG, "wav": WAV,
                                                "description": "Waveform of dog clip 1",
                                                "sound_description": "Sound: a dog barking"}}),
        new_output("display_data", data={"application/vnd.jupyter.widget-view+json": {"model_id": "b"},
                                         "text/plain": "progress"}),
    ]
    check.outputs = [new_output("stream", name="stdout", text="correct\n")]
    run.metadata[fmt.KEY] = {"executed": STAMP}
    return run


@pytest.fixture
def chapter(tmp_path, site):
    """A solutions folder, its executed copies and a README, as build_site reads them."""
    solutions, executed = tmp_path / "solutions", tmp_path / "executed"
    solutions.mkdir(), executed.mkdir()
    for number, title in [(1, "First steps"), (2, "Next steps")]:
        notebook = _lesson(number, title)
        nbformat.write(notebook, solutions / f"0{number}_lesson.ipynb")
        nbformat.write(_executed(notebook), executed / f"0{number}_lesson.ipynb")
    readme = tmp_path / "README.md"
    readme.write_text("# Course\n\n[![Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/a/b/main)\n\n"
                      "See [lesson 1](notebooks/01_lesson.ipynb), [the script](scripts/run.py) and "
                      "[grading](#checking-and-grading) and [instructors](docs/instructors.md#grading-a-class)."
                      "\n\n## Checking and grading\n\nText.\n")
    for source in site.DOCUMENTS:
        (tmp_path / source).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / source).write_text(f"# {source}\n\nText.\n")
    (tmp_path / "docs" / "instructors.md").write_text(
        "# For instructors\n\n## Grading a class\n\nBack [home](../README.md#checking-and-grading), to "
        "[releases](maintainers.md#releases), [lesson 2](../notebooks/02_lesson.ipynb), [this](#grading-a-class), "
        "[a script](../scripts/run.py).\n")
    (tmp_path / "docs" / "maintainers.md").write_text("# For maintainers\n\n## Releases\n\nText.\n")
    return solutions, executed, readme


@pytest.fixture
def site(load_script):
    return load_script("build_site")


def _build(site, chapter, out):
    solutions, executed, readme = chapter
    return site.build_site(executed, out, solutions_dir=solutions, readme=readme)


def test_lesson_pages_show_outputs_fold_solutions_and_link_media(site, chapter, tmp_path):
    out = tmp_path / "site"
    built = _build(site, chapter, out)
    page = (out / "01_lesson.html").read_text()
    assert built["pages"] == 2 + 1 + len(site.DOCUMENTS) and (out / "index.html").exists()
    assert "<title>1. First steps · Practical deep learning for audio</title>" in page
    assert '<details class="solution"><summary>Solution to exercise 1.1' in page
    assert fmt.BEGIN_SOLUTION not in page and fmt.CHECK_MARK not in page and "correct" in page
    assert "base64" not in page
    png, wav = (f"media/{name}" for name in sorted(p.name for p in (out / "media").iterdir()))
    assert png.endswith(".png") and wav.endswith(".wav")  # one file each, though each appears twice
    assert page.count(f'src="{png}"') == 2 and page.count(f'src="{wav}"') == 2
    assert (out / png).read_bytes() == base64.b64decode(PNG) and (out / wav).read_bytes() == base64.b64decode(WAV)
    assert "shown at its first setting (category: dog)" in page and "progress" not in page
    assert '<div class="banner"><strong>Offline stand-in.' in page
    assert 'href="02_lesson.html"' in page and "colab.research.google.com/assets" not in page
    assert "https://mybinder.org/v2/gh/practical-audio-dl/audio-course/main?urlpath=lab/tree/notebooks/01_lesson.ipynb" in page
    assert 'rel="prev"' in (out / "02_lesson.html").read_text() and 'rel="prev"' not in page
    assert "<pre" in page and page.count("<pre") == page.count('<pre tabindex="0"')  # keyboard users can scroll
    assert f'alt="{FIGURE_ALT}"' in page and 'alt="Waveform of dog clip 1"' in page  # figures described
    assert f"Sound: {SOUND_TEXT}" in page and "<p>Sound: a dog barking</p>" in page  # so are the clips


def test_every_pre_joins_the_tab_order_once(site):
    assert site.keyboard_scrollable('<pre>a</pre><pre class="x">b</pre><pre tabindex="-1">c</pre><p>pre</p>') == (
        '<pre tabindex="0">a</pre><pre tabindex="0" class="x">b</pre><pre tabindex="-1">c</pre><p>pre</p>')


def test_home_page_is_the_readme_with_links_made_local(site, chapter, tmp_path):
    out = tmp_path / "site"
    _build(site, chapter, out)
    home = (out / "index.html").read_text()
    assert 'href="01_lesson.html">lesson 1</a>' in home
    assert 'href="https://github.com/practical-audio-dl/audio-course/blob/main/scripts/run.py"' in home
    assert 'href="#Checking-and-grading"' in home and 'id="Checking-and-grading"' in home
    assert 'src="assets/binder-badge.svg"' in home and "badge_logo.svg" not in home
    assert "come from a run on the offline stand-in (categories: dog, cow) on 2026-11-26" in home
    assert 'href="instructors.html#Grading-a-class">instructors</a>' in home


def test_the_docs_are_pages_of_the_site_linked_to_each_other_and_to_the_lessons(site, chapter, tmp_path):
    out = tmp_path / "site"
    _build(site, chapter, out)
    page = (out / "instructors.html").read_text()
    assert "<title>For instructors · Practical deep learning for audio</title>" in page
    assert 'href="index.html#Checking-and-grading">home</a>' in page
    assert 'href="maintainers.html#Releases">releases</a>' in page
    assert 'href="02_lesson.html">lesson 2</a>' in page and 'href="#Grading-a-class">this</a>' in page
    assert 'href="https://github.com/practical-audio-dl/audio-course/blob/main/scripts/run.py"' in page
    for name in ["index.html", "01_lesson.html", "changelog.html"]:  # every page reaches the instructors' and maintainers'
        text = (out / name).read_text()
        assert 'href="instructors.html"' in text and 'href="maintainers.html"' in text


def test_a_missing_document_is_named(site, chapter, tmp_path):
    (tmp_path / "docs" / "decisions.md").unlink()
    with pytest.raises(site.SiteError, match=r"missing page source\(s\): .*docs/decisions.md"):
        _build(site, chapter, tmp_path / "site")


def test_a_copy_executed_from_another_version_is_refused(site, chapter, tmp_path):
    solutions, executed, _ = chapter
    notebook = nbformat.read(solutions / "02_lesson.ipynb", as_version=4)
    for edit in ["plot(changed=True)", "# 2. Next steps, reworded"]:
        cell = notebook.cells[1 if edit.startswith("plot") else 0]
        original, cell.source = cell.source, edit
        nbformat.write(notebook, solutions / "02_lesson.ipynb")
        with pytest.raises(site.SiteError, match=r"executed/02_lesson.ipynb: its cells differ"):
            _build(site, chapter, tmp_path / "site")
        cell.source = original


def test_a_failed_run_or_missing_copy_is_refused_and_the_old_site_kept(site, chapter, tmp_path):
    solutions, executed, _ = chapter
    out = tmp_path / "site"
    _build(site, chapter, out)
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    notebook = nbformat.read(executed / "01_lesson.ipynb", as_version=4)
    notebook.cells[1].outputs = [new_output("error", ename="ValueError", evalue="bad clip", traceback=[])]
    nbformat.write(notebook, executed / "01_lesson.ipynb")
    with pytest.raises(site.SiteError, match=r"01_lesson.ipynb: a cell failed \(ValueError: bad clip\)"):
        _build(site, chapter, out)
    (executed / "01_lesson.ipynb").unlink()
    with pytest.raises(site.SiteError, match="no executed copy of 01_lesson.ipynb"):
        _build(site, chapter, out)
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site-")] == []


def test_a_page_that_would_load_from_elsewhere_is_refused(site, chapter, tmp_path):
    solutions, executed, _ = chapter
    for folder in (solutions, executed):
        notebook = nbformat.read(folder / "02_lesson.ipynb", as_version=4)
        notebook.cells.append(new_markdown_cell("![logo](https://example.org/logo.png)"))
        nbformat.write(notebook, folder / "02_lesson.ipynb")
    with pytest.raises(site.SiteError, match=r"02_lesson.html: would load 'https://example.org/logo.png'"):
        _build(site, chapter, tmp_path / "site")


def test_check_offline_catches_scripts_and_protocol_relative_urls(site):
    with pytest.raises(site.SiteError, match="<script>"):
        site.check_offline("a.html", "<p><script src=x.js></script></p>")
    with pytest.raises(site.SiteError, match="//cdn.example.org/a.css"):
        site.check_offline("a.html", '<link rel="stylesheet" href="//cdn.example.org/a.css">')
    with pytest.raises(site.SiteError, match="https://example.org/a.png"):
        site.check_offline("a.html", "<img alt='x' src='https://example.org/a.png'>")
    site.check_offline("a.html", '<a href="https://colab.research.google.com/x">Colab</a><img src="media/a.png">')


def test_an_output_the_site_cannot_show_is_refused_with_its_lesson_named(site, chapter, tmp_path):
    _, executed, _ = chapter
    notebook = nbformat.read(executed / "01_lesson.ipynb", as_version=4)
    notebook.cells[2].outputs.append(new_output("display_data", data={"application/javascript": "alert(1)"}))
    nbformat.write(notebook, executed / "01_lesson.ipynb")
    with pytest.raises(site.SiteError, match=r"^01_lesson.ipynb: a cell outputs JavaScript"):
        _build(site, chapter, tmp_path / "site")


def test_a_figure_without_a_description_is_refused(site, chapter, tmp_path):
    _, executed, _ = chapter
    notebook = nbformat.read(executed / "02_lesson.ipynb", as_version=4)
    notebook.cells[1].outputs[1].metadata = {}  # as a figure drawn without the course's helpers
    nbformat.write(notebook, executed / "02_lesson.ipynb")
    with pytest.raises(site.SiteError, match="02_lesson.html: a figure has no description"):
        _build(site, chapter, tmp_path / "site")


def test_a_player_without_a_description_is_refused(site, chapter, tmp_path):
    _, executed, _ = chapter
    notebook = nbformat.read(executed / "01_lesson.ipynb", as_version=4)
    del notebook.cells[2].outputs[0]  # the "Sound: ..." line that play() prints
    nbformat.write(notebook, executed / "01_lesson.ipynb")
    with pytest.raises(site.SiteError, match="01_lesson.html: player 1 has no description"):
        _build(site, chapter, tmp_path / "site")


@pytest.mark.parametrize("page", [
    '<img src="a.png">', '<img src="a.png" alt="">', '<img src="a.png" alt="No description has been provided for this image">',
    '<p>Sound: a dog</p><audio src="a.wav"></audio><audio src="b.wav"></audio>',
])
def test_check_described_refuses_each_missing_description(site, page):
    with pytest.raises(site.SiteError, match="no description"):
        site.check_described("a.html", page)


def test_check_described_accepts_described_figures_and_clips(site):
    site.check_described("a.html", '<img src="a.png" alt="Bars: dog 32 and 8"><pre>Sound: a dog</pre>'
                                   '<audio src="a.wav"></audio><p>Sound: a cow</p><audio src="b.wav"></audio>')


def test_a_widget_that_is_no_explorer_is_shown_with_its_own_caption(site, tmp_path):
    media = site.Media(tmp_path)
    own = site.snapshot_html({"settings": "none chosen", "caption": "A button to choose <files>."}, media)
    assert "<figcaption>A button to choose &lt;files&gt;.</figcaption>" in own and "explorer," not in own
    default = site.snapshot_html({"settings": "category: dog"}, media)
    assert "Interactive explorer, shown at its first setting (category: dog)." in default
