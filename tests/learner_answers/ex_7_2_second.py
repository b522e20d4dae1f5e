import torch


def finetune_optimizer__right_param_groups(model):
    model.body.layer4.requires_grad_(True)
    return torch.optim.Adam([
        {"params": model.head.parameters(), "lr": 1e-3},
        {"params": model.body.layer4.parameters(), "lr": 1e-4},
    ])


def finetune_optimizer__right_default_lr_override(model):
    layer4 = list(model.body.layer4.parameters())
    for p in layer4:
        p.requires_grad = True
    head = list(model.head.parameters())
    return torch.optim.Adam([{"params": head}, {"params": layer4, "lr": 0.0001}], lr=0.001)


# WRONG: "unfreezes" layer4 with .train() (a mode switch), so its parameters keep requires_grad=False.
def finetune_optimizer__wrong_train_mode_not_unfreeze(model):
    model.body.layer4.train()
    return torch.optim.Adam([
        {"params": model.head.parameters(), "lr": 1e-3},
        {"params": model.body.layer4.parameters(), "lr": 1e-4},
    ])


# WRONG: the two learning rates are swapped (head 1e-4, layer4 1e-3).
def finetune_optimizer__wrong_learning_rates_swapped(model):
    model.body.layer4.requires_grad_(True)
    return torch.optim.Adam([
        {"params": model.body.layer4.parameters(), "lr": 1e-3},
        {"params": model.head.parameters(), "lr": 1e-4},
    ])


# WRONG: one parameter group at 1e-3 for everything trainable: layer4 does not get the smaller 1e-4.
def finetune_optimizer__wrong_single_learning_rate(model):
    model.body.layer4.requires_grad_(True)
    trainable = [p for p in model.parameters() if p.requires_grad]
    return torch.optim.Adam(trainable, lr=1e-3)


# WRONG: unfreezes the whole body, not only layer4 (layers 1-3 now compute gradients and count as trainable).
def finetune_optimizer__wrong_unfreezes_whole_body(model):
    model.body.requires_grad_(True)
    return torch.optim.Adam([
        {"params": model.head.parameters(), "lr": 1e-3},
        {"params": model.body.layer4.parameters(), "lr": 1e-4},
    ])


# WRONG: freezes everything first "to be safe" and then unfreezes layer4, which leaves the head frozen.
def finetune_optimizer__wrong_refreeze_freezes_head(model):
    for p in model.parameters():
        p.requires_grad = False
    for p in model.body.layer4.parameters():
        p.requires_grad = True
    return torch.optim.Adam([
        {"params": model.head.parameters(), "lr": 1e-3},
        {"params": model.body.layer4.parameters(), "lr": 1e-4},
    ])
