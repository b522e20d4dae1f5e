"""Lesson 7's checks: a new head on a frozen body, and an optimizer for fine-tuning."""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn

from .. import models
from .core import call, exercise, expect

THEN = "The lesson goes on with the course's version."


@exercise("7.1", then=THEN)
def check_new_head(replace_head: Callable) -> None:
    """Exercise 7.1: replace_head(resnet, n_classes) freezes the body and adds a trainable head."""
    from torchvision.models import resnet18

    for n_classes in (4, 7):
        torch.manual_seed(0)
        resnet = resnet18(weights=None)
        body = {name: p.detach().clone() for name, p in resnet.named_parameters() if not name.startswith("fc.")}
        model = call(f"replace_head(resnet, {n_classes})", replace_head, resnet, n_classes)
        expect(isinstance(model, nn.Module), "not-returned", "Return the model: end replace_head with `return resnet`.")
        expect(isinstance(getattr(model, "fc", None), nn.Linear) and model.fc.out_features == n_classes
               and model.fc.in_features == 512, "wrong-head",
               f"After replace_head(resnet, {n_classes}), model.fc should be a new nn.Linear(512, {n_classes}).")
        frozen = [name for name, p in model.named_parameters() if not name.startswith("fc.") and p.requires_grad]
        expect(not frozen, "body-not-frozen", f"The body should be frozen; these still train: {frozen[:3]}...: "
               "resnet.requires_grad_(False) before the new head goes in.")
        expect(all(p.requires_grad for p in model.fc.parameters()), "head-frozen",
               "The new head should train: freeze the body first, then put in the new nn.Linear.")
        trainable, total = models.count_parameters(model)
        want = 512 * n_classes + n_classes
        expect(trainable == want, "wrong-head", f"Expected {want:,} trainable parameters (the head), got {trainable:,}.")
        expect(total == 11_176_512 + want, "wrong-head", f"Expected {11_176_512 + want:,} parameters in all, got {total:,}: "
               "replace resnet.fc; do not add layers after it.")
        same = all(torch.equal(p, body[name]) for name, p in model.named_parameters() if name in body)
        expect(same, "body-changed", "The body's weights changed: keep the pre-trained weights, only freeze them.")


@exercise("7.2", then=THEN)
def check_finetune_optimizer(finetune_optimizer: Callable) -> None:
    """Exercise 7.2: unfreeze layer4 and return Adam with lr 1e-3 for the head and 1e-4 for layer4."""
    for n_classes in (4, 6):
        model = models.resnet18_transfer(n_classes, pretrained=False)
        optimizer = call("finetune_optimizer(model)", finetune_optimizer, model)
        expect(type(optimizer) is torch.optim.Adam, "not-adam",
               f"Return a torch.optim.Adam optimizer, not {type(optimizer).__name__}.")
        expect(all(p.requires_grad for p in model.body.layer4.parameters()), "layer4-frozen",
               "Unfreeze model.body.layer4 first.")
        expect(all(p.requires_grad for p in model.head.parameters()), "head-frozen",
               "The head must stay trainable: unfreeze layer4 only, do not freeze the head.")
        others = [name for name, p in model.body.named_parameters() if p.requires_grad and not name.startswith("layer4.")]
        expect(not others, "too-much-unfrozen", f"Only layer4 should be unfrozen; these train too: {others[:3]}...")
        rates = {id(p): group["lr"] for group in optimizer.param_groups for p in group["params"]}
        expected = {id(p) for p in model.head.parameters()} | {id(p) for p in model.body.layer4.parameters()}
        expect(set(rates) == expected, "other-parameters", "Give the optimizer the head and layer4, nothing else.")
        expect(all(rates.get(id(p)) == 1e-3 for p in model.head.parameters()), "head-rate",
               "Every parameter of model.head should train with lr=1e-3.")
        expect(all(rates.get(id(p)) == 1e-4 for p in model.body.layer4.parameters()), "layer4-rate",
               "Every parameter of model.body.layer4 should train with lr=1e-4.")
        defaults = torch.optim.Adam([torch.zeros(1)]).defaults
        changed = sorted(k for group in optimizer.param_groups for k, v in group.items()
                         if k not in ("params", "lr") and k in defaults and v != defaults[k])
        expect(not changed, "adam-settings", f"Keep Adam's other settings at their defaults; these differ: {changed}.")
