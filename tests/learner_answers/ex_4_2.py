"""Exercise 4.2: count_trainable(model): number of values in parameters with requires_grad."""
import torch
from torch import nn


def count_trainable__right_generator(model):
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def count_trainable__right_named_loop(model):
    total = 0
    for _name, parameter in model.named_parameters():
        if parameter.requires_grad:
            total += int(parameter.numel())
    return total


# WRONG: counts every parameter, frozen ones too (ignores requires_grad).
def count_trainable__wrong_counts_frozen_too(model):
    return sum(p.numel() for p in model.parameters())


# WRONG: counts parameter tensors, not the numbers in them.
def count_trainable__wrong_counts_tensors(model):
    return sum(1 for p in model.parameters() if p.requires_grad)


# WRONG: condition inverted: counts the frozen parameters.
def count_trainable__wrong_inverted_condition(model):
    return sum(p.numel() for p in model.parameters() if not p.requires_grad)


# WRONG: loops over model.modules() and each module's parameters(): nested modules' parameters are
# counted once per enclosing module (right only for a model without nesting).
def count_trainable__wrong_double_counts_nested(model):
    return sum(p.numel() for m in model.modules() for p in m.parameters() if p.requires_grad)


# WRONG: len(p) is only the first dimension, not the number of values (right only for 1-D tensors).
def count_trainable__wrong_len_not_numel(model):
    return sum(len(p) for p in model.parameters() if p.requires_grad)


# WRONG: state_dict counts buffers (e.g. BatchNorm running stats) and frozen weights too.
def count_trainable__wrong_state_dict(model):
    return sum(v.numel() for v in model.state_dict().values())
