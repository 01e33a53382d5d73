"""Reading, checking and completing the hand-written YAML annotation files in ``data/``."""

from kzgraph.annotations.errors import AnnotationError
from kzgraph.annotations.load import AnnotationSet, load_annotations

__all__ = ["AnnotationError", "AnnotationSet", "load_annotations"]
