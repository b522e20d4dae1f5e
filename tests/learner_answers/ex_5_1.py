"""Exercise 5.1: ChapterCNN(n_classes, n_mels=128, n_frames=157)."""
import torch
from torch import nn
from torch.nn import functional as F


class ChapterCNN__right_sequential(nn.Module):
    def __init__(self, n_classes, n_mels=128, n_frames=157):
        super().__init__()
        layers, channels = [], [1, 16, 32, 64, 128]
        for c_in, c_out in zip(channels, channels[1:]):
            layers += [nn.Conv2d(c_in, c_out, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2)]
        self.features = nn.Sequential(*layers)
        height, width = n_mels, n_frames
        for _ in range(4):
            height, width = height // 2, width // 2
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(128 * height * width, n_classes))

    def forward(self, spectrograms):
        return self.classifier(self.features(spectrograms.unsqueeze(1)))


class ChapterCNN__right_named_layers_functional(nn.Module):
    def __init__(self, n_classes, n_mels=128, n_frames=157):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.conv3 = nn.Conv2d(32, 64, 3, padding=1)
        self.conv4 = nn.Conv2d(64, 128, 3, padding=1)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(128 * (n_mels // 16) * (n_frames // 16), n_classes)

    def forward(self, spectrograms):
        x = spectrograms[:, None, :, :]
        for conv in (self.conv1, self.conv2, self.conv3, self.conv4):
            x = F.max_pool2d(F.relu(conv(x)), 2)
        return self.fc(self.flatten(x))


def _blocks():
    layers, channels = [], [1, 16, 32, 64, 128]
    for c_in, c_out in zip(channels, channels[1:]):
        layers += [nn.Conv2d(c_in, c_out, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2)]
    return nn.Sequential(*layers)


# WRONG: linear input size typed in (128 * 8 * 9 = 9216): fails for any other n_mels / n_frames.
class ChapterCNN__wrong_hardcoded_9216(nn.Module):
    def __init__(self, n_classes, n_mels=128, n_frames=157):
        super().__init__()
        self.features = _blocks()
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(9216, n_classes))

    def forward(self, spectrograms):
        return self.classifier(self.features(spectrograms.unsqueeze(1)))


# WRONG: class count typed in as 4: ignores n_classes.
class ChapterCNN__wrong_ignores_n_classes(nn.Module):
    def __init__(self, n_classes, n_mels=128, n_frames=157):
        super().__init__()
        self.features = _blocks()
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(128 * (n_mels // 16) * (n_frames // 16), 4))

    def forward(self, spectrograms):
        return self.classifier(self.features(spectrograms.unsqueeze(1)))


# WRONG: transposes the input to (frames, mels) before the convolutions: same parameter count (9*8 = 8*9)
# and same output shape, but frequency and time axes swapped, so its scores differ with the same weights.
class ChapterCNN__wrong_transposed_axes(nn.Module):
    def __init__(self, n_classes, n_mels=128, n_frames=157):
        super().__init__()
        self.features = _blocks()
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(128 * (n_frames // 16) * (n_mels // 16), n_classes))

    def forward(self, spectrograms):
        return self.classifier(self.features(spectrograms.transpose(1, 2).unsqueeze(1)))


# WRONG: ends with a softmax: probabilities instead of raw scores.
class ChapterCNN__wrong_softmax(nn.Module):
    def __init__(self, n_classes, n_mels=128, n_frames=157):
        super().__init__()
        self.features = _blocks()
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(128 * (n_mels // 16) * (n_frames // 16), n_classes),
                                        nn.Softmax(dim=1))

    def forward(self, spectrograms):
        return self.classifier(self.features(spectrograms.unsqueeze(1)))


# WRONG: average pooling instead of max pooling (same shapes and parameter count, different scores).
class ChapterCNN__wrong_avg_pool(nn.Module):
    def __init__(self, n_classes, n_mels=128, n_frames=157):
        super().__init__()
        layers, channels = [], [1, 16, 32, 64, 128]
        for c_in, c_out in zip(channels, channels[1:]):
            layers += [nn.Conv2d(c_in, c_out, kernel_size=3, padding=1), nn.ReLU(), nn.AvgPool2d(2)]
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(128 * (n_mels // 16) * (n_frames // 16), n_classes))

    def forward(self, spectrograms):
        return self.classifier(self.features(spectrograms.unsqueeze(1)))


# WRONG: leaves out the last block's ReLU ("no activation right before the classifier"): the spec asks for
# four identical conv/ReLU/max-pool blocks; same shapes and parameter count, different scores.
class ChapterCNN__wrong_missing_last_relu(nn.Module):
    def __init__(self, n_classes, n_mels=128, n_frames=157):
        super().__init__()
        layers, channels = [], [1, 16, 32, 64, 128]
        for c_in, c_out in zip(channels, channels[1:]):
            layers += [nn.Conv2d(c_in, c_out, kernel_size=3, padding=1)]
            layers += [nn.ReLU()] if c_out != 128 else []
            layers += [nn.MaxPool2d(2)]
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(128 * (n_mels // 16) * (n_frames // 16), n_classes))

    def forward(self, spectrograms):
        return self.classifier(self.features(spectrograms.unsqueeze(1)))
