"""Figure descriptions where screen readers find them.

JupyterLab and Colab show a figure as an image with no text alternative, so in a notebook the
description is printed as text above the figure. It also goes into the figure's PNG output as
`alt` metadata, which nbconvert (and the course's web pages) write into the `<img>` element.
Set `PRINT = False` to keep the printed text out of a notebook; the `alt` metadata stays.
"""

from __future__ import annotations

import textwrap
from contextlib import contextmanager

from matplotlib.figure import Figure

PRINT = True
WIDTH = 100  # printed descriptions are wrapped: output panes and the site do not wrap long lines
_ATTRIBUTE = "course_descriptions"
_quiet = False


def attach(fig: Figure, text: str) -> None:
    """Add `text` to the figure's description; print it when running in a notebook."""
    setattr(fig, _ATTRIBUTE, [*getattr(fig, _ATTRIBUTE, []), text])
    if _in_notebook():
        _add_alt_to_png_output()
        if PRINT and not _quiet:
            print(textwrap.fill(f"Figure: {text}", WIDTH, subsequent_indent="  "))


def description(fig: Figure) -> str:
    """Everything attached to the figure so far, in order; empty when nothing was."""
    return " ".join(getattr(fig, _ATTRIBUTE, []))


@contextmanager
def quietly():
    """Attach descriptions without printing them (for explorers, which show them in a label)."""
    global _quiet
    previous, _quiet = _quiet, True
    try:
        yield
    finally:
        _quiet = previous


def _shell():
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def _in_notebook() -> bool:
    shell = _shell()
    return shell is not None and "image/png" in shell.display_formatter.formatters


def _add_alt_to_png_output() -> None:
    """Wrap IPython's PNG formatter for figures so that it also returns {"alt": description}.

    Done each time a description is attached, since matplotlib's inline backend registers its
    formatter only once a figure exists, and again if the figure format is changed.
    """
    png = _shell().display_formatter.formatters["image/png"]
    try:
        draw = png.lookup_by_type(Figure)
    except KeyError:
        return
    if getattr(draw, "adds_alt_text", False):
        return

    def with_alt(fig: Figure):
        result = draw(fig)
        data, metadata = result if isinstance(result, tuple) else (result, {})
        text = description(fig)
        return (data, {**(metadata or {}), "alt": text}) if text and data is not None else result

    with_alt.adds_alt_text = True
    png.for_type(Figure, with_alt)
