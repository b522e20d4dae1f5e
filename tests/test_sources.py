from pathlib import Path

import pytest

from course_utils import sources
from course_utils.sources import Source, cache_root, check_url_allowed, resolve_source


def test_named_sources():
    assert resolve_source("esc50") == sources.ESC50
    assert resolve_source("synthetic") == sources.SYNTHETIC
    assert resolve_source(sources.SYNTHETIC) is sources.SYNTHETIC


def test_environment_variable_chooses_source(monkeypatch):
    monkeypatch.setenv("COURSE_DATA", "synthetic")
    assert resolve_source().kind == "synthetic"


def test_auto_falls_back_to_standin_and_says_why(monkeypatch, capsys):
    monkeypatch.setattr(sources, "esc50_reachable", lambda timeout: "ConnectionError")
    assert resolve_source("auto") == sources.SYNTHETIC
    assert "could not be reached (ConnectionError)" in capsys.readouterr().out


def test_auto_uses_esc50_when_reachable(monkeypatch, capsys):
    monkeypatch.setattr(sources, "esc50_reachable", lambda timeout: None)
    assert resolve_source() == sources.ESC50
    assert capsys.readouterr().out == ""


def test_reachability_probe_against_local_server(monkeypatch, server):
    monkeypatch.setattr(sources, "ESC50", Source("esc50", server.url))
    assert sources.esc50_reachable(timeout=2) is None
    monkeypatch.setattr(sources, "ESC50", Source("esc50", server.url + "/nothing-here"))
    assert sources.esc50_reachable(timeout=2) == "HTTPError"


def test_url_source(server):
    source = resolve_source(server.url + "/")
    assert source == Source("mirror", server.url)
    assert source.url("meta/esc50.csv") == server.url + "/meta/esc50.csv"


@pytest.mark.parametrize("url", ["http://example.org/esc50", "ftp://127.0.0.1/x", "file:///tmp/x"])
def test_insecure_urls_are_refused(url):
    with pytest.raises(ValueError, match="refusing data source"):
        resolve_source(url)


def test_plain_http_allowed_on_loopback_or_on_request():
    check_url_allowed("http://127.0.0.1:8000")
    check_url_allowed("http://localhost:8000")
    check_url_allowed("http://example.org/esc50", allow_insecure=True)
    assert resolve_source("http://example.org/x", allow_insecure=True).kind == "mirror"


def test_folder_source(standin_root):
    source = resolve_source(str(standin_root))
    assert source.kind == "folder" and Path(source.location) == standin_root.resolve()


def test_folder_without_layout_is_refused(tmp_path):
    with pytest.raises(ValueError, match="meta/esc50.csv"):
        resolve_source(str(tmp_path))


def test_cache_root_precedence(monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "from-env"))
    assert cache_root(tmp_path / "explicit") == tmp_path / "explicit"
    assert cache_root() == tmp_path / "from-env"
    monkeypatch.delenv("COURSE_DATA_DIR")
    assert cache_root().name == "course_utils"


def test_each_source_has_its_own_cache_folder():
    names = {
        Source("esc50", "https://a").cache_name,
        Source("synthetic").cache_name,
        Source("mirror", "http://127.0.0.1:1").cache_name,
        Source("mirror", "http://127.0.0.1:2").cache_name,
        Source("folder", "/data/esc50").cache_name,
    }
    assert len(names) == 5
