"""Clips played with a sentence on what they are and what to listen for.

`play` shows the player with that sentence as its caption: a learner who cannot hear the clip
reads what is in it (the category's typical sound, and when this clip is loud, measured from its
samples).
"""

from __future__ import annotations

import html
import os
from pathlib import Path

import numpy as np
from IPython.display import Audio, display

from .audio import load_audio
from .constants import SAMPLE_RATE
from .describe import waveform_timing

CAPTION = "Sound: "  # starts every clip's caption; the site looks for it above each player

# What each ESC-50 category sounds like, as a listener would describe it.
LISTEN_FOR = {
    "dog": "a dog barking: short, sharp barks, often several in a row with quiet between them",
    "rooster": "a rooster crowing: a long, rising and falling call of a second or two",
    "pig": "a pig grunting and squealing: low, rough grunts, sometimes a high squeal",
    "cow": "a cow mooing: a long, low, steady call that rises or falls in pitch",
    "frog": "frogs croaking: rhythmic, throaty croaks repeated at a steady pace",
    "cat": "a cat meowing: a drawn-out cry that bends in pitch",
    "hen": "a hen clucking: short, repeated clucks, now and then a longer cackle",
    "insects": "flying insects: a thin, steady buzz or whine that swells as they come near",
    "sheep": "a sheep bleating: a wavering, nasal 'baa' of about a second",
    "crow": "a crow cawing: harsh, loud caws, usually two to four in a row",
    "rain": "rain: a steady hiss of many tiny impacts, with no clear events",
    "sea_waves": "waves on a shore: a broad roar that swells and fades every few seconds",
    "crackling_fire": "a fire: irregular sharp crackles and pops over a soft hiss",
    "crickets": "crickets: a high, fast, regular chirping that hardly stops",
    "chirping_birds": "birds chirping: many short, high, quick notes, often overlapping",
    "water_drops": "water dripping: separate light plinks at irregular intervals",
    "wind": "wind: a rushing, low roar that rises and falls without clear events",
    "pouring_water": "water being poured: a gurgle whose pitch rises as the vessel fills",
    "toilet_flush": "a toilet flushing: a loud rush of water that fades into refilling",
    "thunderstorm": "thunder: deep rumbles and cracks, often over the hiss of rain",
    "crying_baby": "a baby crying: loud, high wails in bursts, with breaths between them",
    "sneezing": "a sneeze: a quick intake of breath, then one sudden loud burst",
    "clapping": "hands clapping: sharp, short claps, alone or as a crowd's patter",
    "breathing": "breathing: soft, slow in-and-out airy sounds",
    "coughing": "coughing: short, harsh bursts from the chest, often in a series",
    "footsteps": "footsteps: regular soft or hard steps about half a second apart",
    "laughing": "laughing: bursts of voiced 'ha' sounds, rising and falling",
    "brushing_teeth": "teeth being brushed: quick, scratchy back-and-forth strokes",
    "snoring": "snoring: slow, rough, low rattles on each breath in",
    "drinking_sipping": "drinking: small slurps and gulps with short pauses",
    "door_wood_knock": "knocking on a wooden door: a few hard knocks close together",
    "mouse_click": "a computer mouse: tiny, crisp clicks",
    "keyboard_typing": "typing: rapid light clicks of keys, uneven in rhythm",
    "door_wood_creaks": "a creaking door: a slow, squeaky groan that bends in pitch",
    "can_opening": "a can being opened: a click, then a sharp hiss of gas",
    "washing_machine": "a washing machine: a steady hum and the slosh or thump of the drum",
    "vacuum_cleaner": "a vacuum cleaner: a loud, steady whine and roar that barely changes",
    "clock_alarm": "an alarm clock: fast, repeated beeps or a ringing bell",
    "clock_tick": "a clock ticking: soft, regular ticks about once a second",
    "glass_breaking": "glass breaking: a sudden crash, then tinkling pieces",
    "helicopter": "a helicopter: a fast, steady thudding of the blades over an engine drone",
    "chainsaw": "a chainsaw: a loud, buzzing engine whose pitch rises when it cuts",
    "siren": "a siren: a loud tone sweeping up and down in pitch",
    "car_horn": "a car horn: one or more loud, flat honks",
    "engine": "an engine: a steady low rumble or idle",
    "train": "a train: a rolling rumble with rhythmic clatter of the wheels",
    "church_bells": "church bells: loud rings that hum on and fade slowly",
    "airplane": "an aeroplane: a broad, rising or falling roar of jet engines",
    "fireworks": "fireworks: sharp bangs and crackles, spaced out",
    "hand_saw": "a hand saw: rhythmic, rasping strokes back and forth",
}


def describe_sound(samples: np.ndarray, sr: int = SAMPLE_RATE, category: str | None = None,
                   label: str | None = None) -> str:
    """What a clip is (from its category, when told) and when it is loud (from its samples)."""
    if category is None:
        what = "a clip whose category is not shown"
    else:
        what = LISTEN_FOR.get(category, f"a clip of {category}")
    name = f"{label}: " if label else ""
    return f"{name}{what}. This clip, {len(samples) / sr:.1f} s: {waveform_timing(samples, sr)}."


def sound_caption(samples: np.ndarray, sr: int = SAMPLE_RATE, category: str | None = None,
                  label: str | None = None) -> str:
    """The clip's description as its player's caption: "Sound: ..."."""
    return CAPTION + describe_sound(samples, sr, category, label)


def play(sound: np.ndarray | str | os.PathLike, category: str | None = None, label: str | None = None,
         sr: int = SAMPLE_RATE) -> None:
    """Show a player for the clip, captioned with what it is and what to listen for.

    Caption and player are one output (an HTML <figure>), so they stay together wherever the
    notebook is shown; a frontend without HTML shows the caption as plain text.
    """
    if isinstance(sound, (str, os.PathLike)):  # the file as it is, described from its samples at `sr`
        samples, player = load_audio(sound, sr), Audio(filename=str(Path(sound)))
    else:
        samples = np.asarray(sound)
        player = Audio(samples, rate=sr, normalize=bool(np.any(samples)))  # a silent clip cannot be scaled up
    text = sound_caption(samples, sr, category, label)
    display({"text/plain": text,
             "text/html": f"<figure><figcaption>{html.escape(text)}</figcaption>{player._repr_html_().strip()}</figure>"},
            raw=True)
