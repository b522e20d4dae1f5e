"""course_utils.uploads: FileUpload's value in ipywidgets 7's and 8's formats, saved under plain names."""

from __future__ import annotations

import pytest

from course_utils.uploads import safe_name, save_uploads, uploaded_files

SEVEN = {"dog.wav": {"metadata": {"name": "dog.wav", "size": 3}, "content": b"abc"},
         "kettle.mp3": {"metadata": {"name": "kettle.mp3", "size": 2}, "content": b"xy"}}
EIGHT = ({"name": "dog.wav", "type": "audio/wav", "size": 3, "content": memoryview(b"abc"), "last_modified": 0},
         {"name": "kettle.mp3", "type": "audio/mpeg", "size": 2, "content": memoryview(b"xy"), "last_modified": 0})


@pytest.mark.parametrize("value", [SEVEN, EIGHT], ids=["ipywidgets 7", "ipywidgets 8"])
def test_both_formats_give_the_same_files(tmp_path, value):
    assert uploaded_files(value) == [("dog.wav", b"abc"), ("kettle.mp3", b"xy")]
    saved = save_uploads(value, tmp_path / "mine")
    assert [p.name for p in saved] == ["dog.wav", "kettle.mp3"] and saved[0].read_bytes() == b"abc"
    assert sorted(p.name for p in (tmp_path / "mine").iterdir()) == ["dog.wav", "kettle.mp3"]


@pytest.mark.parametrize("name, plain", [("dog.wav", "dog.wav"), ("../../etc/passwd", "passwd"),
                                         ("C:\\Users\\me\\take 1.wav", "take 1.wav"), ("/tmp/x.flac", "x.flac")])
def test_a_name_with_folders_keeps_only_its_last_part(name, plain):
    assert safe_name(name) == plain


@pytest.mark.parametrize("name", ["", ".hidden.wav", "..", "music/.."])
def test_an_empty_or_hidden_name_is_refused_and_nothing_is_written(tmp_path, name):
    with pytest.raises(ValueError, match="refusing the uploaded file name"):
        save_uploads({name: {"metadata": {}, "content": b"a"}}, tmp_path)
    assert list(tmp_path.iterdir()) == []
