import torch


def evaluate_accuracy__right_counting(model, loader, device):
    model.eval()
    correct, total = 0, 0
    with torch.no_grad():
        for features, targets, _ in loader:
            features, targets = features.to(device), targets.to(device)
            predictions = model(features).argmax(dim=1)
            correct += (predictions == targets).sum().item()
            total += targets.shape[0]
    return correct / total


@torch.inference_mode()
def evaluate_accuracy__right_concatenate(model, loader, device):
    model.train(False)
    hits = []
    for batch in loader:
        x = batch[0].to(device)
        y = batch[1].to(device)
        hits.append(model(x).max(dim=1).indices.eq(y))
    hits = torch.cat(hits)
    return hits.sum().item() / hits.numel()


# WRONG: averages per-batch accuracies, so a smaller last batch weighs as much as a full one.
def evaluate_accuracy__wrong_mean_of_batch_accuracies(model, loader, device):
    model.eval()
    accuracies = []
    with torch.no_grad():
        for features, targets, _ in loader:
            features, targets = features.to(device), targets.to(device)
            accuracies.append((model(features).argmax(1) == targets).float().mean().item())
    return sum(accuracies) / len(accuracies)


# WRONG: moves the features to `device` but not the targets (fails as soon as device is a GPU).
def evaluate_accuracy__wrong_targets_not_moved(model, loader, device):
    model.eval()
    correct, total = 0, 0
    with torch.no_grad():
        for features, targets, _ in loader:
            predictions = model(features.to(device)).argmax(1)
            correct += (predictions == targets).sum().item()
            total += len(targets)
    return correct / total


# WRONG: returns a 0-d tensor, not a Python float.
def evaluate_accuracy__wrong_returns_tensor(model, loader, device):
    model.eval()
    correct, total = torch.tensor(0), 0
    with torch.no_grad():
        for features, targets, _ in loader:
            features, targets = features.to(device), targets.to(device)
            correct = correct + (model(features).argmax(1) == targets).sum().cpu()
            total += len(targets)
    return correct / total


# WRONG: `model.eval` without parentheses does nothing: the model stays in training mode.
def evaluate_accuracy__wrong_eval_not_called(model, loader, device):
    model.eval
    correct, total = 0, 0
    with torch.no_grad():
        for features, targets, _ in loader:
            features, targets = features.to(device), targets.to(device)
            correct += (model(features).argmax(1) == targets).sum().item()
            total += len(targets)
    return correct / total


# WRONG: torch.no_grad() called as a statement, not used as a context manager: gradients stay on.
def evaluate_accuracy__wrong_no_grad_not_a_context(model, loader, device):
    model.eval()
    torch.no_grad()
    correct, total = 0, 0
    for features, targets, _ in loader:
        features, targets = features.to(device), targets.to(device)
        correct += (model(features).argmax(1) == targets).sum().item()
        total += len(targets)
    return correct / total
