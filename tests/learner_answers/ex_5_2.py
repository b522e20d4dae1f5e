"""Exercise 5.2: evaluate_accuracy(model, loader, device) -> float."""
import torch


def evaluate_accuracy__right_count_loop(model, loader, device):
    model.eval()
    correct, total = 0, 0
    with torch.no_grad():
        for features, targets, _labels in loader:
            features, targets = features.to(device), targets.to(device)
            predictions = model(features).argmax(dim=1)
            correct += int((predictions == targets).sum().item())
            total += targets.shape[0]
    return correct / total


def evaluate_accuracy__right_inference_mode_concat(model, loader, device):
    model.train(False)
    hits = []
    with torch.inference_mode():
        for batch in loader:
            x = batch[0].to(device)
            y = batch[1].to(device)
            hits.append(model(x).argmax(-1).eq(y))
    hits = torch.cat(hits)
    return hits.sum().item() / hits.numel()


# WRONG: forgets model.eval(): dropout / batch norm stay in training mode (noisy result, BN stats change).
def evaluate_accuracy__wrong_no_eval(model, loader, device):
    correct, total = 0, 0
    with torch.no_grad():
        for features, targets, _ in loader:
            features, targets = features.to(device), targets.to(device)
            correct += (model(features).argmax(1) == targets).sum().item()
            total += len(targets)
    return correct / total


# WRONG: forgets torch.no_grad(): the graph is built for every batch (memory, time; gradients on).
def evaluate_accuracy__wrong_no_no_grad(model, loader, device):
    model.eval()
    correct, total = 0, 0
    for features, targets, _ in loader:
        features, targets = features.to(device), targets.to(device)
        correct += (model(features).argmax(1) == targets).sum().item()
        total += len(targets)
    return correct / total


# WRONG: averages per-batch accuracies: a smaller last batch gets the same weight as a full one.
def evaluate_accuracy__wrong_mean_of_batch_accuracies(model, loader, device):
    model.eval()
    accuracies = []
    with torch.no_grad():
        for features, targets, _ in loader:
            features, targets = features.to(device), targets.to(device)
            accuracies.append((model(features).argmax(1) == targets).float().mean().item())
    return sum(accuracies) / len(accuracies)


# WRONG: divides by len(loader) * batch_size: assumes every batch is full (last batch may be smaller).
def evaluate_accuracy__wrong_assumes_full_batches(model, loader, device):
    model.eval()
    correct = 0
    with torch.no_grad():
        for features, targets, _ in loader:
            features, targets = features.to(device), targets.to(device)
            correct += (model(features).argmax(1) == targets).sum().item()
    return correct / (len(loader) * loader.batch_size)


# WRONG: returns a 0-d tensor (correct is a tensor sum), not a Python float.
def evaluate_accuracy__wrong_returns_tensor(model, loader, device):
    model.eval()
    correct, total = 0, 0
    with torch.no_grad():
        for features, targets, _ in loader:
            features, targets = features.to(device), targets.to(device)
            correct = correct + (model(features).argmax(1) == targets).sum()
            total += len(targets)
    return correct / total


# WRONG: never moves the batch to `device` (works on CPU only; fails or misleads with a model on a GPU).
def evaluate_accuracy__wrong_ignores_device(model, loader, device):
    model.eval()
    correct, total = 0, 0
    with torch.no_grad():
        for features, targets, _ in loader:
            correct += (model(features).argmax(1) == targets).sum().item()
            total += len(targets)
    return correct / total
