"""Registries cover the model: every slide type has a view, every transition name a painter."""

from __future__ import annotations

from kiosk.content.model import SLIDE_MODELS, SLIDE_TYPES, TRANSITION_NAMES
from kiosk.slides.registry import SLIDE_VIEWS
from kiosk.ui.transitions import TRANSITIONS


def test_every_slide_type_in_the_model_has_a_registered_view() -> None:
    missing = [model.__name__ for model in SLIDE_MODELS if model not in SLIDE_VIEWS]
    assert missing == [], f"slide types without a view in slides/registry.py: {missing}"
    assert set(SLIDE_VIEWS) == set(SLIDE_MODELS)  # nor a view for a type the model lost


def test_slide_type_names_come_from_the_models() -> None:
    assert len(SLIDE_TYPES) == len(SLIDE_MODELS) == len(set(SLIDE_TYPES))
    for name, model in zip(SLIDE_TYPES, SLIDE_MODELS, strict=True):
        assert model.model_validate  # a pydantic model
        assert model.model_fields["type"].annotation.__args__ == (name,)


def test_every_transition_name_has_a_painter() -> None:
    assert set(TRANSITIONS) == set(TRANSITION_NAMES)
    assert all(TRANSITIONS[name].name == name for name in TRANSITION_NAMES)
