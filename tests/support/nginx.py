"""The shipped nginx configuration (deploy/nginx) run for tests: rendered onto loopback ports and a temp prefix."""
import shutil
import signal
import subprocess
import time
from contextlib import contextmanager

from tests.support.stack import ROOT

NGINX = ROOT / "deploy" / "nginx"


def self_signed(directory, name, *alt_names):
    directory.mkdir(parents=True, exist_ok=True)
    sans = ",".join(f"DNS:{n}" for n in (name, *alt_names))
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={name}",
                    "-addext", f"subjectAltName={sans}", "-keyout", directory / f"{name}.key",
                    "-out", directory / f"{name}.crt"], check=True, capture_output=True)


def render(tmp, upstream_port, http_port, https_port):
    """deploy/nginx as the nginx image renders it, moved to loopback ports, a temp prefix and a local upstream."""
    (tmp / "conf.d").mkdir(parents=True)
    shutil.copy("/etc/nginx/mime.types", tmp)
    main = (NGINX / "nginx.conf").read_text().replace("/var/run/nginx.pid", str(tmp / "nginx.pid"))
    temp = "".join(f"\n    {kind}_temp_path {tmp}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    main = main.replace("http {", "http {" + temp, 1)  # not the packaged /var/lib/nginx: a non-root run works too
    (tmp / "nginx.conf").write_text(main)
    servers = (NGINX / "templates" / "conduit.conf.template").read_text()
    servers = servers.replace("${CONDUIT_BASE_DOMAIN}", "localhost").replace("/etc/nginx/certs/", f"{tmp}/certs/")
    servers = servers.replace("listen 80 ", f"listen 127.0.0.1:{http_port} ")
    servers = servers.replace("listen 443 ", f"listen 127.0.0.1:{https_port} ")
    (tmp / "conf.d" / "conduit.conf").write_text(servers)
    shutil.copytree(NGINX / "snippets", tmp / "snippets")
    for snippet in (tmp / "snippets").glob("*.conf"):
        text = snippet.read_text().replace("http://web:8000", f"http://127.0.0.1:{upstream_port}")
        snippet.write_text(text.replace("root /srv/frontend;", f"root {tmp}/frontend;").replace("root /srv;", f"root {tmp};"))
    self_signed(tmp / "certs", "localhost", "*.localhost")
    (tmp / "certs" / "localhost.crt").rename(tmp / "certs" / "tls.crt")
    (tmp / "certs" / "localhost.key").rename(tmp / "certs" / "tls.key")


@contextmanager
def running(tmp, ready):
    """nginx on the config `render` wrote to `tmp`, once `ready()` says it answers; stopped gracefully on exit."""
    log = open(tmp / "nginx.log", "w")
    nginx = subprocess.Popen(["nginx", "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-e", "stderr",
                              "-g", "daemon off;"], stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(100):
            if nginx.poll() is not None:
                raise AssertionError((tmp / "nginx.log").read_text())
            if ready():
                break
            time.sleep(0.1)
        yield nginx
    finally:
        nginx.send_signal(signal.SIGQUIT)
        nginx.wait(10)
