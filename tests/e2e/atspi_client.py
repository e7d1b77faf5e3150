"""A screen-reader stand-in for the AT-SPI tests: pyatspi (the library Orca uses), run by the
system /usr/bin/python3 (Debian's python3-pyatspi) inside `dbus-run-session`.

It starts the accessibility bus (at-spi-bus-launcher), prints the session bus address as its
first line, then answers JSON commands on stdin, one JSON line each on stdout:
  {"cmd": "tree"}                the kiosk application's tree: [[depth, role, name, checked]]
  {"cmd": "press", "name": N}    do a push button's first action, as a screen reader would
  {"cmd": "announcements"}       the polite announcements heard so far
  {"cmd": "quit"}
Events are heard on GLib's main loop; commands are run there too (pyatspi is not threaded).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

LAUNCHER = "/usr/libexec/at-spi-bus-launcher"


def main() -> int:
    launcher = subprocess.Popen(  # its bus and registry must not write into our replies
        [LAUNCHER, "--launch-immediately"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        import pyatspi
        from gi.repository import GLib

        deadline = time.monotonic() + 20
        while True:  # the registry answers once the accessibility bus is up
            try:
                pyatspi.Registry.getDesktop(0).childCount  # noqa: B018 - a round trip
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        heard: list[str] = []

        def on_announcement(event) -> None:
            heard.append(str(event.any_data))

        pyatspi.Registry.registerEventListener(on_announcement, "object:announcement")
        # Like Orca, listen to changes: libatspi keeps its cache of names and children up to
        # date from these events (so a tree read later shows what the kiosk says now).
        for kind in ("object:property-change", "object:children-changed", "object:state-changed"):
            pyatspi.Registry.registerEventListener(lambda event: None, kind)
        print(json.dumps({"bus": os.environ["DBUS_SESSION_BUS_ADDRESS"]}), flush=True)

        def kiosk_app():
            desktop = pyatspi.Registry.getDesktop(0)
            for app in desktop:
                if app is not None and app.name == "kiosk":
                    return app
            return None

        def walk(node, depth, out) -> None:
            checked = node.getState().contains(pyatspi.STATE_CHECKED)
            out.append([depth, node.getRoleName(), node.name, checked])
            for child in node:
                if child is not None:
                    walk(child, depth + 1, out)

        def run(command: dict) -> dict:
            kind = command.get("cmd")
            if kind == "announcements":
                return {"announcements": list(heard)}
            app = kiosk_app()
            if app is None:
                return {"error": "no kiosk application on the accessibility bus"}
            if kind == "tree":
                out: list = []
                walk(app, 0, out)
                return {"tree": out}
            if kind == "press":
                found = []

                def search(node) -> None:
                    role = node.getRoleName()
                    if node.name == command["name"] and ("button" in role or "box" in role):
                        found.append(node)
                    for child in node:
                        if child is not None and not found:
                            search(child)

                search(app)
                if not found:
                    return {"error": f"no button {command['name']!r}"}
                found[0].queryAction().doAction(0)
                return {"pressed": command["name"]}
            return {"error": f"unknown command {kind!r}"}

        def handle(line: str) -> bool:
            command = json.loads(line)
            if command.get("cmd") == "quit":
                pyatspi.Registry.stop()
                return False
            try:
                reply = run(command)
            except Exception as error:  # noqa: BLE001 - an object gone mid-walk: say so, serve on
                reply = {"error": f"{type(error).__name__}: {error}"}
            print(json.dumps(reply, ensure_ascii=False), flush=True)
            return False  # run once (GLib.idle_add)

        def read_commands() -> None:
            for line in sys.stdin:
                if line.strip():
                    GLib.idle_add(handle, line)
            GLib.idle_add(handle, '{"cmd": "quit"}')

        threading.Thread(target=read_commands, daemon=True).start()
        pyatspi.Registry.start()
        return 0
    finally:
        launcher.terminate()
        launcher.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
