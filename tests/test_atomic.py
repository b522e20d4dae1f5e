"""Atomic writes: the target is the new file after success, and untouched (no leftovers) after a failure."""

import os

import pytest

from course_utils.atomic import atomic_path, write_text_atomically


def test_a_finished_block_replaces_the_target(tmp_path):
    target = tmp_path / "new" / "file.txt"
    with atomic_path(target) as temporary:
        assert temporary.parent == target.parent and temporary != target
        temporary.write_text("complete")
        assert not target.exists()
    assert target.read_text() == "complete"
    assert [p.name for p in target.parent.iterdir()] == ["file.txt"]


def test_a_failed_block_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "file.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_path(target) as temporary:
        temporary.write_text("half")
        raise RuntimeError("disk full")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["file.txt"]


def test_text_is_written_as_utf8(tmp_path):
    write_text_atomically(tmp_path / "note.md", "± café")
    assert (tmp_path / "note.md").read_bytes() == "± café".encode()


def test_a_failed_rename_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    from course_utils import atomic

    target = tmp_path / "results" / "table.md"
    write_text_atomically(target, "old\n")

    def crash(*args):
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        write_text_atomically(target, "new\n")
    assert target.read_text() == "old\n" and list(target.parent.iterdir()) == [target]


def test_a_new_file_gets_the_usual_permissions_not_the_temporarys(tmp_path):
    previous = os.umask(0o022)
    try:
        write_text_atomically(tmp_path / "new.txt", "x")
        assert (tmp_path / "new.txt").stat().st_mode & 0o777 == 0o644  # readable by others, as `open` would make it
        os.umask(0o077)
        write_text_atomically(tmp_path / "private.txt", "x")
        assert (tmp_path / "private.txt").stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(previous)


def test_an_overwritten_file_keeps_its_permissions(tmp_path):
    target = tmp_path / "kept.txt"
    target.write_text("old")
    target.chmod(0o640)
    write_text_atomically(target, "new")
    assert target.stat().st_mode & 0o777 == 0o640 and target.read_text() == "new"
