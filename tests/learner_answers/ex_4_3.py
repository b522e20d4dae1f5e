"""Exercise 4.3: WaveformLSTM(n_classes, frame_length=800, hidden_size=64)."""
import torch
from torch import nn


class WaveformLSTM__right_last_hidden(nn.Module):
    def __init__(self, n_classes, frame_length=800, hidden_size=64):
        super().__init__()
        self.frame_length = frame_length
        self.lstm = nn.LSTM(input_size=frame_length, hidden_size=hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, n_classes)

    def forward(self, waveforms):
        frames = waveforms.reshape(waveforms.shape[0], -1, self.frame_length)
        _output, (hidden, _cell) = self.lstm(frames)
        return self.head(hidden[-1])


class WaveformLSTM__right_output_last_step(nn.Module):
    def __init__(self, n_classes, frame_length=800, hidden_size=64):
        super().__init__()
        self.frame_length = frame_length
        self.lstm = nn.LSTM(frame_length, hidden_size, num_layers=1, batch_first=True)
        self.fc = nn.Linear(hidden_size, n_classes)

    def forward(self, waveforms):
        frames = waveforms.unfold(1, self.frame_length, self.frame_length)
        output, _ = self.lstm(frames)  # (batch, frames, hidden): the last step's hidden state at [:, -1]
        return self.fc(output[:, -1, :])


# WRONG: forgets batch_first=True: the LSTM reads (batch, frames, F) as (time=batch, batch=frames, F),
# so clips in a batch interact and the output has one row per frame index, not per clip.
class WaveformLSTM__wrong_no_batch_first(nn.Module):
    def __init__(self, n_classes, frame_length=800, hidden_size=64):
        super().__init__()
        self.frame_length = frame_length
        self.lstm = nn.LSTM(frame_length, hidden_size)
        self.head = nn.Linear(hidden_size, n_classes)

    def forward(self, waveforms):
        frames = waveforms.reshape(waveforms.shape[0], -1, self.frame_length)
        _, (hidden, _) = self.lstm(frames)
        return self.head(hidden[-1])


# WRONG: classifies the output after the FIRST frame (output[:, 0]), not the last.
class WaveformLSTM__wrong_first_frame(nn.Module):
    def __init__(self, n_classes, frame_length=800, hidden_size=64):
        super().__init__()
        self.frame_length = frame_length
        self.lstm = nn.LSTM(frame_length, hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, n_classes)

    def forward(self, waveforms):
        output, _ = self.lstm(waveforms.reshape(waveforms.shape[0], -1, self.frame_length))
        return self.head(output[:, 0])


# WRONG: applies softmax: returns probabilities, not raw scores (the loss applies softmax again).
class WaveformLSTM__wrong_softmax(nn.Module):
    def __init__(self, n_classes, frame_length=800, hidden_size=64):
        super().__init__()
        self.frame_length = frame_length
        self.lstm = nn.LSTM(frame_length, hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, n_classes)

    def forward(self, waveforms):
        _, (hidden, _) = self.lstm(waveforms.reshape(waveforms.shape[0], -1, self.frame_length))
        return torch.softmax(self.head(hidden[-1]), dim=-1)


# WRONG: hidden size typed in as 64: ignores the hidden_size argument.
class WaveformLSTM__wrong_ignores_hidden_size(nn.Module):
    def __init__(self, n_classes, frame_length=800, hidden_size=64):
        super().__init__()
        self.frame_length = frame_length
        self.lstm = nn.LSTM(frame_length, 64, batch_first=True)
        self.head = nn.Linear(64, n_classes)

    def forward(self, waveforms):
        _, (hidden, _) = self.lstm(waveforms.reshape(waveforms.shape[0], -1, self.frame_length))
        return self.head(hidden[-1])


# WRONG: classifies `hidden` itself, shape (layers, batch, hidden): scores come out (1, batch, n_classes).
class WaveformLSTM__wrong_keeps_layer_axis(nn.Module):
    def __init__(self, n_classes, frame_length=800, hidden_size=64):
        super().__init__()
        self.frame_length = frame_length
        self.lstm = nn.LSTM(frame_length, hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, n_classes)

    def forward(self, waveforms):
        _, (hidden, _) = self.lstm(waveforms.reshape(waveforms.shape[0], -1, self.frame_length))
        return self.head(hidden)


# WRONG: frames made of strided, not consecutive, samples (reshape to (batch, frame_length, frames),
# then transpose): the right shapes, but each time step is not a 50 ms stretch of the clip.
class WaveformLSTM__wrong_strided_frames(nn.Module):
    def __init__(self, n_classes, frame_length=800, hidden_size=64):
        super().__init__()
        self.frame_length = frame_length
        self.lstm = nn.LSTM(frame_length, hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, n_classes)

    def forward(self, waveforms):
        frames = waveforms.reshape(waveforms.shape[0], self.frame_length, -1).transpose(1, 2)
        _, (hidden, _) = self.lstm(frames)
        return self.head(hidden[-1])
