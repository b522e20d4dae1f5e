import requests

from course_utils.server import Faults, serve_directory


def test_serves_files_and_refuses_paths_outside_root(tmp_path):
    (tmp_path / "meta").mkdir()
    (tmp_path / "meta" / "esc50.csv").write_text("a,b\n")
    (tmp_path.parent / "secret.txt").write_text("no")
    with serve_directory(tmp_path) as server:
        assert requests.get(server.url + "/meta/esc50.csv", timeout=5).text == "a,b\n"
        assert requests.get(server.url + "/../secret.txt", timeout=5).status_code == 404
        assert requests.get(server.url + "/%2e%2e/secret.txt", timeout=5).status_code == 404
        assert requests.head(server.url + "/meta/esc50.csv", timeout=5).headers["Content-Length"] == "4"
        assert server.requests["esc50.csv"] == 2


def test_standin_mode_generates_clips_on_request(tmp_path):
    with serve_directory(tmp_path, standin=True) as server:
        response = requests.get(server.url + "/audio/3-900003-A-3.wav", timeout=10)
        assert response.status_code == 200 and response.content[:4] == b"RIFF"
        assert requests.get(server.url + "/audio/not-a-clip.wav", timeout=5).status_code == 404
        assert requests.get(server.url + "/meta/esc50.csv", timeout=5).text.startswith("filename,")


def test_faults_are_applied_per_file(tmp_path):
    (tmp_path / "a.wav").write_bytes(b"RIFF")
    faults = Faults(status={"a.wav": 503}, html={"b.wav"})
    with serve_directory(tmp_path, faults) as server:
        assert requests.get(server.url + "/a.wav", timeout=5).status_code == 503
        page = requests.get(server.url + "/b.wav", timeout=5)
        assert page.status_code == 200 and page.headers["Content-Type"] == "text/html"
        server.faults = Faults()
        assert requests.get(server.url + "/a.wav", timeout=5).content == b"RIFF"


def test_a_client_hanging_up_is_not_reported_but_other_errors_are(tmp_path, capsys):
    with serve_directory(tmp_path) as server:
        for error in (ConnectionResetError(104, "Connection reset by peer"), ValueError("a real bug")):
            try:
                raise error
            except Exception:
                server._httpd.handle_error(None, ("127.0.0.1", 1))
    stderr = capsys.readouterr().err
    assert "ValueError: a real bug" in stderr and "ConnectionResetError" not in stderr
