from torch import nn


def replace_head__right_loop_then_new_fc(resnet, n_classes):
    for parameter in resnet.parameters():
        parameter.requires_grad = False
    resnet.fc = nn.Linear(512, n_classes)
    return resnet


def replace_head__right_requires_grad_(resnet, n_classes):
    resnet.requires_grad_(False)
    in_features = resnet.fc.in_features  # 512 for ResNet18
    setattr(resnet, "fc", nn.Linear(in_features, n_classes))
    return resnet


# WRONG: replaces the head first and freezes afterwards, so the new head is frozen too.
def replace_head__wrong_freeze_after_replacing(resnet, n_classes):
    resnet.fc = nn.Linear(512, n_classes)
    for parameter in resnet.parameters():
        parameter.requires_grad = False
    return resnet


# WRONG: "freezes" with eval mode (resnet.eval()), which does not stop gradients: every parameter stays trainable.
def replace_head__wrong_eval_instead_of_freeze(resnet, n_classes):
    resnet.eval()
    resnet.fc = nn.Linear(512, n_classes)
    return resnet


# WRONG: changes the model but does not return it (returns None).
def replace_head__wrong_no_return(resnet, n_classes):
    for parameter in resnet.parameters():
        parameter.requires_grad = False
    resnet.fc = nn.Linear(512, n_classes)


# WRONG: freezes only parameters whose name contains "conv": batch-norm and downsample parameters stay trainable.
def replace_head__wrong_freezes_only_conv(resnet, n_classes):
    for name, parameter in resnet.named_parameters():
        if "conv" in name:
            parameter.requires_grad = False
    resnet.fc = nn.Linear(512, n_classes)
    return resnet


# WRONG: keeps the old 1000-class fc and stacks a Linear(1000, n_classes) on it, instead of replacing fc by Linear(512, n_classes).
def replace_head__wrong_stacks_on_old_fc(resnet, n_classes):
    for parameter in resnet.parameters():
        parameter.requires_grad = False
    resnet.fc = nn.Sequential(resnet.fc, nn.Linear(1000, n_classes))
    return resnet
