#!/usr/bin/env bash
# Create the virtual environment and install Tandem into it, with extras if asked.
# Re-running it is cheap: it reinstalls only when pyproject.toml or the extras change.
set -euo pipefail
python="${1:-python3}"
venv="${2:-.venv}"
extras="${3:-}"

if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --upgrade pip
fi

target="."
[ -n "$extras" ] && target=".[$extras]"
stamp="$venv/.tandem-installed-${extras:-base}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e "$target"
  touch "$stamp"
fi
