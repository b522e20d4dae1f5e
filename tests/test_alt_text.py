"""course_utils.alt_text: descriptions attached to figures, printed in a notebook, and put into the
PNG output's `alt` metadata by IPython's own display machinery (a real DisplayFormatter)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from IPython.core.formatters import DisplayFormatter  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from course_utils import alt_text  # noqa: E402


class Shell:
    """What alt_text uses of an IPython shell, with matplotlib's inline PNG formatter stood in for."""

    def __init__(self, png=lambda fig: "PNG-BYTES"):
        self.display_formatter = DisplayFormatter()
        self.display_formatter.formatters["image/png"].for_type(Figure, png)


@pytest.fixture
def figure():
    fig, _ = plt.subplots()
    yield fig
    plt.close(fig)


def test_descriptions_accumulate_in_order(figure):
    assert alt_text.description(figure) == ""
    alt_text.attach(figure, "Clip A: quiet.")
    alt_text.attach(figure, "Clip B: loud.")
    assert alt_text.description(figure) == "Clip A: quiet. Clip B: loud."


def test_outside_a_notebook_nothing_is_printed(figure, capsys, monkeypatch):
    monkeypatch.setattr(alt_text, "_shell", lambda: None)
    alt_text.attach(figure, "Bars.")
    assert capsys.readouterr().out == "" and alt_text.description(figure) == "Bars."


def test_in_a_notebook_the_description_is_printed_and_becomes_alt(figure, capsys, monkeypatch):
    shell = Shell()
    monkeypatch.setattr(alt_text, "_shell", lambda: shell)
    alt_text.attach(figure, "Bars: dog 32 and 8.")
    assert capsys.readouterr().out == "Figure: Bars: dog 32 and 8.\n"
    data, metadata = shell.display_formatter.format(figure)
    assert data["image/png"] == "PNG-BYTES" and metadata["image/png"] == {"alt": "Bars: dog 32 and 8."}


def test_a_long_description_is_printed_wrapped_and_kept_whole_as_alt(figure, capsys, monkeypatch):
    shell = Shell()
    monkeypatch.setattr(alt_text, "_shell", lambda: shell)
    text = "Confusion matrix: " + "; ".join(f"category_{n} 7 of 8 right" for n in range(12)) + "."
    alt_text.attach(figure, text)
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) > 1 and all(len(line) <= alt_text.WIDTH for line in printed)
    assert " ".join(line.strip() for line in printed) == f"Figure: {text}"
    assert shell.display_formatter.format(figure)[1]["image/png"]["alt"] == text


def test_quietly_keeps_the_alt_but_prints_nothing(figure, capsys, monkeypatch):
    shell = Shell()
    monkeypatch.setattr(alt_text, "_shell", lambda: shell)
    with alt_text.quietly():
        alt_text.attach(figure, "Explorer figure.")
    assert capsys.readouterr().out == ""
    assert shell.display_formatter.format(figure)[1]["image/png"] == {"alt": "Explorer figure."}


def test_print_false_keeps_the_alt(figure, capsys, monkeypatch):
    shell = Shell()
    monkeypatch.setattr(alt_text, "_shell", lambda: shell)
    monkeypatch.setattr(alt_text, "PRINT", False)
    alt_text.attach(figure, "Curves.")
    assert capsys.readouterr().out == "" and shell.display_formatter.format(figure)[1]["image/png"]["alt"] == "Curves."


def test_the_formatter_is_wrapped_once_and_keeps_its_own_metadata(figure, monkeypatch):
    shell = Shell(png=lambda fig: ("PNG-BYTES", {"width": 400}))  # as with the "retina" figure format
    monkeypatch.setattr(alt_text, "_shell", lambda: shell)
    alt_text.attach(figure, "One.")
    alt_text.attach(figure, "Two.")
    data, metadata = shell.display_formatter.format(figure)
    assert data["image/png"] == "PNG-BYTES" and metadata["image/png"] == {"width": 400, "alt": "One. Two."}


def test_a_figure_without_a_description_gets_no_alt(figure, monkeypatch):
    shell = Shell()
    monkeypatch.setattr(alt_text, "_shell", lambda: shell)
    described, _ = plt.subplots()
    alt_text.attach(described, "Described.")
    assert "image/png" not in shell.display_formatter.format(figure)[1]
    plt.close(described)
