"""gunicorn settings, all overridable by environment (GUNICORN_*), used by `make run` and the container.

Graceful reload: `kill -HUP <master pid>` (in the container: `docker compose kill -s HUP web`) re-reads this file
and the code, starts new workers and lets old ones finish their requests within GRACEFUL_TIMEOUT. A rolling
deploy of the image instead replaces containers one by one behind nginx (see README, "Operating Conduit").
SIGTERM is a graceful stop (the default `docker stop` signal); SIGQUIT/SIGINT stop at once.
"""
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 5))
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 0))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", 0))
# gunicornc's control socket; the container sets a writable path (the default lies under $HOME).
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
# Only the proxy may set X-Forwarded-Proto: its address or network (compose: the edge network's subnet).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Logging: Django's RequestLogMiddleware writes one JSON access line per request on stdout, so gunicorn's own
# access log stays off (a logconfig_dict would switch it back on). gunicorn's error log (worker boots, timeouts,
# signals) goes to stderr, one timestamped line each, so `docker compose logs web` separates the two streams.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Worker heartbeat files: in a container set /dev/shm, since an overlay-filesystem /tmp can stall the heartbeat.
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or None


def child_exit(server, worker):
    """Drop a dead worker's live gauges from the Prometheus multiprocess directory."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
