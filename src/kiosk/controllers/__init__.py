"""Input controllers: one per input concern, each turning Qt events into Player calls."""
