"""Exercise 5.3: train_one_epoch(model, loader, optimizer, device) -> mean loss per clip (float)."""
import torch
from torch import nn
from torch.nn import functional as F


def train_one_epoch__right_classic(model, loader, optimizer, device):
    model.train()
    total_loss, n_clips = 0.0, 0
    for features, targets, _labels in loader:
        features, targets = features.to(device), targets.to(device)
        optimizer.zero_grad()
        scores = model(features)
        loss = F.cross_entropy(scores, targets)
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * targets.shape[0]
        n_clips += targets.shape[0]
    return total_loss / n_clips


def train_one_epoch__right_module_loss(model, loader, optimizer, device):
    criterion = nn.CrossEntropyLoss()
    model.train(True)
    losses = []
    for batch in loader:
        x, y = batch[0].to(device), batch[1].to(device)
        optimizer.zero_grad(set_to_none=True)
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append((float(loss.detach()), len(y)))
    return float(sum(value * size for value, size in losses) / sum(size for _, size in losses))


# WRONG: never clears the gradients: each step uses the sum of all gradients so far.
def train_one_epoch__wrong_no_zero_grad(model, loader, optimizer, device):
    model.train()
    total, n = 0.0, 0
    for features, targets, _ in loader:
        features, targets = features.to(device), targets.to(device)
        loss = F.cross_entropy(model(features), targets)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(targets)
        n += len(targets)
    return total / n


# WRONG: zero_grad between backward() and step(): the gradients are wiped before the update (nothing learns
# with SGD; Adam still moves from its momentum).
def train_one_epoch__wrong_zero_grad_before_step(model, loader, optimizer, device):
    model.train()
    total, n = 0.0, 0
    for features, targets, _ in loader:
        features, targets = features.to(device), targets.to(device)
        loss = F.cross_entropy(model(features), targets)
        loss.backward()
        optimizer.zero_grad()
        optimizer.step()
        total += loss.item() * len(targets)
        n += len(targets)
    return total / n


# WRONG: returns the mean of batch losses, not per clip: a smaller last batch is over-weighted.
def train_one_epoch__wrong_mean_of_batch_losses(model, loader, optimizer, device):
    model.train()
    losses = []
    for features, targets, _ in loader:
        features, targets = features.to(device), targets.to(device)
        optimizer.zero_grad()
        loss = F.cross_entropy(model(features), targets)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return sum(losses) / len(losses)


# WRONG: softmax before cross_entropy (which applies log-softmax itself): wrong loss and gradients.
def train_one_epoch__wrong_softmax_before_loss(model, loader, optimizer, device):
    model.train()
    total, n = 0.0, 0
    for features, targets, _ in loader:
        features, targets = features.to(device), targets.to(device)
        optimizer.zero_grad()
        loss = F.cross_entropy(torch.softmax(model(features), dim=1), targets)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(targets)
        n += len(targets)
    return total / n


# WRONG: never calls model.train(): a model left in eval mode (e.g. after evaluate_accuracy) trains with
# dropout off and batch norm frozen.
def train_one_epoch__wrong_no_train_mode(model, loader, optimizer, device):
    total, n = 0.0, 0
    for features, targets, _ in loader:
        features, targets = features.to(device), targets.to(device)
        optimizer.zero_grad()
        loss = F.cross_entropy(model(features), targets)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(targets)
        n += len(targets)
    return total / n


# WRONG: multiplies by loader.batch_size, not the actual size of each batch (last batch may be smaller).
def train_one_epoch__wrong_nominal_batch_size(model, loader, optimizer, device):
    model.train()
    total = 0.0
    for features, targets, _ in loader:
        features, targets = features.to(device), targets.to(device)
        optimizer.zero_grad()
        loss = F.cross_entropy(model(features), targets)
        loss.backward()
        optimizer.step()
        total += loss.item() * loader.batch_size
    return total / len(loader.dataset)
