"""The content model and its loader: pure data, no Qt."""

from kiosk.content.errors import ContentError, Problem
from kiosk.content.loader import CheckResult, check_content, load_content, parse_content
from kiosk.content.model import SLIDE_TYPES, Content, Settings, Slide, Text

__all__ = [
    "SLIDE_TYPES",
    "CheckResult",
    "Content",
    "ContentError",
    "Problem",
    "Settings",
    "Slide",
    "Text",
    "check_content",
    "load_content",
    "parse_content",
]
