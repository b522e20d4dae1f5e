import torch
from torch import nn

FRAME_LENGTH = 800  # module-level frame length, the chapter's value


class WaveformLSTM__right_hidden_state(nn.Module):
    def __init__(self, n_classes, frame_length=800, hidden_size=64):
        super().__init__()
        self.frame_length = frame_length
        self.lstm = nn.LSTM(input_size=frame_length, hidden_size=hidden_size, batch_first=True)
        self.fc = nn.Linear(hidden_size, n_classes)

    def forward(self, waveforms):
        frames = waveforms.reshape(waveforms.shape[0], -1, self.frame_length)
        _, (hidden, _) = self.lstm(frames)
        return self.fc(hidden[-1])


class WaveformLSTM__right_last_output_step(nn.Module):
    def __init__(self, n_classes, frame_length=800, hidden_size=64):
        super().__init__()
        self.frame_length = frame_length
        self.rnn = nn.LSTM(frame_length, hidden_size, num_layers=1, batch_first=True)
        self.out = nn.Linear(hidden_size, n_classes)

    def forward(self, waveforms):
        batch, samples = waveforms.shape
        frames = waveforms.view(batch, samples // self.frame_length, self.frame_length) \
            if waveforms.is_contiguous() else waveforms.reshape(batch, -1, self.frame_length)
        output, _ = self.rnn(frames)  # (batch, frames, hidden)
        return self.out(output[:, -1, :])


# WRONG: output[-1] with batch_first=True is the last *clip* over all frames, not every clip's last frame.
class WaveformLSTM__wrong_output_last_index_batch_axis(nn.Module):
    def __init__(self, n_classes, frame_length=800, hidden_size=64):
        super().__init__()
        self.frame_length = frame_length
        self.lstm = nn.LSTM(frame_length, hidden_size, batch_first=True)
        self.fc = nn.Linear(hidden_size, n_classes)

    def forward(self, waveforms):
        frames = waveforms.reshape(waveforms.shape[0], -1, self.frame_length)
        output, _ = self.lstm(frames)
        return self.fc(output[-1])


# WRONG: hidden.squeeze() also removes the batch axis for a batch of one clip: shape (n_classes,) instead of (1, n_classes).
class WaveformLSTM__wrong_squeeze_drops_batch_of_one(nn.Module):
    def __init__(self, n_classes, frame_length=800, hidden_size=64):
        super().__init__()
        self.frame_length = frame_length
        self.lstm = nn.LSTM(frame_length, hidden_size, batch_first=True)
        self.fc = nn.Linear(hidden_size, n_classes)

    def forward(self, waveforms):
        frames = waveforms.reshape(waveforms.shape[0], -1, self.frame_length)
        _, (hidden, _) = self.lstm(frames)
        return self.fc(hidden.squeeze())


# WRONG: classifies the mean of the outputs over all frames, not the hidden state after the last frame.
class WaveformLSTM__wrong_mean_over_time(nn.Module):
    def __init__(self, n_classes, frame_length=800, hidden_size=64):
        super().__init__()
        self.frame_length = frame_length
        self.lstm = nn.LSTM(frame_length, hidden_size, batch_first=True)
        self.fc = nn.Linear(hidden_size, n_classes)

    def forward(self, waveforms):
        frames = waveforms.reshape(waveforms.shape[0], -1, self.frame_length)
        output, _ = self.lstm(frames)
        return self.fc(output.mean(dim=1))


# WRONG: bidirectional LSTM; hidden[-1] is then the backward direction's state, i.e. after reading back to the FIRST frame.
class WaveformLSTM__wrong_bidirectional_last_hidden(nn.Module):
    def __init__(self, n_classes, frame_length=800, hidden_size=64):
        super().__init__()
        self.frame_length = frame_length
        self.lstm = nn.LSTM(frame_length, hidden_size, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(hidden_size, n_classes)

    def forward(self, waveforms):
        frames = waveforms.reshape(waveforms.shape[0], -1, self.frame_length)
        _, (hidden, _) = self.lstm(frames)
        return self.fc(hidden[-1])


# WRONG: forward frames with the module-level FRAME_LENGTH (800), ignoring the frame_length the model was built with.
class WaveformLSTM__wrong_global_frame_length(nn.Module):
    def __init__(self, n_classes, frame_length=800, hidden_size=64):
        super().__init__()
        self.lstm = nn.LSTM(frame_length, hidden_size, batch_first=True)
        self.fc = nn.Linear(hidden_size, n_classes)

    def forward(self, waveforms):
        frames = waveforms.reshape(waveforms.shape[0], -1, FRAME_LENGTH)
        _, (hidden, _) = self.lstm(frames)
        return self.fc(hidden[-1])
