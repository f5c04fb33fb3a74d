"""Read the data files shipped inside the package (word lists, weights, models).

Everything the analyzer knows lives in heuristics/data; nothing is ever downloaded.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=None)
def load_json(name: str):
    """Parse heuristics/data/NAME once per process."""
    with resources.files("heuristics").joinpath("data").joinpath(name).open("r", encoding="utf-8") as fh:
        return json.load(fh)


def data_path(name: str):
    """A path-like handle to heuristics/data/NAME (for binary files such as .npz models)."""
    return resources.files("heuristics").joinpath("data").joinpath(name)
