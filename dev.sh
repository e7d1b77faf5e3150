#!/usr/bin/env bash
# Set up everything on a fresh Debian machine with Python 3.11, then run the show or the tests.
#
#   ./dev.sh show [kiosk show arguments...]   set up, then run the show on content.yaml
#   ./dev.sh test [pytest arguments...]       set up (test extras, Xvfb), then run the test suite
#
# Set-up is idempotent and quick when nothing changed: a virtualenv in .venv with the pinned
# dependencies (constraints.txt), and the system libraries Qt needs (installed with apt-get
# when missing and when we are root or have password-less sudo; otherwise listed for you).
set -euo pipefail
cd "$(dirname "$0")"

what=${1:-}
[ $# -gt 0 ] && shift
case "$what" in
  show|test) ;;
  *) sed -n '2,9p' "$0"; exit 2 ;;
esac

# Libraries Qt's xcb (real screen) and offscreen platforms load; Xvfb, xdotool and openbox for
# the real-window tests (and Xvfb for `kiosk bench --display` without a screen); ffmpeg and
# PulseAudio for the film tests. Debian package -> a file it provides.
declare -A needs=(
  [libgl1]=libGL.so.1 [libegl1]=libEGL.so.1 [libfontconfig1]=libfontconfig.so.1
  [libxkbcommon0]=libxkbcommon.so.0 [libdbus-1-3]=libdbus-1.so.3 [libglib2.0-0]=libglib-2.0.so.0
  [libxcb-cursor0]=libxcb-cursor.so.0 [libxcb-icccm4]=libxcb-icccm.so.4
  [libxcb-keysyms1]=libxcb-keysyms.so.1 [libxcb-shape0]=libxcb-shape.so.0
  [libxcb-xinerama0]=libxcb-xinerama.so.0 [libxcb-randr0]=libxcb-randr.so.0
  [libxcb-render-util0]=libxcb-render-util.so.0 [libxcb-image0]=libxcb-image.so.0
  [libxkbcommon-x11-0]=libxkbcommon-x11.so.0 [libxcb-xkb1]=libxcb-xkb.so.1
  [libpulse0]=libpulse.so.0  # QtMultimedia (PySide6-Addons) does not import without it
)
missing=()
# Read the linker cache once: piping `ldconfig -p` into `grep -q` under pipefail fails whenever
# grep stops reading early (SIGPIPE), which made present libraries look missing.
libraries=$(ldconfig -p 2>/dev/null || true)
for package in "${!needs[@]}"; do
  grep -qF "${needs[$package]}" <<<"$libraries" || missing+=("$package")
done
# xset: standby switches the display off and on again (X11 DPMS), and the tests check it.
command -v xset >/dev/null || missing+=(x11-xserver-utils)
# Read aloud: QtTextToSpeech speaks through Speech Dispatcher with espeak-ng's Chinese and
# English voices (without them the kiosk simply offers no read-aloud).
command -v speech-dispatcher >/dev/null || missing+=(speech-dispatcher)
[ -e /usr/lib/speech-dispatcher-modules/sd_espeak-ng ] || missing+=(speech-dispatcher-espeak-ng)
command -v espeak-ng >/dev/null || missing+=(espeak-ng)
if [ "$what" = test ]; then
  command -v Xvfb >/dev/null || missing+=(xvfb)
  command -v xdotool >/dev/null || missing+=(xdotool)
  # The fleet tests: a real web server and the standard signing tool.
  command -v minisign >/dev/null || missing+=(minisign)
  [ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || missing+=(nginx-light)
  # Screen-reader tests: a real AT-SPI bus (dbus-run-session, at-spi2-core) and the client
  # library Orca uses (pyatspi: Debian's, for the system python3). Read-aloud and film sound
  # tests play into a PulseAudio null sink and record it (parec).
  [ -x /usr/libexec/at-spi-bus-launcher ] || missing+=(at-spi2-core)
  command -v dbus-run-session >/dev/null || missing+=(dbus-daemon)
  /usr/bin/python3 -c 'import pyatspi' 2>/dev/null || missing+=(python3-pyatspi)
  command -v pulseaudio >/dev/null || missing+=(pulseaudio)
  command -v parec >/dev/null || missing+=(pulseaudio-utils)
  # The editor agreement tests run yaml-language-server (tests/editor), which needs node.
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
  # The film tests make their clips with ffmpeg.
  command -v ffmpeg >/dev/null || missing+=(ffmpeg)
  command -v openbox >/dev/null || missing+=(openbox)  # Alt+F4 and close under a real WM
fi
python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && sudo -n true 2>/dev/null && sudo="sudo -n"
  if [ "$(id -u)" -eq 0 ] || [ -n "$sudo" ]; then
    echo "dev.sh: installing system packages: ${missing[*]}" >&2
    $sudo apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
    # Debian starts the nginx it installs on port 80; the tests start their own on 127.0.0.1.
    if [[ " ${missing[*]} " == *" nginx-light "* ]] && [ -d /run/systemd/system ]; then
      $sudo systemctl disable --now nginx >/dev/null 2>&1 || true
    fi
  else
    echo "dev.sh: please install: sudo apt-get install ${missing[*]}" >&2
  fi
fi

extras=""
[ "$what" = test ] && extras="[test]"
stamp=".venv/.installed-$what"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ constraints.txt -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install -q --disable-pip-version-check -c constraints.txt -e ".$extras"
  touch "$stamp"
fi

if [ "$what" = test ]; then
  # The editors' own YAML parser and validator, at the versions pinned in package-lock.json.
  editor=tests/editor
  if [ ! -f "$editor/node_modules/.package-lock.json" ] \
      || [ "$editor/package-lock.json" -nt "$editor/node_modules/.package-lock.json" ]; then
    npm ci --prefix "$editor" --no-audit --no-fund --loglevel=error >/dev/null
  fi
fi

if [ "$what" = show ]; then
  # Byte-code compiled ahead: an editable install has none, and without it every start
  # compiles ~60 modules when PYTHONDONTWRITEBYTECODE is set or src is read-only.
  .venv/bin/python -m compileall -q src/kiosk >/dev/null || true
  exec .venv/bin/kiosk show "$@"
fi
exec .venv/bin/python -m pytest "$@"
