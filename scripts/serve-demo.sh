#!/usr/bin/env bash
# Serve the demo: the background task worker beside the web server. Stopping the server
# (Ctrl+C) stops the worker too. Usage: scripts/serve-demo.sh [python] [address:port]
set -euo pipefail
py="${1:-.venv/bin/python}"
address="${2:-127.0.0.1:8000}"

# django-tasks has no scheduler: send what session reminders are due now, once (in production,
# cron runs `manage.py meetings_reminders` every 15 minutes; see the README).
# The demo's emails go to the console; these first ones go to a file instead, so that the demo
# logins printed above stay on screen.
"$py" manage.py meetings_reminders > demo-reminders.log
echo "$(tail -n 1 demo-reminders.log) The emails are in demo-reminders.log."

# One process (no autoreload), so that killing it stops it.
"$py" manage.py db_worker --no-reload --interval 2 &
worker=$!
stop_worker() {
  kill "$worker" 2>/dev/null || true
  wait "$worker" 2>/dev/null || true
}
trap stop_worker EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$py" manage.py runserver "$address"
