"""Full-screen exhibition kiosk for the Jinan High-tech Zone, driven by content.yaml."""

__version__ = "0.1.0"
