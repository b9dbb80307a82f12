#!/usr/bin/env bash
# Start Conduit on one machine: migrate, ensure the demo tenant, serve with gunicorn beside the worker.
# Ctrl-C (or SIGTERM) stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8000}"
PY="${PY:-.venv/bin/python}"

$PY manage.py migrate --noinput -v0
$PY manage.py migrate_tenants
$PY manage.py move_tenant --recover   # a tenant left read-only by a crashed move is made writable again
$PY manage.py create_tenant "${CONDUIT_DEMO_TENANT:-demo}" --name "Demo site" --exist-ok
$PY manage.py collectstatic --noinput -v0

pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait || true
}
trap cleanup INT TERM EXIT

.venv/bin/gunicorn conduit.wsgi:application -c deploy/gunicorn.conf.py --bind "127.0.0.1:${PORT}" &
pids+=($!)
if $PY manage.py help run_worker >/dev/null 2>&1; then
  $PY manage.py run_worker &
  pids+=($!)
fi
echo "Conduit: control plane http://localhost:${PORT}/admin/  demo site http://${CONDUIT_DEMO_TENANT:-demo}.localhost:${PORT}/ (API: /api/articles)" >&2
wait -n
