"""Progress bars that a saved notebook keeps as text.

tqdm's notebook bar is an ipywidget: a notebook saved and opened again shows "Error displaying
widget: model not found" where it was. In a Jupyter kernel the bars here are tqdm's text bars,
written to the cell's standard output, where each update overwrites the line; elsewhere (a
terminal, a script) they are tqdm's usual bars on standard error.
"""

from __future__ import annotations

import sys

from tqdm.std import tqdm


def in_notebook() -> bool:
    """Whether this code runs in a Jupyter kernel (JupyterLab, Colab, classic Jupyter, nbval)."""
    shell = sys.modules.get("IPython") and sys.modules["IPython"].get_ipython()
    return shell is not None and hasattr(shell, "kernel")


def progress_bar(*args, **kwargs) -> tqdm:
    """tqdm's bar, on the cell's output in a notebook (see the module's docstring)."""
    if in_notebook():
        kwargs.setdefault("file", sys.stdout)
        kwargs.setdefault("mininterval", 0.5)
    return tqdm(*args, **kwargs)
