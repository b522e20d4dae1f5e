import pandas as pd
import pytest

from course_utils import notebook_format as fmt
from course_utils.constants import DEFAULT_CATEGORIES, METADATA_COLUMNS
from course_utils.esc50 import (
    course_categories,
    is_standin,
    load_metadata,
    prepare_data,
    select_categories,
    split_by_fold,
    validate_metadata,
)
from course_utils.download import clip_problem
from course_utils.synthetic import standin_metadata


def test_standin_metadata_has_esc50_columns(tmp_path):
    metadata = load_metadata("synthetic", tmp_path)
    assert list(metadata.columns) == list(METADATA_COLUMNS)
    assert len(metadata) == 2000
    assert metadata["fold"].dtype.kind == "i" and metadata["esc10"].dtype == bool


def test_chapter_split_is_128_train_32_validation():
    subset = select_categories(standin_metadata(), DEFAULT_CATEGORIES)
    train, val = split_by_fold(subset)
    assert (len(train), len(val)) == (128, 32)
    assert set(val["fold"]) == {1} and set(train["fold"]) == {2, 3, 4, 5}
    assert sorted(set(train["category"])) == sorted(DEFAULT_CATEGORIES)


def test_other_validation_fold():
    train, val = split_by_fold(select_categories(standin_metadata(), ["dog"]), val_fold=3)
    assert set(val["fold"]) == {3} and len(val) == 8 and len(train) == 32
    with pytest.raises(ValueError, match="val_fold"):
        split_by_fold(standin_metadata(), val_fold=6)


def test_unknown_category_suggests_close_matches():
    with pytest.raises(ValueError, match=r"unknown category 'chirping_bird'.*Did you mean chirping_birds"):
        select_categories(standin_metadata(), ["dog", "chirping_bird"])


def test_categories_as_a_string_are_refused():
    with pytest.raises(TypeError, match="list of names"):
        select_categories(standin_metadata(), "dog")


def test_duplicate_categories_are_refused():
    with pytest.raises(ValueError, match="duplicate"):
        select_categories(standin_metadata(), ["dog", "dog"])


def _rows():
    return standin_metadata().head(3).copy()


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda df: df.drop(columns=["fold", "take"]), r"missing column\(s\) \['fold', 'take'\]"),
        (lambda df: df.iloc[0:0], "has no rows"),
        (lambda df: df.assign(fold=["one", 2, 3]), "'fold' must hold integers, found 'one'"),
        (lambda df: df.assign(target=[0.5, 1, 2]), "'target' must hold integers"),
        (lambda df: pd.concat([df, df.iloc[:1]]), "appears more than once"),
        (lambda df: df.assign(filename=["../../x.wav", "b", "c"]), r"file name '\.\./\.\./x\.wav'"),
        (lambda df: df.assign(filename=["/etc/passwd", "b", "c"]), "file name '/etc/passwd'"),
        (lambda df: df.assign(filename=["1-2-A-0%2F..%2Fx.wav", "b", "c"]), "is not of the form"),
    ],
)
def test_bad_metadata_is_rejected(change, message):
    with pytest.raises(ValueError, match=message):
        validate_metadata(change(_rows()), origin="meta.csv")


def test_metadata_from_mirror(server, tmp_path):
    metadata = load_metadata(server.url, tmp_path)
    assert len(metadata) == 2000
    assert server.requests["esc50.csv"] == 1
    load_metadata(server.url, tmp_path)  # a second call reads the cached copy
    assert server.requests["esc50.csv"] == 1


def test_broken_remote_metadata_is_not_cached(server, tmp_path):
    server.faults.html.add("esc50.csv")
    with pytest.raises(ValueError, match="missing column"):
        load_metadata(server.url, tmp_path)
    server.faults.html.clear()
    assert len(load_metadata(server.url, tmp_path)) == 2000


def test_empty_metadata_file_names_the_file(tmp_path):
    (tmp_path / "meta").mkdir()
    (tmp_path / "meta" / "esc50.csv").write_text("")
    with pytest.raises(ValueError, match="esc50.csv: not a readable metadata csv"):
        load_metadata(str(tmp_path))


def test_prepare_data_from_standin(tmp_path):
    data = prepare_data(source="synthetic", cache_dir=tmp_path, progress=False)
    assert (len(data.train), len(data.val)) == (128, 32) and data.standin
    assert data.categories == tuple(DEFAULT_CATEGORIES)
    assert data.audio_dir == tmp_path / "synthetic" / "audio"
    assert all(clip_problem(data.audio_dir / name) is None for name in data.val["filename"])


def test_prepare_data_follows_course_data(monkeypatch, tmp_path, server):
    monkeypatch.setenv("COURSE_DATA", server.url)
    data = prepare_data(["cow"], cache_dir=tmp_path, progress=False)
    assert data.source.kind == "mirror" and (len(data.train), len(data.val)) == (32, 8)


def test_course_categories_follow_the_environment(monkeypatch):
    assert course_categories() == list(DEFAULT_CATEGORIES)
    monkeypatch.setenv("COURSE_CATEGORIES", "dog, rooster ,cow")
    assert course_categories() == ["dog", "rooster", "cow"]


@pytest.mark.parametrize("how", ["synthetic", "mirror", "folder"])
def test_standin_is_announced_wherever_it_comes_from(how, server, standin_root, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("course_utils.esc50._ANNOUNCED", set())
    spec = {"synthetic": "synthetic", "mirror": server.url, "folder": str(standin_root)}[how]
    metadata = load_metadata(spec, tmp_path)
    banner = capsys.readouterr().out
    assert is_standin(metadata)
    assert fmt.STANDIN_MARK in banner and "NOT match" in banner
    load_metadata(spec, tmp_path)
    assert capsys.readouterr().out == ""  # once per source and process is enough


def test_other_metadata_is_not_taken_for_the_standin(capsys):
    metadata = standin_metadata()
    metadata.loc[0, "filename"] = "1-100032-A-0.wav"
    assert not is_standin(metadata)


def test_complete_categories_of_a_partial_copy(tmp_path):
    from course_utils.esc50 import complete_categories
    from course_utils.synthetic import standin_metadata, write_standin

    metadata = standin_metadata()
    dog = metadata.loc[metadata["category"] == "dog", "filename"].tolist()
    cow = metadata.loc[metadata["category"] == "cow", "filename"].tolist()
    write_standin(tmp_path / "copy", filenames=dog + cow[:-1])  # one cow clip missing
    assert complete_categories(str(tmp_path / "copy")) == ("dog",)
    assert len(complete_categories("synthetic", cache_dir=tmp_path / "cache")) == 50  # generated on demand
