# syntax=docker/dockerfile:1
# Conduit: one image for the web tier (gunicorn), the worker and one-shot management commands.
#   docker build -t conduit:$(git rev-parse --short HEAD) .
#   docker run conduit web | worker | migrate | manage <command> [args]
ARG PYTHON_IMAGE=python:3.11-slim-bookworm
ARG NODE_IMAGE=node:20-bookworm-slim

# --- frontend: the Conduit Frontend's static bundle (frontend/dist: index.html + content-hashed assets).
# PUBLIC_API_URL (build arg) points a cross-origin build at one API; empty: each site's own /api (one build, all sites).
FROM ${NODE_IMAGE} AS frontend
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
    NPM_CONFIG_AUDIT=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci
COPY frontend/ ./
ARG PUBLIC_API_URL=""
RUN PUBLIC_API_URL="${PUBLIC_API_URL}" npm run build && test -s dist/index.html

# --- build: a virtualenv with the pinned requirements and CPU-only PyTorch (no CUDA wheels, ~4 GB smaller).
FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
COPY requirements.txt /tmp/requirements.txt
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0 \
    && pip install -r /tmp/requirements.txt \
    && pip check

# --- runtime: the virtualenv, the code and the collected static files; runs as an unprivileged user.
FROM ${PYTHON_IMAGE} AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=conduit.settings \
    CONDUIT_DATA_DIR=/data \
    CONDUIT_STATIC_ROOT=/app/staticfiles \
    CONDUIT_FRONTEND_DIR=/app/frontend/dist \
    PROMETHEUS_MULTIPROC_DIR=/data/prometheus \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    XDG_CACHE_HOME=/data/.cache \
    GUNICORN_BIND=0.0.0.0:8000 \
    GUNICORN_CONTROL_SOCKET=/tmp/gunicorn.ctl \
    GUNICORN_WORKER_TMP_DIR=/dev/shm
RUN groupadd --system --gid 10001 conduit \
    && useradd --system --uid 10001 --gid conduit --home-dir /app --no-create-home --shell /usr/sbin/nologin conduit
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY . /app
# The built app: Django serves it on tenant hosts (CONDUIT_FRONTEND_DIR), the web role exports it for nginx.
COPY --from=frontend /frontend/dist /app/frontend/dist
# Static files are collected at build time (hashed names, compressed); the settings need no secrets to import.
# Importing the settings creates the data directories: point them at a scratch place, /data stays the user's.
RUN CONDUIT_DATA_DIR=/tmp/build-data PROMETHEUS_MULTIPROC_DIR=/tmp/build-data/prometheus \
        python manage.py collectstatic --noinput -v0 \
    && rm -rf /tmp/build-data \
    && mkdir -p /data /srv/static /srv/frontend \
    && chown -R conduit:conduit /data /srv/static /srv/frontend \
    && chmod 0755 /app/deploy/entrypoint.sh
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; r = u.Request('http://127.0.0.1:8000/api/health', headers={'Host': os.environ.get('CONDUIT_BASE_DOMAIN', 'localhost')}); u.urlopen(r, timeout=4)"]
ENTRYPOINT ["/app/deploy/entrypoint.sh"]
CMD ["web"]
