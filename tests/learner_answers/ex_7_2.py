"""Exercise 7.2: finetune_optimizer(model): unfreeze layer4; Adam, head lr 1e-3, layer4 lr 1e-4, nothing else."""
import torch
from torch import nn


def finetune_optimizer__right_param_groups(model):
    model.body.layer4.requires_grad_(True)
    return torch.optim.Adam([
        {"params": model.head.parameters(), "lr": 1e-3},
        {"params": model.body.layer4.parameters(), "lr": 1e-4},
    ])


def finetune_optimizer__right_default_lr_lists(model):
    layer4 = list(model.body.layer4.parameters())
    for parameter in layer4:
        parameter.requires_grad = True
    return torch.optim.Adam([{"params": list(model.head.parameters())}, {"params": layer4, "lr": 0.0001}],
                            lr=0.001)


# WRONG: learning rates swapped: layer4 at 1e-3, head at 1e-4.
def finetune_optimizer__wrong_swapped_lrs(model):
    model.body.layer4.requires_grad_(True)
    return torch.optim.Adam([
        {"params": model.head.parameters(), "lr": 1e-4},
        {"params": model.body.layer4.parameters(), "lr": 1e-3},
    ])


# WRONG: forgets to unfreeze layer4: the optimizer holds it, but it gets no gradients, so it never changes.
def finetune_optimizer__wrong_no_unfreeze(model):
    return torch.optim.Adam([
        {"params": model.head.parameters(), "lr": 1e-3},
        {"params": model.body.layer4.parameters(), "lr": 1e-4},
    ])


# WRONG: unfreezes and optimizes the whole body at 1e-4, not only layer4 ("and nothing else").
def finetune_optimizer__wrong_whole_body(model):
    model.body.requires_grad_(True)
    return torch.optim.Adam([
        {"params": model.head.parameters(), "lr": 1e-3},
        {"params": model.body.parameters(), "lr": 1e-4},
    ])


# WRONG: one learning rate (1e-3) for everything that requires grad: layer4 is not ten times slower.
def finetune_optimizer__wrong_single_lr(model):
    model.body.layer4.requires_grad_(True)
    return torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=1e-3)


# WRONG: "ten times smaller" typed as 10e-4, which is 1e-3: both groups end up at the same rate.
def finetune_optimizer__wrong_lr_typo_10e_minus_4(model):
    model.body.layer4.requires_grad_(True)
    return torch.optim.Adam([
        {"params": model.head.parameters(), "lr": 1e-3},
        {"params": model.body.layer4.parameters(), "lr": 10e-4},
    ])


# WRONG: SGD instead of the Adam optimizer the exercise asks for (right groups and rates).
def finetune_optimizer__wrong_sgd(model):
    model.body.layer4.requires_grad_(True)
    return torch.optim.SGD([
        {"params": model.head.parameters(), "lr": 1e-3},
        {"params": model.body.layer4.parameters(), "lr": 1e-4},
    ])
