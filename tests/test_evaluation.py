import pytest
import torch

from course_utils.audio import mel_spectrogram_db
from course_utils.datasets import WavDataset
from course_utils.esc50 import prepare_data
from course_utils.evaluation import NO_PHOTO_CONCLUSION, correct_per_clip, photos_vs_scratch, prediction_table
from course_utils.models import SpectrogramCNN


@pytest.fixture(scope="module")
def chapter(tmp_path_factory):
    return prepare_data(["dog", "cow"], source="synthetic", cache_dir=tmp_path_factory.mktemp("c"), progress=False)


class _Fixed(torch.nn.Module):
    """Predicts 'dog' for everything."""

    def forward(self, x):
        return torch.tensor([[5.0, 0.0]]).expand(len(x), 2)


def test_prediction_table_lists_truth_prediction_and_probabilities(chapter):
    dataset = WavDataset(chapter.val, chapter.audio_dir, chapter.categories, mel_spectrogram_db)
    table = prediction_table(_Fixed(), dataset, chapter.categories)
    assert list(table.columns) == ["filename", "true", "predicted", "dog", "cow"]
    assert (table["predicted"] == "dog").all() and table["dog"].iloc[0] == pytest.approx(0.9933, abs=1e-4)
    assert (table["true"] == "cow").sum() == 8


def test_correct_per_clip_follows_the_datasets_order(chapter):
    dataset = WavDataset(chapter.val, chapter.audio_dir, chapter.categories, mel_spectrogram_db)
    right = correct_per_clip(_Fixed(), dataset, chapter.categories)  # always says dog
    assert right == [category == "dog" for category in chapter.val["category"]]


class _Clips:
    """Six spectrograms with labels, as a WavDataset gives them: (features, index, label)."""

    filenames = [f"clip{i}.wav" for i in range(6)]

    def __init__(self):
        self.x, self.labels = torch.randn(6, 128, 157, generator=torch.Generator().manual_seed(0)), ["dog", "cow"] * 3

    def __len__(self):
        return 6

    def __getitem__(self, i):
        return self.x[i], i, self.labels[i]


def test_photos_vs_scratch_concludes_only_with_pretrained_weights(tmp_path, monkeypatch):
    from torchvision.models import ResNet18_Weights, resnet18

    from course_utils.models import resnet18_transfer

    cnn = SpectrogramCNN(2)
    random_body = resnet18_transfer(2, pretrained=False)
    assert photos_vs_scratch({"frozen": random_body}, cnn, _Clips(), ["dog", "cow"]) == [NO_PHOTO_CONCLUSION]

    # A stand-in for the ImageNet checkpoint in torch's cache: the code path of a run with real weights.
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    checkpoint = tmp_path / "hub" / "checkpoints" / ResNet18_Weights.IMAGENET1K_V1.url.rsplit("/", 1)[1]
    checkpoint.parent.mkdir(parents=True)
    torch.save(resnet18(weights=None).state_dict(), checkpoint)
    loaded = resnet18_transfer(2)
    assert loaded.pretrained
    lines = photos_vs_scratch({"frozen": loaded, "fine-tuned": loaded}, cnn, _Clips(), ["dog", "cow"])
    assert len(lines) == 2 and all("exact McNemar test" in line for line in lines)
    assert lines[0].startswith("frozen ") and lines[1].startswith("fine-tuned ")
    assert photos_vs_scratch({"frozen": loaded, "random": random_body}, cnn, _Clips(), ["dog", "cow"]) == [
        NO_PHOTO_CONCLUSION]
