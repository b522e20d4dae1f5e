"""Lesson 1's checks: choosing rows from the metadata, and a download that never leaves a broken file."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from ..esc50 import select_categories, split_by_fold
from ..server import Faults, serve_directory
from ..synthetic import standin_metadata, write_standin
from .core import AnswerError, WrongAnswer, call, exercise, expect

NOT_NEEDED = "The rest of the lesson does not need it."


@exercise("1.1", then="The lesson goes on with the course's `split_by_fold`.")
def check_split(train_val_split: Callable) -> None:
    """Exercise 1.1: train_val_split(metadata, categories, val_fold=1) -> (train, val)."""
    # Rows in no particular order, with an index that is not 0, 1, 2, ...
    metadata = standin_metadata().sample(frac=1.0, random_state=7)
    pristine = metadata.copy()
    for categories, fold in [(["cow", "dog"], None), (["rain", "siren", "cow"], 4), (["dog"], 5)]:
        arguments = (metadata, list(categories)) if fold is None else (metadata, list(categories), fold)
        shown = f"train_val_split(metadata, {categories}" + (")" if fold is None else f", {fold})")
        result = call(shown, train_val_split, *arguments)
        fold = 1 if fold is None else fold
        expect(isinstance(result, tuple) and len(result) == 2, "not-a-pair", "Return a pair: (train, val).")
        train, val = result
        expect(isinstance(train, pd.DataFrame) and isinstance(val, pd.DataFrame), "not-dataframes",
               "Return two DataFrames: (train, val).")
        expect(metadata.equals(pristine), "metadata-changed", "Do not change `metadata`: select rows from it.")
        want_train, want_val = split_by_fold(select_categories(metadata, categories), fold)
        expect({"fold", "category", "filename"} <= set(train.columns) & set(val.columns), "columns-dropped",
               "Keep the metadata's columns: select rows, not columns.")
        expect(set(val["fold"]) == {fold}, "val-not-the-fold",
               f"In {shown} every validation row should come from fold {fold}"
               + (" (the default of val_fold is 1)." if len(arguments) == 2 else "."))
        expect(fold not in set(train["fold"]), "val-fold-in-train", f"In {shown} no training row may come from fold {fold}.")
        expect(set(train["category"]) == set(val["category"]) == set(categories), "categories-not-kept",
               f"In {shown} keep only the rows of the chosen categories, {categories} (hint: .isin).")
        expect(sorted(train["filename"]) == sorted(want_train["filename"])
               and sorted(val["filename"]) == sorted(want_val["filename"]), "rows-missing",
               f"In {shown} expected {len(want_train)} training and {len(want_val)} validation rows, "
               f"got {len(train)} and {len(val)}.")


def _downloads(download_file: Callable, url: str, destination: Path, what: str) -> None:
    """Run the learner's download with the system's temporary folder pointing nowhere, so that a
    file staged anywhere but beside `destination` shows."""
    elsewhere = destination.parent / "system temporary folder (absent)"
    saved, tempfile.tempdir = tempfile.tempdir, str(elsewhere)
    try:
        call(what, download_file, url, destination)
    except AnswerError as error:
        if elsewhere.name in str(error.error):
            raise error.with_hint("Stage the download in a temporary file in the same folder as `destination` "
                                  "(tempfile.mkstemp(dir=destination.parent), or destination's name plus '.part'): "
                                  "a rename is complete at once only within one folder's file system.",
                                  "temporary-elsewhere") from error.error
        raise
    finally:
        tempfile.tempdir = saved


@exercise("1.2", then=NOT_NEEDED)
def check_download(download_file: Callable) -> None:
    """Exercise 1.2: download_file(url, destination) saves the body, or raises and leaves nothing."""
    good_name, other_name, missing, forbidden, cut = (f"1-90000{i}-A-0.wav" for i in range(5))
    with tempfile.TemporaryDirectory() as folder:
        root = write_standin(Path(folder) / "server", [good_name, other_name, cut])
        faults = Faults(status={missing: 404, forbidden: 500}, truncate={cut})
        with serve_directory(root, faults) as server:
            for name, target in [(good_name, "clip.wav"), (other_name, "another name.wav")]:
                good = Path(folder) / f"good-{name}" / target
                good.parent.mkdir()
                _downloads(download_file, f"{server.url}/audio/{name}", good, f"download_file(url, {target!r})")
                expect(good.is_file(), "no-file", "The file should exist at `destination` after the download.")
                expect(good.read_bytes() == (root / "audio" / name).read_bytes(), "bytes-differ",
                       "The saved bytes differ from the server's file: write response.content (the body) to the file.")
                expect([p.name for p in good.parent.iterdir()] == [target], "temporary-left",
                       "After a download, only `destination` should be in its folder: rename the temporary "
                       "file to `destination`, do not copy it.")
            for name, what in [(missing, "A 404 answer"), (forbidden, "A 500 answer"),
                               (cut, "A connection that breaks off halfway"),
                               (good_name, "A destination that cannot be written (a folder of that name)")]:
                bad = Path(folder) / f"bad-{name}-{len(what)}" / "clip.wav"
                bad.parent.mkdir()
                if name == good_name:
                    (bad / "in the way").mkdir(parents=True)  # the rename at the end fails
                try:
                    _downloads(download_file, f"{server.url}/audio/{name}", bad, "download_file")
                except NotImplementedError:
                    raise
                except Exception:  # noqa: BLE001  (any exception is the right reaction)
                    pass
                else:
                    raise WrongAnswer(f"{what} must raise an error (hint: response.raise_for_status(); "
                                      "requests raises by itself when the body is cut short).", "no-error-raised")
                expect(bad.is_dir() if name == good_name else not bad.exists(), "broken-file-kept",
                       f"{what} left a file at `destination`: write to a temporary file in the same folder and "
                       "rename it only when the download is complete.")
                left = sorted(p.name for p in bad.parent.iterdir() if p != bad)
                expect(not left, "temporary-left-on-error", f"{what} left {left} behind: delete the temporary "
                       "file when anything fails, the final rename included (try/finally).")
