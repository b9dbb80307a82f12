#!/usr/bin/env bash
# Release Conduit on a Docker host from a checkout of the repository (run by .github/workflows/deploy.yml via SSH).
#   deploy/release.sh deploy <git sha>   build conduit:<sha>, restart the stack, wait for /api/health through nginx;
#                                        on failure roll back to conduit:previous and exit 1
#   deploy/release.sh rollback           run conduit:previous again
#   deploy/release.sh status             the running image tags and the health answer
# Tags: conduit:<sha12> for every build, conduit:current for what runs, conduit:previous for what ran before.
# Migrations run forward before the new code starts, so they must stay compatible with the previous release
# (add columns and tables first, drop them in a later release) for a rollback to be safe.
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE="${CONDUIT_IMAGE:-conduit}"
HEALTH_TIMEOUT="${CONDUIT_HEALTH_TIMEOUT:-240}"
HEALTH_INTERVAL="${CONDUIT_HEALTH_INTERVAL:-5}"
APP_SERVICES=(migrate web worker)

log() { printf '%s release: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }

health() {
    # Through nginx, as a client reaches it: the control host's /api/health, certificate not checked (may be self-signed).
    local domain port
    domain="$(docker compose exec -T web printenv CONDUIT_BASE_DOMAIN 2>/dev/null || echo localhost)"
    port="$(docker compose port nginx 443 2>/dev/null | awk -F: '{print $NF}')"
    curl -fsS --max-time 5 -k --resolve "${domain}:${port:-443}:127.0.0.1" "https://${domain}:${port:-443}/api/health"
}

wait_healthy() {
    local deadline=$((SECONDS + HEALTH_TIMEOUT))
    while [ "$SECONDS" -lt "$deadline" ]; do
        if health >/dev/null 2>&1; then
            return 0
        fi
        sleep "$HEALTH_INTERVAL"
    done
    return 1
}

start() {
    # A new tag changes the app services' configuration, so compose recreates them: migrate runs to completion
    # first (depends_on), then web and worker; nginx keeps serving and re-resolves `web` within 10 s.
    CONDUIT_TAG="$1" docker compose up -d --no-build --remove-orphans
}

deploy() {
    local sha="$1"
    [[ "$sha" =~ ^[0-9a-f]{40}$ ]] || { log "expected a 40-hex git sha, got '$sha'"; exit 2; }
    local tag="${sha:0:12}"
    [ "$(git rev-parse HEAD)" = "$sha" ] || { log "checkout is $(git rev-parse HEAD), not $sha"; exit 2; }

    log "building $IMAGE:$tag"
    CONDUIT_TAG="$tag" docker compose build --pull web
    if docker image inspect "$IMAGE:current" >/dev/null 2>&1; then
        docker tag "$IMAGE:current" "$IMAGE:previous"
    fi

    log "starting $IMAGE:$tag (migrations first)"
    if start "$tag" && wait_healthy; then
        docker tag "$IMAGE:$tag" "$IMAGE:current"
        log "healthy: $IMAGE:$tag is current"
        return 0
    fi

    log "$IMAGE:$tag did not become healthy within ${HEALTH_TIMEOUT}s"
    docker compose logs --no-color --tail 80 "${APP_SERVICES[@]}" >&2 || true
    rollback
    exit 1
}

rollback() {
    if ! docker image inspect "$IMAGE:previous" >/dev/null 2>&1; then
        log "no $IMAGE:previous image to roll back to"
        exit 1
    fi
    log "rolling back to $IMAGE:previous"
    docker tag "$IMAGE:previous" "$IMAGE:current"
    CONDUIT_TAG=previous docker compose up -d --no-build --no-deps --force-recreate web worker
    if wait_healthy; then
        log "rolled back: $IMAGE:previous is healthy"
    else
        log "rollback is not healthy either: manual intervention needed"
        exit 1
    fi
}

status() {
    echo "### Conduit release"
    echo
    echo '```'
    docker compose ps --format 'table {{.Service}}\t{{.Image}}\t{{.Status}}'
    echo
    health || echo "health: unreachable"
    echo '```'
}

case "${1:-}" in
    deploy) deploy "${2:?usage: release.sh deploy <git sha>}" ;;
    rollback) rollback ;;
    status) status ;;
    *) echo "usage: $0 deploy <git sha> | rollback | status" >&2; exit 2 ;;
esac
