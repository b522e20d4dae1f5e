import torch
from torch import nn
from torch.nn import functional as F


def train_one_epoch__right_standard(model, loader, optimizer, device):
    model.train()
    total_loss, n_clips = 0.0, 0
    for features, targets, _ in loader:
        features, targets = features.to(device), targets.to(device)
        optimizer.zero_grad()
        scores = model(features)
        loss = F.cross_entropy(scores, targets)
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * features.shape[0]
        n_clips += features.shape[0]
    return total_loss / n_clips


def train_one_epoch__right_tensor_accumulator(model, loader, optimizer, device):
    model.train(True)
    summed = torch.zeros((), dtype=torch.float64)
    count = 0
    for batch in loader:
        x, y = batch[0].to(device), batch[1].to(device)
        optimizer.zero_grad(set_to_none=True)
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        summed += loss.detach().cpu().double() * len(y)
        count += len(y)
    return float(summed / count)


# WRONG: zero_grad once before the loop, so gradients accumulate from batch to batch.
def train_one_epoch__wrong_zero_grad_once_per_epoch(model, loader, optimizer, device):
    model.train()
    optimizer.zero_grad()
    total_loss, n_clips = 0.0, 0
    for features, targets, _ in loader:
        features, targets = features.to(device), targets.to(device)
        loss = F.cross_entropy(model(features), targets)
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(targets)
        n_clips += len(targets)
    return total_loss / n_clips


# WRONG: returns the mean of per-batch losses, not the mean per clip (a smaller last batch is over-weighted).
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


# WRONG: puts the model in eval mode (copied from evaluate_accuracy): dropout/batch norm behave as in evaluation while training.
def train_one_epoch__wrong_eval_mode(model, loader, optimizer, device):
    model.eval()
    total_loss, n_clips = 0.0, 0
    for features, targets, _ in loader:
        features, targets = features.to(device), targets.to(device)
        optimizer.zero_grad()
        loss = F.cross_entropy(model(features), targets)
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(targets)
        n_clips += len(targets)
    return total_loss / n_clips


# WRONG: accumulates the loss tensors themselves (keeping the graph) and returns a tensor, not a float.
def train_one_epoch__wrong_returns_tensor_with_graph(model, loader, optimizer, device):
    model.train()
    total_loss, n_clips = 0, 0
    for features, targets, _ in loader:
        features, targets = features.to(device), targets.to(device)
        optimizer.zero_grad()
        loss = F.cross_entropy(model(features), targets)
        loss.backward()
        optimizer.step()
        total_loss = total_loss + loss * len(targets)
        n_clips += len(targets)
    return total_loss / n_clips


# WRONG: optimizer.step() before loss.backward(): every update uses the previous batch's gradients.
def train_one_epoch__wrong_step_before_backward(model, loader, optimizer, device):
    model.train()
    total_loss, n_clips = 0.0, 0
    for features, targets, _ in loader:
        features, targets = features.to(device), targets.to(device)
        loss = F.cross_entropy(model(features), targets)
        optimizer.step()
        optimizer.zero_grad()
        loss.backward()
        total_loss += loss.item() * len(targets)
        n_clips += len(targets)
    return total_loss / n_clips
