import numpy as np
import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader

from course_utils import datasets
from course_utils.audio import mel_spectrogram_db
from course_utils.constants import DEFAULT_CATEGORIES
from course_utils.esc50 import prepare_data
from course_utils.datasets import WavDataset


@pytest.fixture(scope="module")
def chapter(tmp_path_factory):
    return prepare_data(source="synthetic", cache_dir=tmp_path_factory.mktemp("cache"), progress=False)


def test_waveform_items(chapter):
    dataset = WavDataset(chapter.train, chapter.audio_dir, chapter.categories)
    features, target, label = dataset[0]
    assert len(dataset) == 128
    assert features.shape == (80000,) and features.dtype == torch.float32
    assert features.device.type == "cpu"
    assert label == chapter.train["category"][0] and target == list(chapter.categories).index(label)


def test_targets_follow_the_categories_passed_in(chapter):
    reversed_order = list(reversed(chapter.categories))
    dataset = WavDataset(chapter.val, chapter.audio_dir, reversed_order)
    for i in range(len(dataset)):
        assert dataset[i][1] == reversed_order.index(chapter.val["category"][i])


def test_categories_missing_from_the_list_are_refused(chapter):
    with pytest.raises(ValueError, match="not in"):
        WavDataset(chapter.train, chapter.audio_dir, ["dog", "cow"])


def test_spectrogram_batches(chapter):
    dataset = WavDataset(chapter.train, chapter.audio_dir, chapter.categories, transform=mel_spectrogram_db)
    features, targets, labels = next(iter(DataLoader(dataset, batch_size=8, shuffle=False)))
    assert features.shape == torch.Size([8, 128, 157])
    assert targets.dtype == torch.int64 and len(labels) == 8


def test_augmented_spectrogram_batches_stay_float32_as_mps_requires(chapter):
    from course_utils.augment import RandomTimeShift

    dataset = WavDataset(chapter.train, chapter.audio_dir, chapter.categories, transform=mel_spectrogram_db,
                         augment=RandomTimeShift(max_fraction=0.2), cache=True)
    features, _, _ = next(iter(DataLoader(dataset, batch_size=8, shuffle=False)))
    assert features.dtype == torch.float32  # MPS has no float64


def test_transform_may_return_a_tensor(chapter):
    dataset = WavDataset(chapter.val, chapter.audio_dir, chapter.categories,
                         transform=lambda w: torch.from_numpy(w[:100].copy()).double())
    assert dataset[0][0].dtype == torch.float32 and dataset[0][0].shape == (100,)


def test_cache_decodes_and_transforms_each_clip_once(chapter, monkeypatch):
    calls, transforms = [], []
    original = datasets.load_audio
    monkeypatch.setattr(datasets, "load_audio", lambda path, sr: calls.append(path) or original(path, sr))
    dataset = WavDataset(chapter.val, chapter.audio_dir, chapter.categories, cache=True,
                         transform=lambda w: transforms.append(1) or mel_spectrogram_db(w))
    first = [dataset[i][0] for i in range(4)]
    again = [dataset[i][0] for i in range(4)]
    assert len(calls) == 4 and len(transforms) == 4
    assert all(torch.equal(a, b) for a, b in zip(first, again))
    again[0][:] = 0  # changing a returned item never changes the cache
    assert not torch.equal(dataset[0][0], again[0])


def test_augmentation_runs_on_every_access_on_top_of_the_cache(chapter):
    generator = np.random.default_rng(0)
    dataset = WavDataset(chapter.val, chapter.audio_dir, chapter.categories, cache=True,
                         augment=lambda x: x.mul_(generator.uniform()))  # even in place
    first, second = dataset[0][0], dataset[0][0]
    assert not torch.equal(first, second)
    assert torch.equal(dataset.features(0), WavDataset(chapter.val, chapter.audio_dir, chapter.categories)[0][0])


class _TinyCNN(nn.Module):
    def __init__(self, n_classes: int):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(4),
            nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
        )
        self.head = nn.Linear(16, n_classes)

    def forward(self, x):
        return self.head(self.body((x.unsqueeze(1) + 40) / 40))


@pytest.mark.slow
def test_a_tiny_cnn_learns_the_standin(chapter):
    torch.manual_seed(0)
    train = WavDataset(chapter.train, chapter.audio_dir, chapter.categories,
                       transform=mel_spectrogram_db, cache=True)
    val = WavDataset(chapter.val, chapter.audio_dir, chapter.categories, transform=mel_spectrogram_db)
    train_x = torch.stack([train[i][0] for i in range(len(train))])
    train_y = torch.tensor([train[i][1] for i in range(len(train))])
    model = _TinyCNN(len(DEFAULT_CATEGORIES))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(25):
        for batch in torch.randperm(len(train_y)).split(16):
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(train_x[batch]), train_y[batch]).backward()
            optimizer.step()
    model.eval()
    with torch.no_grad():
        val_x = torch.stack([val[i][0] for i in range(len(val))])
        val_y = torch.tensor([val[i][1] for i in range(len(val))])
        accuracy = (model(val_x).argmax(1) == val_y).float().mean().item()
    assert accuracy >= 0.6, f"validation accuracy {accuracy:.2f}; chance is 0.25"
