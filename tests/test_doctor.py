import os
import subprocess
import sys

import pytest

from course_utils import doctor


# A proxy on a closed local port: the doctor's requests fail at once, as they do with no network.
NO_INTERNET = {"HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}


def _doctor(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "course_utils", "doctor"], capture_output=True, text=True,
                          timeout=120, env={**os.environ, **env})


def test_doctor_runs_and_reports_each_check_offline(tmp_path):
    result = _doctor({**NO_INTERNET, "TORCH_HOME": str(tmp_path)})
    lines = result.stdout.splitlines()
    assert any(line.startswith("OK       Python 3.") for line in lines)
    assert any(line.startswith("OK       torch ") for line in lines)
    assert any(line.startswith("PROBLEM  ESC-50 on GitHub is not reachable (ProxyError)") for line in lines)
    assert any(line.startswith("PROBLEM  ResNet18 ImageNet weights cannot be downloaded") for line in lines)
    assert result.returncode == 1 and result.stderr == ""


@pytest.mark.network
def test_doctor_reaches_github_where_there_is_internet(internet, tmp_path):
    result = _doctor({"TORCH_HOME": str(tmp_path)})
    assert "OK       ESC-50 on GitHub is reachable" in result.stdout
    assert "OK       ResNet18 ImageNet weights can be downloaded" in result.stdout


def test_unreachable_services_are_problems_with_fixes(monkeypatch):
    monkeypatch.setattr(doctor, "esc50_reachable", lambda timeout: "ConnectionError")
    check = doctor.check_esc50()
    assert not check.ok and "offline stand-in" in check.line() and "fix:" in check.line()


def test_reachable_esc50_is_ok(monkeypatch):
    monkeypatch.setattr(doctor, "esc50_reachable", lambda timeout: None)
    assert doctor.check_esc50().ok


def test_missing_package_is_a_problem():
    check = doctor.check_package("no_such_package_for_the_course")
    assert not check.ok and "pip install" in check.fix


def test_low_disk_space_is_a_problem(monkeypatch):
    from collections import namedtuple

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(doctor.shutil, "disk_usage", lambda path: usage(10**9, 10**9, 10**7))
    space = doctor.check_data_settings()[1]
    assert not space.ok and "COURSE_DATA_DIR" in space.fix


def test_cached_weights_are_ok(tmp_path, monkeypatch):
    import torch
    from torchvision.models import ResNet18_Weights

    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path))
    (tmp_path / "checkpoints").mkdir()
    (tmp_path / "checkpoints" / ResNet18_Weights.IMAGENET1K_V1.url.rsplit("/", 1)[1]).write_bytes(b"x")
    assert doctor.check_weights().ok


def test_unknown_command_prints_usage():
    result = subprocess.run([sys.executable, "-m", "course_utils", "nonsense"], capture_output=True, text=True)
    assert result.returncode == 2 and "usage" in result.stderr


def test_report_prints_every_check_and_counts_problems(monkeypatch, capsys):
    checks = [doctor.Check(True, "Python 3.11"), doctor.Check(False, "ESC-50 unreachable", "set COURSE_DATA")]
    monkeypatch.setattr(doctor, "run_doctor", lambda timeout: checks)
    assert doctor.report() == 1
    out = capsys.readouterr().out
    assert all(check.line() in out for check in checks) and out.rstrip().endswith("1 problem(s)")
