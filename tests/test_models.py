import pytest
import torch
from torch import nn

from course_utils import models
from course_utils.models import (
    CHANGES,
    AblationCNN,
    BatchNormCNN,
    FaultyWaveformLSTM,
    FramedLSTM,
    ImageNetInput,
    SpectrogramCNN,
    WeightsUnavailableError,
    count_parameters,
    resnet18_transfer,
    print_summary,
)


def test_cnn_has_the_chapters_134020_parameters():
    model = SpectrogramCNN(4)
    assert count_parameters(model) == (134_020, 134_020)
    assert model(torch.randn(2, 128, 157)).shape == (2, 4)


def test_cnn_other_sizes():
    assert SpectrogramCNN(10, n_mels=64, n_frames=63)(torch.randn(1, 64, 63)).shape == (1, 10)


def test_faulty_lstm_has_the_chapters_5121324_parameters():
    assert count_parameters(FaultyWaveformLSTM(4)) == (5_121_324, 5_121_324)


def _depends_on_batch_mates(model, n_samples):
    torch.manual_seed(0)
    model.eval()
    clip, others_a, others_b = torch.randn(1, n_samples), torch.randn(3, n_samples), torch.randn(3, n_samples)
    with torch.no_grad():
        alone_first_a = model(torch.cat([others_a, clip]))[-1]
        alone_first_b = model(torch.cat([others_b, clip]))[-1]
    return not torch.allclose(alone_first_a, alone_first_b, atol=1e-6)


def test_faulty_lstm_mixes_clips_across_the_batch():
    assert _depends_on_batch_mates(FaultyWaveformLSTM(4), 80_000)


def test_framed_lstm_treats_each_clip_on_its_own():
    model = FramedLSTM(4, frame_length=800)
    assert not _depends_on_batch_mates(model, 80_000)
    assert model(torch.randn(5, 80_000)).shape == (5, 4)


def test_imagenet_adapter_scales_and_normalises():
    adapter = ImageNetInput()
    out = adapter(torch.tensor([[[-80.0, 0.0]]]))
    assert out.shape == (1, 3, 1, 2)
    expected_low = -torch.tensor(models.IMAGENET_MEAN) / torch.tensor(models.IMAGENET_STD)
    expected_high = (1 - torch.tensor(models.IMAGENET_MEAN)) / torch.tensor(models.IMAGENET_STD)
    assert torch.allclose(out[0, :, 0, 0], expected_low) and torch.allclose(out[0, :, 0, 1], expected_high)


@pytest.fixture
def cached_imagenet_checkpoint(tmp_path, monkeypatch):
    """A checkpoint where torch's cache expects the ImageNet weights.

    It holds a RANDOMLY initialised ResNet18, made here: the test checks the loading path, not the weights.
    """
    from torchvision.models import ResNet18_Weights, resnet18

    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    torch.manual_seed(123)
    state = resnet18(weights=None).state_dict()
    checkpoint = tmp_path / "hub" / "checkpoints" / ResNet18_Weights.IMAGENET1K_V1.url.rsplit("/", 1)[1]
    checkpoint.parent.mkdir(parents=True)
    torch.save(state, checkpoint)
    return state


def test_transfer_model_loads_cached_weights_and_freezes_the_body(cached_imagenet_checkpoint):
    model = resnet18_transfer(4)
    assert model.pretrained
    assert torch.equal(model.body.conv1.weight, cached_imagenet_checkpoint["conv1.weight"])
    assert count_parameters(model) == (2_052, 11_178_564)
    assert model(torch.rand(2, 128, 157) * -80).shape == (2, 4)


def test_frozen_body_keeps_its_batchnorm_statistics_in_training(cached_imagenet_checkpoint):
    model = resnet18_transfer(4)
    before = model.body.bn1.running_mean.clone()
    model.train()
    model(torch.rand(4, 128, 157) * -80)
    assert model.training and not model.body.training
    assert torch.equal(model.body.bn1.running_mean, before)


def test_fine_tuning_variant_trains_everything(cached_imagenet_checkpoint):
    model = resnet18_transfer(4, freeze=False)
    assert count_parameters(model) == (11_178_564, 11_178_564)
    model.train()
    assert model.body.training


def _no_download(monkeypatch, tmp_path) -> list:
    """No network: every download attempt fails, and is counted."""
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    monkeypatch.setattr(models, "_UNAVAILABLE", {})
    monkeypatch.setattr(models, "_ANNOUNCED", set())
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args[0])
        raise OSError("network unreachable")

    monkeypatch.setattr(torch.hub, "download_url_to_file", refuse)
    return attempts


def test_missing_weights_raise_a_clear_error(monkeypatch, tmp_path):
    _no_download(monkeypatch, tmp_path)
    with pytest.raises(WeightsUnavailableError, match="allow_random=True"):
        resnet18_transfer(4)


def test_random_fallback_only_on_request_and_announced(monkeypatch, tmp_path, capsys):
    _no_download(monkeypatch, tmp_path)
    model = resnet18_transfer(4, allow_random=True)
    assert not model.pretrained
    assert "RANDOM WEIGHTS (OFFLINE)" in capsys.readouterr().out


def test_offline_lesson_tries_the_network_once_and_shows_one_banner(monkeypatch, tmp_path, capsys):
    attempts = _no_download(monkeypatch, tmp_path)
    for _ in range(3):
        assert not resnet18_transfer(4, allow_random=True).pretrained
    out = capsys.readouterr().out
    assert len(attempts) == 1
    assert out.count("RANDOM WEIGHTS (OFFLINE)") == 1 and out.count("random weights again") == 2
    assert "Downloading" not in out


def test_weights_are_fetched_quietly_into_torch_cache(monkeypatch, tmp_path, capsys):
    from torchvision.models import ResNet18_Weights, resnet18

    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    monkeypatch.setattr(models, "_UNAVAILABLE", {})
    torch.manual_seed(5)
    state = resnet18(weights=None).state_dict()

    def fake_download(url, dst, hash_prefix=None, progress=True):
        assert not progress and hash_prefix == "f37072fd"
        torch.save(state, dst)

    monkeypatch.setattr(torch.hub, "download_url_to_file", fake_download)
    path = models.imagenet_checkpoint(ResNet18_Weights.IMAGENET1K_V1.url)
    assert path == tmp_path / "hub" / "checkpoints" / "resnet18-f37072fd.pth" and path.is_file()
    assert capsys.readouterr() == ("", "")


def test_summary_of_the_cnn(capsys):
    print_summary(SpectrogramCNN(4), (128, 157))
    table = capsys.readouterr().out
    assert "Total params: 134,020" in table and "Conv2d-1" in table


def test_summary_cannot_handle_lstms():
    with pytest.raises(AttributeError):
        print_summary(FramedLSTM(4), (80_000,))
    assert isinstance(FramedLSTM(4).lstm, nn.LSTM)


def test_band_normalised_input_standardises_each_mel_band():
    from course_utils.models import BandNormalised

    model = BandNormalised(nn.Identity(), n_mels=8)  # returns the normalised input
    spec = torch.randn(16, 8, 20) * 10 - 50 + torch.arange(8).view(1, 8, 1)
    normalised = model.train()(spec)
    assert torch.allclose(normalised.mean(dim=(0, 2)), torch.zeros(8), atol=1e-5)
    assert torch.allclose(normalised.var(dim=(0, 2), unbiased=False), torch.ones(8), atol=1e-3)
    before = model.norm.running_mean.clone()
    shifted = model.eval()(spec + 100)  # eval mode: running statistics used, not updated
    assert torch.equal(model.norm.running_mean, before)
    assert shifted.mean() > 10


def test_band_normalised_cnn_gives_class_scores():
    from course_utils.models import BandNormalised

    model = BandNormalised(SpectrogramCNN(4))
    assert model(torch.randn(2, 128, 157) - 40).shape == (2, 4)


def test_batchnorm_cnn_is_small_and_indifferent_to_loudness():
    model = BatchNormCNN(10)
    assert count_parameters(model)[0] == 98_684
    spec = torch.randn(4, 128, 157) * 10 - 40
    model.train()
    torch.manual_seed(0)  # the same dropout mask for both calls
    scores = model(spec)
    assert scores.shape == (4, 10)
    torch.manual_seed(0)
    louder = model(spec + 20)  # the input layer standardises with the batch's statistics
    assert torch.allclose(scores, louder, atol=1e-4)


def test_batchnorm_cnn_takes_clips_of_any_length():
    model = BatchNormCNN(3).eval()
    assert model(torch.randn(2, 128, 100)).shape == model(torch.randn(2, 128, 300)).shape == (2, 3)


@pytest.mark.parametrize("changes, reference", [((), "SpectrogramCNN"), (CHANGES, "BatchNormCNN")])
def test_ablation_cnn_with_no_change_or_all_changes_is_the_chapter_model(changes, reference):
    torch.manual_seed(3)
    ablated = AblationCNN(4, **{change: True for change in changes})
    torch.manual_seed(3)
    model = getattr(models, reference)(4)
    assert [p.shape for p in ablated.parameters()] == [p.shape for p in model.parameters()]
    assert all(torch.equal(a, b) for a, b in zip(ablated.parameters(), model.parameters()))
    x = torch.randn(2, 128, 157)
    ablated.eval(), model.eval()
    assert torch.allclose(ablated(x), model(x))


@pytest.mark.parametrize("change", CHANGES)
def test_ablation_cnn_switches_on_exactly_one_change(change):
    alone = AblationCNN(4, **{change: True})
    kinds = [type(m).__name__ for m in alone.modules()]
    plain = [type(m).__name__ for m in AblationCNN(4).modules()]
    assert kinds != plain and alone(torch.randn(2, 128, 157)).shape == (2, 4)
    expected = {"input_norm": "BatchNorm2d", "downsample": "AvgPool2d", "conv_norm": "BatchNorm2d",
                "global_pool": "AdaptiveAvgPool2d", "dropout": "Dropout"}[change]
    assert kinds.count(expected) > plain.count(expected)


def test_pooling_before_the_relu_gives_the_same_values_and_gradients_exactly():
    from course_utils.models import pool_then_relu

    torch.manual_seed(0)
    x = torch.randn(3, 4, 10, 11)
    x[0, 0, :2, :2] = -1.0  # a 2 x 2 cell with nothing positive, where ReLU then pooling gives 0
    x[1, 1, :2, :2] = torch.tensor([[2.0, 2.0], [0.5, -3.0]])  # a tie for the maximum
    chapter = torch.nn.Sequential(torch.nn.ReLU(), torch.nn.MaxPool2d(2))
    ours = torch.nn.Sequential(*pool_then_relu())
    a, b = x.clone().requires_grad_(), x.clone().requires_grad_()
    out_a, out_b = chapter(a), ours(b)
    assert torch.equal(out_a, out_b)
    weights = torch.randn_like(out_a)
    (out_a * weights).sum().backward()
    (out_b * weights).sum().backward()
    assert torch.equal(a.grad, b.grad)


def test_a_split_resnet_trains_its_top_on_stored_maps_as_the_whole_model_trains():
    from torch.utils.data import Dataset

    from course_utils.models import resnet18_transfer
    from course_utils.training import extract_features, fit, seed_everything, seeded_loader

    class Clips(Dataset):
        def __init__(self):
            self.x = torch.randn(8, 32, 40, generator=torch.Generator().manual_seed(2)) * 20 - 40

        def __len__(self):
            return 8

        def __getitem__(self, i):
            return self.x[i], i % 2, "clip"

    def tuned():
        seed_everything(0)
        model = resnet18_transfer(2, freeze=True, pretrained=False)
        model.body.layer4.requires_grad_(True)
        return model, torch.optim.Adam([*model.head.parameters(), *model.body.layer4.parameters()], lr=1e-3)

    whole, optimizer = tuned()
    expected = fit(whole, seeded_loader(Clips(), 4, shuffle=True), optimizer, 2, device="cpu", progress=False)
    model, optimizer = tuned()
    before, top = model.split("layer4")
    assert before(Clips().x[:2]).shape == (2, 256, 2, 3)  # layer3's maps of a 32 x 40 input
    maps = extract_features(before, Clips(), device="cpu")
    got = fit(top, seeded_loader(maps, 4, shuffle=True), optimizer, 2, device="cpu", progress=False)
    assert got.train_loss == pytest.approx(expected.train_loss, rel=1e-4)
    assert not top.blocks.training  # layer4's batch norm keeps its statistics, as in the whole model
    model.eval()
    assert torch.allclose(model(Clips().x), top(before(Clips().x)), atol=1e-5)
    with pytest.raises(ValueError, match="no block 'layer9'"):
        model.split("layer9")
