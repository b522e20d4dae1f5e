import torch


def count_trainable__right_generator(model):
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def count_trainable__right_named_loop(model):
    total = 0
    for name, parameter in model.named_parameters():
        if parameter.requires_grad:
            count = 1
            for size in parameter.shape:
                count *= size
            total += count
    return total


# WRONG: walks every module's own parameters, so a parameter shared by two modules (tied weights) is counted twice.
def count_trainable__wrong_per_module_double_counts_shared(model):
    total = 0
    for module in model.modules():
        for p in module.parameters(recurse=False):
            if p.requires_grad:
                total += p.numel()
    return total


# WRONG: counts parameters that have a .grad, not those with requires_grad (0 before any backward pass).
def count_trainable__wrong_uses_grad_not_requires_grad(model):
    return sum(p.numel() for p in model.parameters() if p.grad is not None)


# WRONG: len(p) is the size of the first axis only, not the number of values.
def count_trainable__wrong_len_not_numel(model):
    return sum(len(p) for p in model.parameters() if p.requires_grad)


# WRONG: returns a 0-d tensor instead of an int.
def count_trainable__wrong_returns_tensor(model):
    sizes = torch.tensor([p.numel() for p in model.parameters() if p.requires_grad] or [0])
    return sizes.sum()


# WRONG: counts only the direct children's own parameters: misses nested modules and parameters on the model itself.
def count_trainable__wrong_only_direct_children(model):
    total = 0
    for child in model.children():
        for p in child.parameters(recurse=False):
            if p.requires_grad:
                total += p.numel()
    return total
