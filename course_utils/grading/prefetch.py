"""What a lesson's grading needs from the network, fetched once, so that grading itself needs none.

    python -m course_utils.grading.prefetch --lesson 7 --source esc50 /opt/course-data

writes a folder with ESC-50's layout (its metadata, and the clips of the lesson's categories,
each validated as the lessons validate them, with those of the eight other categories a lesson
like 10 compares against) and, for a lesson that builds ResNet18 with ImageNet weights, torch's
checkpoint under `torch/`. Gradescope's setup.sh runs this when it builds the
image; every submission is then graded with COURSE_DATA and TORCH_HOME pointing there.
The folder appears whole or not at all: it is filled beside its final place and renamed into it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ..constants import AUDIO_DIR, METADATA_PATH
from .exercises import Lesson, NotALesson, find_lesson

WEIGHTS_DIR = "torch"  # TORCH_HOME inside the folder
USES_IMAGENET = frozenset({"07_transfer_learning"})  # lessons that build resnet18_transfer (tests/test_prefetch.py)
USES_OTHER_CATEGORIES = frozenset({"10_your_own_sounds"})  # lessons that call prepare_source_data (the same test)


def lesson_categories(lesson: Lesson, source, cache_dir: Path, categories: Sequence[str] | None = None) -> list[str]:
    """The categories grading `lesson` reads: the chapter's (or `categories`), and others where it uses them."""
    from ..esc50 import complete_categories, course_categories
    from ..few_shot import pick_source_categories

    targets = list(categories or course_categories())
    if lesson.name not in USES_OTHER_CATEGORIES:
        return targets
    return targets + list(pick_source_categories(targets, among=complete_categories(source, cache_dir)))


def weights_folder(folder: str | os.PathLike) -> Path | None:
    """TORCH_HOME for grading from a prefetched `folder`: its weights folder, or None if it has none."""
    if "://" in str(folder) or str(folder) in ("auto", "esc50", "synthetic"):
        return None
    path = Path(folder) / WEIGHTS_DIR
    return path if path.is_dir() else None


def _fetch_imagenet_weights(torch_home: Path) -> Path:
    import torch
    from torchvision.models import ResNet18_Weights

    from ..models import imagenet_checkpoint

    previous = torch.hub.get_dir()
    torch.hub.set_dir(str(torch_home / "hub"))
    try:
        return imagenet_checkpoint(ResNet18_Weights.IMAGENET1K_V1.url)
    finally:
        torch.hub.set_dir(previous)


def readable_by_all(folder: Path) -> None:
    """Folders 0755 and files 0644 from `folder` down: submissions run as another user."""
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


def prefetch(lesson: Lesson, source: str, into: Path, categories: Sequence[str] | None = None) -> list[Path]:
    """Fill `into` with what grading `lesson` reads from the network; the files written."""
    from ..download import download_clips  # here, not above: the grader imports this module for weights_folder
    from ..esc50 import load_metadata, select_categories
    from ..sources import resolve_source

    into = into.resolve()
    if into.exists():
        raise FileExistsError(f"{into} exists already; remove it, or prefetch into another folder")
    into.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{into.name}.", dir=into.parent))
    try:
        chosen = resolve_source(source)
        metadata = load_metadata(chosen, cache_dir=staging / "cache")
        clips = select_categories(metadata, lesson_categories(lesson, chosen, staging / "cache", categories))
        fetched = download_clips(clips, chosen, cache_dir=staging / "cache", progress=False)
        (staging / METADATA_PATH).parent.mkdir(parents=True)
        (staging / AUDIO_DIR).mkdir(parents=True)
        metadata.to_csv(staging / METADATA_PATH, index=False)
        for path in fetched:
            os.replace(path, staging / AUDIO_DIR / path.name)
        shutil.rmtree(staging / "cache")
        if lesson.name in USES_IMAGENET:
            _fetch_imagenet_weights(staging / WEIGHTS_DIR)
        readable_by_all(staging)  # mkdtemp's 0700 and the downloads' 0600 would keep the learner's user out
        os.replace(staging, into)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sorted(p for p in into.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course_utils.grading.prefetch", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lesson", required=True, help="e.g. 07_transfer_learning or 7")
    parser.add_argument("--source", default="esc50", help='where to fetch from: "esc50" (default), a mirror URL '
                        "or a folder")
    parser.add_argument("into", type=Path, help="the folder to create")
    args = parser.parse_args(argv)
    try:
        lesson = find_lesson(args.lesson)
    except NotALesson as error:
        parser.error(str(error))
    try:
        written = prefetch(lesson, args.source, args.into)
    except (OSError, ValueError, RuntimeError) as error:  # DownloadError is a RuntimeError: each names the file and the reason
        print(f"prefetch for lesson {lesson.name} failed; nothing was written to {args.into}:\n{error}", file=sys.stderr)
        return 1
    import pandas as pd

    clips = {p.name for p in written if p.parent.name == AUDIO_DIR}
    metadata = pd.read_csv(args.into / METADATA_PATH)
    held = metadata.loc[metadata["filename"].isin(clips), "category"].unique()
    weights = " and ResNet18's ImageNet weights" if lesson.name in USES_IMAGENET else ""
    print(f"{args.into}: {len(clips)} clips of {', '.join(held)}, the metadata{weights}, "
          f"for grading lesson {lesson.name} offline.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
