import numpy as np
import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from course_utils.training import (
    History,
    check_optimizer,
    evaluate,
    fit,
    one_cycle,
    pick_device,
    seed_everything,
    seeded_loader,
)


def _toy_data(n=64, seed=0):
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 6, generator=generator)
    y = (x[:, 0] > 0).long() + (x[:, 1] > 0).long()  # three classes
    return TensorDataset(x, y)


def _toy_model():
    return nn.Sequential(nn.Linear(6, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Dropout(0.3), nn.Linear(16, 3))


def test_fit_learns_and_records_history():
    seed_everything(0)
    model = _toy_model()
    history = fit(model, DataLoader(_toy_data(), batch_size=16, shuffle=True),
                  torch.optim.Adam(model.parameters(), lr=0.05), epochs=15,
                  val_loader=DataLoader(_toy_data(seed=1), batch_size=16), progress=False)
    assert len(history.train_loss) == len(history.val_accuracy) == 15
    assert history.train_loss[-1] < history.train_loss[0]
    assert history.val_accuracy[-1] > 0.7
    assert list(history.as_frame().columns) == ["train_loss", "train_accuracy", "val_loss", "val_accuracy"]


def test_fit_is_deterministic():
    def run():
        seed_everything(1)
        model = _toy_model()
        fit(model, seeded_loader(_toy_data(), batch_size=16, shuffle=True, seed=1),
            torch.optim.SGD(model.parameters(), lr=0.1), epochs=3, progress=False)
        return torch.cat([p.flatten() for p in model.parameters()])

    assert torch.equal(run(), run())


def test_optimizer_of_another_model_is_refused():
    model, other = _toy_model(), _toy_model()
    with pytest.raises(ValueError, match="none of this model's trainable parameters"):
        fit(model, DataLoader(_toy_data()), torch.optim.Adam(other.parameters()), epochs=1, progress=False)


def test_optimizer_of_frozen_parameters_is_refused():
    model = _toy_model()
    optimizer = torch.optim.Adam(model[0].parameters())
    model[0].requires_grad_(False)
    with pytest.raises(ValueError, match="none of this model's trainable"):
        check_optimizer(model, optimizer)
    model.requires_grad_(False)
    with pytest.raises(ValueError, match="no trainable parameters"):
        check_optimizer(model, optimizer)


def test_evaluate_changes_nothing_and_restores_the_mode():
    model = _toy_model()
    model.train()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    result = evaluate(model, DataLoader(_toy_data(), batch_size=8))
    after = model.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)  # weights and BatchNorm statistics
    assert model.training
    model.eval()
    evaluate(model, DataLoader(_toy_data(), batch_size=8))
    assert not model.training
    assert 0 <= result.accuracy <= 1 and result.loss > 0


def test_evaluate_is_deterministic_despite_dropout_and_batch_statistics():
    model = _toy_model()
    model.train()
    first = evaluate(model, DataLoader(_toy_data(), batch_size=8))
    second = evaluate(model, DataLoader(_toy_data(), batch_size=32))
    assert first.accuracy == second.accuracy and first.loss == pytest.approx(second.loss, rel=1e-5)


def test_confusion_matrix_counts_pairs():
    class Fixed(nn.Module):
        def forward(self, x):
            return nn.functional.one_hot(x[:, 0].long(), 3).float()

    x = torch.tensor([[0.0], [1.0], [2.0], [2.0]])
    y = torch.tensor([0, 2, 2, 1])  # predictions are 0, 1, 2, 2
    result = evaluate(Fixed(), DataLoader(TensorDataset(x, y), batch_size=3))
    assert np.array_equal(result.confusion, [[1, 0, 0], [0, 0, 1], [0, 1, 1]])
    assert result.accuracy == 0.5


def test_batches_with_labels_are_accepted():
    triples = [(torch.randn(6), 1, "cow") for _ in range(4)]
    result = evaluate(_toy_model(), DataLoader(triples, batch_size=2))
    assert result.confusion.sum() == 4


def test_pick_device_returns_a_usable_device():
    device = pick_device()
    assert torch.zeros(1, device=device).device.type == device.type


def test_history_frame_without_validation():
    history = History(train_loss=[1.0, 0.5], train_accuracy=[0.3, 0.6])
    assert list(history.as_frame().index) == [1, 2]
    assert "val_loss" not in history.as_frame()


def test_one_cycle_peaks_at_the_optimizers_rate_and_anneals():
    model = nn.Linear(2, 2)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    scheduler = one_cycle(optimizer, epochs=2, steps_per_epoch=5)
    rates = []
    for _ in range(10):
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    assert max(rates) == pytest.approx(0.01) and rates[0] < 0.001 and rates[-1] < 0.001
    assert rates.index(max(rates)) == 2  # the third of 10 steps: 30% in, counting from step 0


def test_fit_steps_a_scheduler_after_every_batch():
    model = _toy_model()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    loader = DataLoader(_toy_data(32), batch_size=8)
    scheduler = one_cycle(optimizer, epochs=3, steps_per_epoch=len(loader))
    fit(model, loader, optimizer, 3, progress=False, scheduler=scheduler)
    assert scheduler.last_epoch == 12


def test_evaluate_accepts_any_loss_callable():
    model = _toy_model()
    loader = DataLoader(_toy_data(), batch_size=8)
    functional = evaluate(model, loader)
    module = evaluate(model, loader, loss_fn=nn.CrossEntropyLoss())
    assert module.loss == pytest.approx(functional.loss) and module.accuracy == functional.accuracy


def test_options_are_keyword_only():
    model = _toy_model()
    with pytest.raises(TypeError):
        evaluate(model, DataLoader(_toy_data(), batch_size=8), "cpu")
    with pytest.raises(TypeError):
        fit(model, DataLoader(_toy_data()), torch.optim.Adam(model.parameters()), 1, "cpu")


@pytest.mark.parametrize("train, val, verdict", [
    ([0.3, 0.4], [0.25, 0.3], "underfitting"),        # low on its own clips too
    ([0.3, 0.6], [0.25, 0.2], "underfitting"),        # a big gap, but below halfway from chance (0.625)
    ([0.8, 1.0], [0.4, 0.45], "overfitting"),         # fits them, not the unseen ones
    ([0.5, 0.89], [0.2, 0.19], "overfitting"),        # not all of them, but far better than the unseen
    ([0.8, 0.95], [0.7, 0.85], "neither"),
    ([0.8, 0.7], [0.7, 0.55], "neither"),             # a gap of 0.15 is within the rule's 0.2
])
def test_diagnose_reads_the_last_epoch(train, val, verdict):
    from course_utils.training import diagnose

    sentence = diagnose(History(train_accuracy=train, val_accuracy=val), n_classes=4)
    assert sentence.startswith(verdict) and f"training accuracy {train[-1]:.3f}" in sentence
    assert "chance 0.250" in sentence


def test_diagnose_needs_validation_figures():
    from course_utils.training import diagnose

    with pytest.raises(ValueError, match="val_loader"):
        diagnose(History(train_accuracy=[0.5]), n_classes=4)


def _frozen_body_and_head():
    torch.manual_seed(0)
    body = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                         nn.Flatten())
    body.requires_grad_(False)
    return body, nn.Linear(4, 3)


class _ClipItems(torch.utils.data.Dataset):
    """(spectrogram-like features, target, label) items, as a WavDataset gives them."""

    def __init__(self, n=24):
        generator = torch.Generator().manual_seed(1)
        self.x = torch.randn(n, 1, 8, 9, generator=generator)
        self.y = torch.arange(n) % 3

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return self.x[i], int(self.y[i]), f"clip {i}"


def test_a_head_on_extracted_features_trains_as_on_the_whole_frozen_model():
    from course_utils.training import extract_features

    class Frozen(nn.Sequential):  # as TransferResNet: the body stays in eval mode while the head trains
        def train(self, mode=True):
            super().train(mode)
            self[0].eval()
            return self

    items = _ClipItems()
    body, head = _frozen_body_and_head()
    seed_everything(0)
    expected = fit(Frozen(body, head), seeded_loader(items, 8, shuffle=True), torch.optim.Adam(head.parameters(), 1e-2),
                   3, device="cpu", progress=False)

    body, head = _frozen_body_and_head()
    table = extract_features(body, items, device="cpu")
    assert table.tensors[0].shape == (24, 4) and torch.equal(table.tensors[1], items.y)
    seed_everything(0)
    got = fit(head, seeded_loader(table, 8, shuffle=True), torch.optim.Adam(head.parameters(), 1e-2), 3,
              device="cpu", progress=False)
    assert got.train_loss == pytest.approx(expected.train_loss, rel=1e-5)
    assert got.train_accuracy == expected.train_accuracy
    assert not body.training  # extracted in eval mode


def test_extract_features_refuses_an_empty_dataset():
    from course_utils.training import extract_features

    with pytest.raises(ValueError, match="no items"):
        extract_features(nn.Flatten(), TensorDataset(torch.zeros(0, 2), torch.zeros(0)), device="cpu")


def test_fast_layout_stores_4d_weights_channels_last_on_the_cpu_only():
    from course_utils.training import fast_layout

    conv = nn.Conv2d(2, 4, 3)  # with one input channel both layouts are the same
    assert not conv.weight.is_contiguous(memory_format=torch.channels_last)
    fast_layout(conv, "cpu")
    assert conv.weight.is_contiguous(memory_format=torch.channels_last)
    on_meta = nn.Conv2d(2, 4, 3).to("meta")
    fast_layout(on_meta, "meta")
    assert not on_meta.weight.is_contiguous(memory_format=torch.channels_last)
    linear = fast_layout(nn.Linear(3, 2), "cpu")
    assert linear.weight.is_contiguous()


def test_fit_trains_channels_last_on_the_cpu_with_the_same_results_up_to_rounding(monkeypatch):
    from course_utils import training
    from course_utils.models import SpectrogramCNN

    items = TensorDataset(torch.randn(16, 32, 40) * 10 - 40, torch.arange(16) % 4)
    results = []
    for layout in ("default", "channels_last"):
        if layout == "default":
            monkeypatch.setattr(training, "fast_layout", lambda model, device: model)
        else:
            monkeypatch.undo()
        seed_everything(0)
        model = SpectrogramCNN(4, n_mels=32, n_frames=40)
        history = fit(model, seeded_loader(items, 8, shuffle=True), torch.optim.Adam(model.parameters(), 1e-3), 2,
                      device="cpu", progress=False)
        in_layout = model.features[3].weight.is_contiguous(memory_format=torch.channels_last)
        assert in_layout == (layout == "channels_last")
        results.append(history.train_loss)
    assert results[0] == pytest.approx(results[1], rel=1e-4)
