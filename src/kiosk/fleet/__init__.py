"""Many kiosks, one content source: signed releases over plain HTTP (no Qt).

The office bundles a content folder into a publish folder (`bundle`): the files the content
uses and a `manifest.json` signed in the minisign format. Any static web server serves that
folder. Each kiosk runs `sync`, which fetches a newer signed release into `ROOT/releases/<N>`
and switches the `ROOT/current` link atomically; the show plays `ROOT/current/content.yaml`.
"""
