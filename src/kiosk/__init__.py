"""Full-screen exhibition kiosk for the Jinan High-tech Zone, driven by content.yaml."""

import os

__version__ = "0.1.0"

# pydantic looks for third-party plugins through importlib.metadata on import, which reads
# every installed package's metadata at start-up; the kiosk uses none.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
