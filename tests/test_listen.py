"""course_utils.listen: every category has words, and play() prints them above the player."""

import base64

import numpy as np
import soundfile as sf

from course_utils import listen
from course_utils.constants import ESC50_CATEGORIES


def test_every_esc50_category_says_what_to_listen_for():
    assert set(listen.LISTEN_FOR) == set(ESC50_CATEGORIES)
    assert all(text[0].islower() and ":" in text
               for text in listen.LISTEN_FOR.values())


def _bark(sr: int = 16000) -> np.ndarray:
    samples = np.zeros(5 * sr, dtype=np.float32)
    samples[int(1.2 * sr):int(1.4 * sr)] = 0.4
    return samples


def test_a_described_sound_names_the_category_and_when_it_is_loud():
    assert listen.describe_sound(_bark(), 16000, "dog", "1-1-A-0.wav") == (
        "1-1-A-0.wav: a dog barking: short, sharp barks, often several in a row with quiet between them. "
        "This clip, 5.0 s: energy in a short burst at 1.2 s.")


def test_a_category_outside_esc50_is_named_as_given():
    assert listen.describe_sound(_bark(), 16000, "my_doorbell").startswith("a clip of my_doorbell. This clip")


def test_a_mystery_clip_keeps_its_category_hidden():
    text = listen.describe_sound(_bark(), 16000, label="Clip A")
    assert text.startswith("Clip A: a clip whose category is not shown.") and "dog" not in text


def test_play_shows_the_player_captioned_with_the_description(monkeypatch, tmp_path):
    shown = []
    monkeypatch.setattr(listen, "display", lambda bundle, raw: shown.append(bundle))
    listen.play(_bark(), "dog", label="array")
    path = tmp_path / "1-1-A-0.wav"
    sf.write(path, _bark(44100), 44100)
    listen.play(path, "cow")
    assert shown[0]["text/plain"].startswith("Sound: array: a dog barking")
    assert shown[1]["text/plain"].startswith("Sound: a cow mooing")
    assert "energy in a short burst at 1.2 s" in shown[1]["text/plain"]  # described from the file's own samples
    for bundle in shown:
        page = bundle["text/html"]
        assert page.startswith(f"<figure><figcaption>{bundle['text/plain']}</figcaption><audio")
        assert page.endswith("</audio></figure>")
    assert base64.b64encode(path.read_bytes()).decode() in shown[1]["text/html"]  # the file as it is


def test_a_silent_clip_plays_without_a_warning(monkeypatch, recwarn):
    shown = []
    monkeypatch.setattr(listen, "display", lambda bundle, raw: shown.append(bundle))
    listen.play(np.zeros(16000, dtype=np.float32), label="silence")
    assert "the same level throughout" in shown[0]["text/plain"] and not recwarn.list


def test_the_caption_is_escaped(monkeypatch):
    shown = []
    monkeypatch.setattr(listen, "display", lambda bundle, raw: shown.append(bundle))
    listen.play(_bark(), label="<b>clip</b>")
    assert "&lt;b&gt;clip&lt;/b&gt;" in shown[0]["text/html"] and "<b>" not in shown[0]["text/html"]
