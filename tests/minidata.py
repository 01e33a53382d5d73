"""A private copy of the mini fixture's annotations, edited in place by tests of load errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kzgraph.annotations import AnnotationError, load_annotations

from .conftest import MINI


def mini_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(MINI / "data", target)
    return target


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def load_error(data: Path) -> str:
    """The message of the AnnotationError that loading ``data`` must raise."""
    with pytest.raises(AnnotationError) as info:
        load_annotations(data)
    return str(info.value)
