#!/bin/sh
# Container entrypoint: one image, several roles.
#   web [gunicorn args]   serve HTTP with gunicorn (CONDUIT_MIGRATE_ON_START=true migrates first)
#   worker [args]         consume content events and index them (manage.py run_worker)
#   migrate [slug ...]    migrate the control database, then every tenant database (or the named ones)
#   manage <cmd> [args]   any manage.py command, e.g. `manage create_tenant acme --name Acme`
#   anything else         executed as is (e.g. `sh`)
set -eu
cd "$(dirname "$0")/.."  # /app in the image

migrate() {
    python manage.py migrate --noinput
    python manage.py migrate_tenants "$@"
}

# Prometheus multiprocess files belong to one run of this container: stale ones would double-count.
reset_metrics() {
    if [ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ] && [ -d "${PROMETHEUS_MULTIPROC_DIR}" ]; then
        find "${PROMETHEUS_MULTIPROC_DIR}" -maxdepth 1 -name '*.db' -type f -delete
    fi
}

role="${1:-web}"
if [ "$#" -gt 0 ]; then shift; fi

case "$role" in
    web)
        if [ "${CONDUIT_MIGRATE_ON_START:-false}" = "true" ]; then
            migrate
        fi
        # Publish the collected static files to the volume nginx serves them from (hashed names: old ones stay valid).
        if [ -n "${CONDUIT_STATIC_EXPORT:-}" ]; then
            cp -R "${CONDUIT_STATIC_ROOT:-staticfiles}/." "${CONDUIT_STATIC_EXPORT}/"
        fi
        # Likewise the built Conduit Frontend, for nginx on tenant hosts: hashed assets first (old ones stay, so
        # pages already open keep loading), index.html last, so it never names an asset not yet copied.
        if [ -n "${CONDUIT_FRONTEND_EXPORT:-}" ]; then
            frontend="${CONDUIT_FRONTEND_DIR:-frontend/dist}"
            test -s "$frontend/index.html" || { echo "entrypoint: no built frontend in $frontend" >&2; exit 1; }
            find "$frontend" -mindepth 1 -maxdepth 1 ! -name index.html ! -name ".*" -exec cp -R {} "${CONDUIT_FRONTEND_EXPORT}/" \;
            cp "$frontend/index.html" "${CONDUIT_FRONTEND_EXPORT}/index.html.new"
            mv -f "${CONDUIT_FRONTEND_EXPORT}/index.html.new" "${CONDUIT_FRONTEND_EXPORT}/index.html"
        fi
        reset_metrics
        exec gunicorn conduit.wsgi:application --config deploy/gunicorn.conf.py "$@"
        ;;
    worker)
        reset_metrics
        exec python manage.py run_worker "$@"
        ;;
    migrate)
        migrate "$@"
        ;;
    manage)
        exec python manage.py "$@"
        ;;
    *)
        exec "$role" "$@"
        ;;
esac
