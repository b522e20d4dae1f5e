import math

import torch
from torch import nn


class ChapterCNN__right_sequential(nn.Module):
    def __init__(self, n_classes, n_mels=128, n_frames=157):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(64, 128, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        )
        height, width = n_mels, n_frames
        for _ in range(4):
            height //= 2
            width //= 2
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(128 * height * width, n_classes))

    def forward(self, spectrograms):
        return self.classifier(self.features(spectrograms.unsqueeze(1)))


class ChapterCNN__right_module_list(nn.Module):
    def __init__(self, n_classes, n_mels=128, n_frames=157):
        super().__init__()
        channels = [1, 16, 32, 64, 128]
        self.convs = nn.ModuleList(nn.Conv2d(a, b, 3, padding=1) for a, b in zip(channels[:-1], channels[1:]))
        self.pool = nn.MaxPool2d(2)
        self.flatten = nn.Flatten()
        self.linear = nn.Linear(channels[-1] * (n_mels // 16) * (n_frames // 16), n_classes)

    def forward(self, spectrograms):
        x = spectrograms[:, None, :, :]
        for conv in self.convs:
            x = self.pool(torch.relu(conv(x)))
        return self.linear(self.flatten(x))


# WRONG: puts frames on the height axis and mels on the width axis (transposed input); the flattened size matches, the scores do not.
class ChapterCNN__wrong_transposed_axes(nn.Module):
    def __init__(self, n_classes, n_mels=128, n_frames=157):
        super().__init__()
        layers, c_in = [], 1
        for c_out in (16, 32, 64, 128):
            layers += [nn.Conv2d(c_in, c_out, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)]
            c_in = c_out
        self.body = nn.Sequential(*layers)
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(128 * (n_frames // 16) * (n_mels // 16), n_classes))

    def forward(self, spectrograms):
        return self.head(self.body(spectrograms.unsqueeze(1).transpose(2, 3)))


# WRONG: the linear layer's input size is typed in (9216, right only for 128 x 157).
class ChapterCNN__wrong_hardcoded_9216(nn.Module):
    def __init__(self, n_classes, n_mels=128, n_frames=157):
        super().__init__()
        layers, c_in = [], 1
        for c_out in (16, 32, 64, 128):
            layers += [nn.Conv2d(c_in, c_out, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)]
            c_in = c_out
        self.body = nn.Sequential(*layers)
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(9216, n_classes))

    def forward(self, spectrograms):
        return self.head(self.body(spectrograms.unsqueeze(1)))


# WRONG: the last block has no ReLU ("no activation right before the linear layer"): conv then pool only.
class ChapterCNN__wrong_no_relu_last_block(nn.Module):
    def __init__(self, n_classes, n_mels=128, n_frames=157):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(64, 128, 3, padding=1), nn.MaxPool2d(2),
        )
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(128 * (n_mels // 16) * (n_frames // 16), n_classes))

    def forward(self, spectrograms):
        return self.head(self.body(spectrograms.unsqueeze(1)))


# WRONG: pooling rounds UP (ceil_mode=True) and the size is computed with ceil: differs whenever a size is not a multiple of 16.
class ChapterCNN__wrong_ceil_mode_pooling(nn.Module):
    def __init__(self, n_classes, n_mels=128, n_frames=157):
        super().__init__()
        layers, c_in = [], 1
        for c_out in (16, 32, 64, 128):
            layers += [nn.Conv2d(c_in, c_out, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2, ceil_mode=True)]
            c_in = c_out
        self.body = nn.Sequential(*layers)
        height, width = n_mels, n_frames
        for _ in range(4):
            height, width = math.ceil(height / 2), math.ceil(width / 2)
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(128 * height * width, n_classes))

    def forward(self, spectrograms):
        return self.head(self.body(spectrograms.unsqueeze(1)))


# WRONG: adds a BatchNorm2d after every convolution (extra parameters and layers the exercise did not ask for).
class ChapterCNN__wrong_extra_batchnorm(nn.Module):
    def __init__(self, n_classes, n_mels=128, n_frames=157):
        super().__init__()
        layers, c_in = [], 1
        for c_out in (16, 32, 64, 128):
            layers += [nn.Conv2d(c_in, c_out, 3, padding=1), nn.BatchNorm2d(c_out), nn.ReLU(), nn.MaxPool2d(2)]
            c_in = c_out
        self.body = nn.Sequential(*layers)
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(128 * (n_mels // 16) * (n_frames // 16), n_classes))

    def forward(self, spectrograms):
        return self.head(self.body(spectrograms.unsqueeze(1)))
