"""Deployment files: the mistakes that would only show once `docker compose up` runs on a server."""
import os
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
APP_URL_VARS = ["DATABASE_URL", "CONDUIT_TENANT_DATABASE_URL", "CONDUIT_EVENT_BUS", "CONDUIT_SEARCH_URL",
                "CONDUIT_STORAGE_URL", "REDIS_URL"]
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def interpolate(value, env=None):
    """Compose-style ${VAR}, ${VAR:-default}, ${VAR:?error}, nested, with `env` (default: nothing set); $$ is a $."""
    env, text, out, i = env or {}, str(value), [], 0
    while i < len(text):
        if text.startswith("$$", i):
            out.append("$")
            i += 2
        elif text.startswith("${", i):
            depth, j = 1, i + 2
            while depth:  # the closing brace, counting nested braces as compose does
                depth += {"{": 1, "}": -1}.get(text[j], 0)
                j += 1
            body = text[i + 2:j - 1]
            name = _NAME.match(body).group()
            rest = body[len(name):]
            if name in env:
                out.append(env[name])
            elif rest.startswith((":-", "-")):
                out.append(interpolate(rest.split("-", 1)[1], env))
            else:
                out.append(f"<{name}>")
            i = j
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


@pytest.fixture(scope="module")
def services(compose):
    return compose["services"]


def service_env(service):
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {name: interpolate(value) for name, value in env.items()}


def hosts_of(url):
    """The service names a connection URL points at (kafka lists several; S3 names its endpoint in the query)."""
    parts = urlsplit(url)
    if parts.scheme == "kafka":
        return [server.rsplit(":", 1)[0] for server in parts.netloc.split(",")]
    if parts.scheme == "s3":
        return [urlsplit(endpoint).hostname for endpoint in parse_qs(parts.query)["endpoint_url"]]
    return [parts.hostname]


def ready_before(services, name):
    """Services `name` waits for (transitively) to be healthy or to have completed, per depends_on conditions."""
    seen, todo = set(), [name]
    while todo:
        for dep, spec in (services[todo.pop()].get("depends_on") or {}).items():
            if spec.get("condition") in {"service_healthy", "service_completed_successfully"} and dep not in seen:
                seen.add(dep)
                todo.append(dep)
    return seen


def networks_of(service):
    networks = service.get("networks") or ["default"]
    return set(networks if isinstance(networks, list) else networks.keys())


def env_example_names():
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", (ROOT / ".env.example").read_text(), flags=re.M))


@pytest.mark.parametrize("app", ["web", "worker"])
@pytest.mark.parametrize("variable", APP_URL_VARS)
def test_every_service_the_app_points_at_exists_is_healthchecked_and_awaited(services, app, variable):
    env = service_env(services[app])
    assert variable in env, f"{app} does not set {variable}"
    for host in hosts_of(env[variable]):
        assert host in services, f"{variable}={env[variable]} points at {host!r}, which compose does not define"
        check = services[host].get("healthcheck")
        assert check and not check.get("disable") and check.get("test"), f"{host} has no healthcheck"
        assert host in ready_before(services, app), f"{app} does not wait for {host} to be healthy"
        assert networks_of(services[app]) & networks_of(services[host]), f"{app} cannot reach {host}"


def test_web_worker_and_migrate_run_one_image(services):
    images = {name: (services[name]["image"], services[name].get("build")) for name in ("web", "worker", "migrate")}
    assert len(set(map(repr, images.values()))) == 1, images
    assert services["web"]["command"] == ["web"] and services["worker"]["command"] == ["worker"]
    assert services["migrate"]["command"] == ["migrate"]
    assert ready_before(services, "web") >= {"migrate"} and ready_before(services, "worker") >= {"migrate"}


def test_entrypoint_roles_and_the_commands_they_run_exist():
    from django.core.management import get_commands

    entrypoint = (ROOT / "deploy" / "entrypoint.sh").read_text()
    for role in ("web", "worker", "migrate", "manage"):
        assert re.search(rf"^\s+{role}\)", entrypoint, flags=re.M), f"entrypoint has no `{role}` role"
    for command in re.findall(r"^[^#\n]*python manage\.py (\w+)", entrypoint, flags=re.M):
        assert command in get_commands(), f"entrypoint runs `manage.py {command}`, which does not exist"
    assert "deploy/gunicorn.conf.py" in entrypoint


def test_only_nginx_is_published_and_only_it_shares_a_network_with_web(compose, services):
    assert {name for name, service in services.items() if service.get("ports")} == {"nginx"}
    for network in networks_of(services["web"]) - networks_of(services["nginx"]):
        assert compose["networks"][network].get("internal") is True, f"{network} must be internal"
    for name, service in services.items():
        if name not in ("web", "nginx"):
            assert not networks_of(service) & networks_of(services["nginx"]), f"{name} could reach web unproxied"


def test_proxy_headers_are_trusted_from_the_edge_network_only(compose, services):
    env = service_env(services["web"])
    assert env["CONDUIT_BEHIND_PROXY"] == "true"
    (shared,) = networks_of(services["web"]) & networks_of(services["nginx"])
    subnet = interpolate(compose["networks"][shared]["ipam"]["config"][0]["subnet"])
    assert env["FORWARDED_ALLOW_IPS"] == subnet


def nginx_sizes(text):
    return [int(n) * _UNITS[u.lower()] for n, u in re.findall(r"client_max_body_size\s+(\d+)([kKmMgG]?);", text)]


def test_nginx_accepts_a_full_size_video_on_api_media_only(settings):
    limits = settings.CONDUIT["MEDIA_MAX_BYTES"]
    locations = (ROOT / "deploy" / "nginx" / "snippets" / "conduit-locations.conf").read_text()
    media = re.search(r"location /api/media \{(.*?)\}", locations, flags=re.S).group(1)
    (media_limit,) = nginx_sizes(media)
    assert media_limit >= max(limits.values()) + 1024**2, "leave room for the multipart envelope"
    (default_limit,) = nginx_sizes((ROOT / "deploy" / "nginx" / "nginx.conf").read_text())
    assert default_limit < min(limits["video"], media_limit)


def test_dockerfile_runtime_stage_runs_unprivileged_with_a_healthcheck():
    text = (ROOT / "Dockerfile").read_text()
    runtime = re.split(r"^FROM\s", text, flags=re.M)[-1]
    users = re.findall(r"^USER\s+(\S+)", runtime, flags=re.M)
    assert users and users[-1].split(":")[0] not in {"root", "0"}, f"runtime stage runs as {users}"
    assert re.search(r"^HEALTHCHECK .*/api/health", runtime, flags=re.M | re.S)
    assert "download.pytorch.org/whl/cpu" in text and "-r /tmp/requirements.txt" in text
    assert "collectstatic" in runtime


def test_every_env_example_variable_is_read_somewhere():
    sources = [ROOT / "compose.yaml", ROOT / "Dockerfile", *ROOT.glob("deploy/**/*.*")]
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if not d.startswith((".", "_")) and d not in {"tests", "var", "node_modules"}]
        sources += [Path(folder) / name for name in files if name.endswith(".py")]
    code = "\n".join(path.read_text(errors="replace") for path in sources if path.is_file())
    unread = sorted(name for name in env_example_names() if not re.search(rf"\b{name}\b", code))
    assert not unread, f".env.example lists variables nothing reads: {unread}"


def test_every_conduit_setting_is_in_env_example():
    read = set(re.findall(r"[\"'](CONDUIT_[A-Z0-9_]+)[\"']", (ROOT / "conduit" / "settings.py").read_text()))
    missing = sorted(read - env_example_names())
    assert not missing, f"conduit/settings.py reads variables .env.example does not list: {missing}"


def test_compose_secrets_are_required_not_defaulted(services):
    env = service_env(services["web"])
    for secret in ("SECRET_KEY", "CONDUIT_JWT_KEYS", "AWS_SECRET_ACCESS_KEY"):
        assert env[secret] == f"<{secret}>", f"{secret} must come from .env (${{{secret}:?…}}), not a default"


def test_interpolation_helper():
    assert interpolate("${A:-x${B:-y}}") == "xy"
    assert interpolate("${A:-x}", {"A": "set"}) == "set"
    assert interpolate("${S:?missing}/$$HOME") == "<S>/$HOME"
