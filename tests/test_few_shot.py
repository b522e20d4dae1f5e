import dataclasses

import pandas as pd
import pytest
import torch
from torch.utils.data import TensorDataset

from course_utils.models import SpectrogramCNN
from course_utils.synthetic import standin_metadata
from course_utils.esc50 import select_categories
from course_utils.few_shot import (
    ARMS,
    PretrainRecipe,
    body_outputs,
    comparisons,
    conclusions,
    few_shot_study,
    pretraining_gain,
    load_weights,
    mean_steps,
    pick_source_categories,
    sample_shots,
    save_weights,
    source_model_file,
    summarize_study,
    train_arm,
)
from course_utils.constants import ESC10_CATEGORIES, ESC50_CATEGORIES
from course_utils.sources import resolve_source


@pytest.mark.parametrize("targets", [
    ["dog", "cow", "chirping_birds", "vacuum_cleaner"],
    ["rain", "sea_waves", "helicopter", "chainsaw"],
    list(ESC10_CATEGORIES),
    list(ESC50_CATEGORIES[:44]),
])
def test_source_categories_never_overlap_the_targets(targets):
    source = pick_source_categories(targets)
    assert len(source) == min(8, 50 - len(targets)) and len(set(source)) == len(source)
    assert not set(source) & set(targets)
    assert set(source) <= set(ESC50_CATEGORIES)


def test_source_prefers_esc10_categories():
    assert pick_source_categories(["dog", "cow"], n=3, minimum=3) == ("rooster", "rain", "sea_waves")


def test_too_few_categories_left_for_a_source_is_a_clear_error():
    with pytest.raises(ValueError, match="only 2 categories are left outside the 48 targets"):
        pick_source_categories(list(ESC50_CATEGORIES[:48]))
    with pytest.raises(ValueError, match="not ESC-50 categories: dgo"):
        pick_source_categories(["dgo", "cow"])


def test_cached_source_model_is_keyed_by_everything_that_shapes_it(tmp_path):
    standin, mirror = resolve_source("synthetic"), resolve_source("http://127.0.0.1:8765")
    base = source_model_file(tmp_path, standin, ["rain", "sneezing"], PretrainRecipe(epochs=10))
    assert base.parent == tmp_path and base.name.startswith("source-cnn-synthetic-")
    assert base == source_model_file(tmp_path, standin, ["rain", "sneezing"])  # the default recipe
    others = [source_model_file(tmp_path, mirror, ["rain", "sneezing"]),
              source_model_file(tmp_path, standin, ["rain", "helicopter"]),
              *(source_model_file(tmp_path, standin, ["rain", "sneezing"], PretrainRecipe(**{field: value}))
                for field, value in [("epochs", 20), ("seed", 1), ("lr", 3e-3), ("batch_size", 16)])]
    assert len({base, *others}) == 7


def test_pretrain_trains_by_every_field_of_its_recipe(monkeypatch):
    from course_utils import few_shot

    seen = {}
    original_fit = few_shot.fit

    def spy(model, loader, optimizer, epochs, **options):
        seen.update(lr=optimizer.param_groups[0]["lr"], batch_size=loader.batch_size, epochs=epochs)
        return original_fit(model, loader, optimizer, epochs, **options)

    monkeypatch.setattr(few_shot, "fit", spy)
    x, y = _toy(8)
    few_shot.pretrain(x, y, PretrainRecipe(epochs=2, lr=3e-3, batch_size=4, seed=5))
    assert seen == {"lr": 3e-3, "batch_size": 4, "epochs": 2}
    assert set(dataclasses.asdict(PretrainRecipe())) == {"epochs", "lr", "batch_size", "seed"}


def test_sample_shots_per_category_is_reproducible():
    metadata = select_categories(standin_metadata(), ["dog", "cow"])
    chosen = sample_shots(metadata, 3, seed=1)
    assert chosen.groupby("category").size().to_dict() == {"cow": 3, "dog": 3}
    assert chosen["filename"].tolist() == sample_shots(metadata, 3, seed=1)["filename"].tolist()
    assert len(sample_shots(metadata, 100)) == 80


def test_weights_round_trip_without_pickle(tmp_path):
    model = SpectrogramCNN(3, 32, 32)
    save_weights(model, tmp_path / "m.pt")
    restored = load_weights(SpectrogramCNN(3, 32, 32), tmp_path / "m.pt")
    assert all(torch.equal(a, b) for a, b in zip(model.state_dict().values(), restored.state_dict().values()))
    torch.save({"weights": object()}, tmp_path / "evil.pt")
    with pytest.raises(Exception, match="[Ww]eights only load failed|Unsupported"):
        load_weights(SpectrogramCNN(3, 32, 32), tmp_path / "evil.pt")


def _toy(n, classes=2, seed=0):
    generator = torch.Generator().manual_seed(seed)
    y = torch.arange(n) % classes
    x = torch.randn(n, 128, 157, generator=generator) * 5 - 40
    x[y == 1, :20] += 30  # class 1 is loud in the low bands
    return x, y


def test_frozen_arm_changes_only_the_head(monkeypatch):
    body = SpectrogramCNN(2).features
    before = {k: v.clone() for k, v in body.state_dict().items()}
    seen = {}
    from course_utils import few_shot

    original = few_shot._target_model

    def spy(arm, n, b):
        model, optimizer = original(arm, n, b)
        seen["model"] = model
        return model, optimizer

    monkeypatch.setattr(few_shot, "_target_model", spy)
    x, y = _toy(16)
    train_arm("frozen", body, TensorDataset(x, y), TensorDataset(x, y), 2, epochs=2)
    after = seen["model"].features.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)
    assert all(torch.equal(before[k], v) for k, v in body.state_dict().items())


def test_unknown_arm_is_refused():
    with pytest.raises(ValueError, match="arm must be one of"):
        train_arm("zero-shot", None, None, None, 2, epochs=1)


def test_frozen_arm_on_cached_body_outputs_equals_running_the_body_every_step():
    from course_utils.training import fit, seed_everything, seeded_loader

    body = SpectrogramCNN(2).features
    x, y = _toy(24)
    result = train_arm("frozen", body, TensorDataset(x[:16], y[:16]), TensorDataset(x[16:], y[16:]), 2, epochs=3)
    seed_everything(0)  # the same model, optimizer and batches, with the body run on every step
    model = SpectrogramCNN(2)
    model.features.load_state_dict(body.state_dict())
    model.features.requires_grad_(False)
    fit(model, seeded_loader(TensorDataset(x[:16], y[:16]), 8, shuffle=True, seed=0),
        torch.optim.Adam(model.classifier.parameters(), lr=1e-3), 3, progress=False)
    scores = model.eval()(x[16:])
    assert result.accuracy == (scores.argmax(1) == y[16:]).float().mean().item()
    assert result.steps == 3 * 2


def test_body_outputs_are_the_bodys_output_per_clip():
    body = SpectrogramCNN(2).features
    x, y = _toy(70)
    outputs = body_outputs(body, TensorDataset(x, y))
    assert torch.allclose(outputs.tensors[0][65:], body(x[65:].unsqueeze(1)), atol=1e-6)
    assert torch.equal(outputs.tensors[1], y) and not outputs.tensors[0].requires_grad


@pytest.mark.parametrize("arm", ARMS)
def test_every_arm_trains_for_the_same_passes_so_more_clips_get_more_steps(arm):
    body = SpectrogramCNN(2).features
    x, y = _toy(32)
    few = train_arm(arm, body, TensorDataset(x[:8], y[:8]), TensorDataset(x, y), 2, epochs=2)
    many = train_arm(arm, body, TensorDataset(x[:24], y[:24]), TensorDataset(x, y), 2, epochs=2)
    assert (few.steps, many.steps) == (2, 6)
    assert 0 <= few.train_accuracy <= 1 and 0 <= many.accuracy <= 1


@pytest.mark.slow
def test_few_shot_study_covers_every_arm_shot_and_fold():
    metadata = select_categories(standin_metadata(), ["dog", "cow"]).reset_index(drop=True)
    x, y = _toy(len(metadata))
    y = torch.tensor([0 if c == "dog" else 1 for c in metadata["category"]])
    x[y == 1, :20] += 30
    study = few_shot_study(metadata, x, y, SpectrogramCNN(2).features, shots=(1, 2), folds=(1, 2), epochs=3)
    assert len(study) == 3 * 2 * 2 and set(study["arm"]) == set(ARMS)
    assert (study["steps"] == 3).all()  # 2 or 4 clips: one batch per pass
    assert study["train_accuracy"].between(0, 1).all()
    table = summarize_study(study)
    assert list(table.index) == [1, 2] and table.shape == (2, 6)


def test_pretraining_is_cached_on_disk(tmp_path, monkeypatch):
    from course_utils import few_shot

    calls = []
    original = few_shot.pretrain
    monkeypatch.setattr(few_shot, "pretrain", lambda *a, **k: calls.append(1) or original(*a, **k))
    x, y = _toy(8)
    first = few_shot.cached_pretrain(x, y, tmp_path / "source.pt", few_shot.PretrainRecipe(epochs=1))
    second = few_shot.cached_pretrain(x, y, tmp_path / "source.pt", few_shot.PretrainRecipe(epochs=1))
    assert len(calls) == 1
    assert all(torch.equal(a, b) for a, b in zip(first.state_dict().values(), second.state_dict().values()))
    (tmp_path / "source.pt").write_bytes(b"corrupt")
    few_shot.cached_pretrain(x, y, tmp_path / "source.pt", few_shot.PretrainRecipe(epochs=1))
    assert len(calls) == 2  # a corrupt file is replaced, never trusted


def _study(accuracy):
    """A study table from {(arm, shots): [accuracy of fold 1, fold 2, ...]}."""
    return pd.DataFrame([{"arm": arm, "shots": shots, "fold": fold, "accuracy": value}
                         for (arm, shots), values in accuracy.items() for fold, value in enumerate(values, 1)])


def test_gain_is_the_pretrained_arm_minus_scratch_per_fold():
    study = _study({("scratch", 2): [0.3, 0.4, 0.5], ("frozen", 2): [0.6, 0.6, 0.6], ("fine-tune", 2): [0.9, 0.1, 0.5],
                    ("scratch", 8): [0.5, 0.5, 0.5], ("frozen", 8): [0.4, 0.4, 0.4], ("fine-tune", 8): [0.7, 0.8, 0.6]})
    assert pretraining_gain(study, "frozen")[2].round(6).tolist() == [0.3, 0.2, 0.1]
    assert pretraining_gain(study, "fine-tune")[8].round(6).tolist() == [0.2, 0.3, 0.1]
    with pytest.raises(ValueError, match="arm must be one of"):
        pretraining_gain(study, "scratch")


def test_mean_steps_per_arm_and_shots_in_the_arms_order():
    study = pd.DataFrame([{"arm": arm, "shots": shots, "fold": fold, "steps": steps}
                          for arm, shots, fold, steps in [("scratch", 2, 1, 20), ("scratch", 2, 2, 31),
                                                          ("fine-tune", 2, 1, 40), ("fine-tune", 2, 2, 40),
                                                          ("frozen", 2, 1, 10), ("frozen", 2, 2, 12)]])
    table = mean_steps(study)
    assert list(table.columns) == list(ARMS) and table.loc[2].tolist() == [26, 11, 40]


# Early and late gains of the frozen arm over scratch (0.5 on every fold), five folds.
EARLY = [0.2, 0.2, 0.1, 0.3, 0.2]


def _gain_study(late, scratch_late=(0.5,) * 5):
    return _study({("scratch", 2): [0.5] * 5, ("frozen", 2): [0.5 + g for g in EARLY], ("fine-tune", 2): [0.5] * 5,
                   ("scratch", 8): list(scratch_late), ("frozen", 8): [s + g for s, g in zip(scratch_late, late)],
                   ("fine-tune", 8): list(scratch_late)})


@pytest.mark.parametrize("late, verdict", [
    ([0.0, 0.05, 0.0, 0.1, 0.05], "shrank"),                           # smaller on every fold, by a similar amount
    ([0.1, 0.1, 0.0, 0.35, 0.1], "did not change beyond the folds' noise"),  # smaller on 4 of 5, not reliably
    ([0.3, 0.5, 0.4, 0.35, 0.4], "grew"),
])
def test_a_change_in_the_gain_is_called_only_when_its_interval_excludes_zero(late, verdict):
    lines = conclusions(_gain_study(late))
    assert f"From 2 to 8 clips per category, the gain of frozen over scratch {verdict} (" in lines[2]


def test_conclusions_name_the_shots_where_pretraining_helped_and_where_it_was_noise():
    study = _gain_study([0.1, -0.2, 0.3, 0.0, 0.05])
    lines = conclusions(study)
    assert lines[0] == ("Pre-training (frozen) helped with 2 clips per category; "
                        "made no difference beyond the folds' noise with 8 clips per category.")
    assert lines[1] == "Pre-training (fine-tune) made no difference beyond the folds' noise with 2 and 8 clips per category."
    table = comparisons(study)
    assert table.loc[("frozen - scratch", "2"), "low"] > 0 and table.loc[("scratch", "8 - 2"), "mean"] == 0


def test_scratch_getting_worse_with_more_clips_is_reported():
    lines = conclusions(_gain_study([0.2] * 5, scratch_late=(0.3, 0.35, 0.3, 0.25, 0.3)))
    assert lines[-1].startswith("From 2 to 8 clips per category, training from scratch got worse (-0.20")
    noisy = conclusions(_gain_study([0.2] * 5, scratch_late=(0.3, 0.7, 0.4, 0.6, 0.5)))
    assert "training from scratch changed within the folds' noise" in noisy[-1]


def test_source_can_be_limited_to_the_categories_a_copy_holds():
    held = ["dog", "rooster", "crackling_fire", "crying_baby", "sneezing", "clock_tick", "cow", "vacuum_cleaner",
            "rain", "sea_waves", "helicopter", "chainsaw"]
    source = pick_source_categories(["rain", "sea_waves", "helicopter", "chainsaw"], among=held)
    assert source == ("dog", "rooster", "crackling_fire", "crying_baby", "sneezing", "clock_tick", "cow",
                      "vacuum_cleaner")  # pig, the next in ESC-50's order, is skipped
    with pytest.raises(ValueError, match="only 2 categories .* among the 12 categories this data source holds"):
        pick_source_categories(list(ESC10_CATEGORIES), among=held)


@pytest.mark.slow
def test_source_categories_the_source_cannot_give_are_replaced(tmp_path, capsys):
    from course_utils.server import serve_directory
    from course_utils.synthetic import write_standin
    from course_utils.few_shot import prepare_source_data

    metadata = standin_metadata()
    held = metadata[metadata["category"].isin(["rooster", "rain", "sea_waves"])]["filename"].tolist()
    held.remove(metadata.loc[metadata["category"] == "rain", "filename"].iloc[0])  # rain lacks one clip
    write_standin(tmp_path / "partial", filenames=held)
    with serve_directory(tmp_path / "partial") as server:
        data = prepare_source_data(["dog", "cow"], n=2, minimum=2, source=server.url,
                                   cache_dir=tmp_path / "cache", progress=False, retries=0)
    assert data.categories == ("rooster", "sea_waves")
    assert capsys.readouterr().out.endswith("lacks some of their clips: rain\n")
    with serve_directory(tmp_path / "partial") as server, pytest.raises(ValueError, match="only 1 categories"):
        prepare_source_data(["dog", "cow", "sea_waves"], n=2, minimum=2, source=server.url,
                            cache_dir=tmp_path / "cache2", progress=False, retries=0)
