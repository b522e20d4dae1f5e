"""Exercise 7.1: replace_head(resnet, n_classes): freeze everything, new trainable nn.Linear(512, n_classes)."""
import torch
from torch import nn


def replace_head__right_loop_freeze(resnet, n_classes):
    for parameter in resnet.parameters():
        parameter.requires_grad = False
    resnet.fc = nn.Linear(512, n_classes)
    return resnet


def replace_head__right_requires_grad_(resnet, n_classes):
    resnet.requires_grad_(False)
    in_features = resnet.fc.in_features  # 512 for ResNet18
    resnet.fc = nn.Linear(in_features, n_classes)
    return resnet


# WRONG: replaces the head first, then freezes every parameter: the new head is frozen too (nothing trains).
def replace_head__wrong_freezes_new_head(resnet, n_classes):
    resnet.fc = nn.Linear(512, n_classes)
    for parameter in resnet.parameters():
        parameter.requires_grad = False
    return resnet


# WRONG: modifies the model but forgets to return it (returns None).
def replace_head__wrong_returns_none(resnet, n_classes):
    for parameter in resnet.parameters():
        parameter.requires_grad = False
    resnet.fc = nn.Linear(512, n_classes)


# WRONG: class count typed in as 4: ignores n_classes.
def replace_head__wrong_hardcoded_four_classes(resnet, n_classes):
    for parameter in resnet.parameters():
        parameter.requires_grad = False
    resnet.fc = nn.Linear(512, 4)
    return resnet


# WRONG: "freezes" with eval(): that only changes dropout/batch-norm behaviour; every weight still trains.
def replace_head__wrong_eval_instead_of_freeze(resnet, n_classes):
    resnet.eval()
    resnet.fc = nn.Linear(512, n_classes)
    return resnet


# WRONG: freezes only parameters named "layer..." (layer1-layer4): the stem conv1 and bn1 stay trainable.
def replace_head__wrong_only_layer_blocks_frozen(resnet, n_classes):
    for name, parameter in resnet.named_parameters():
        if name.startswith("layer"):
            parameter.requires_grad = False
    resnet.fc = nn.Linear(512, n_classes)
    return resnet


# WRONG: head ends in a softmax (Sequential(Linear, Softmax)): not a plain nn.Linear, outputs probabilities.
def replace_head__wrong_softmax_head(resnet, n_classes):
    resnet.requires_grad_(False)
    resnet.fc = nn.Sequential(nn.Linear(512, n_classes), nn.Softmax(dim=1))
    return resnet
