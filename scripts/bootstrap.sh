# Sourced by scripts/test and scripts/quickstart: make this machine ready, idempotently.
#   - .venv with stackpacks (editable) and its dev tools, reinstalled when pyproject.toml changes
#   - PYTHON312: a Python 3.12 for generated backends (Django 6 needs it)
#   - Debian's chromium for the browser tests (only with BOOTSTRAP_BROWSER=1)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export NEXT_TELEMETRY_DISABLED=1

find_python312() {
    local candidate
    for candidate in python3.12 "$(pyenv root 2>/dev/null)"/versions/3.12*/bin/python3.12 \
        /usr/bin/python3.12 /usr/local/bin/python3.12; do
        if "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 12)' 2>/dev/null; then
            command -v "$candidate" || echo "$candidate"
            return 0
        fi
    done
    echo "error: Python 3.12 not found (generated backends need it); install python3.12" >&2
    return 1
}

ensure_venv() {
    local stamp="$ROOT/.venv/.stackpacks-installed"
    if [[ ! -x "$ROOT/.venv/bin/python" ]]; then
        python3 -m venv "$ROOT/.venv"
    fi
    if [[ ! -f "$stamp" || "$ROOT/pyproject.toml" -nt "$stamp" ]]; then
        "$ROOT/.venv/bin/pip" install --quiet --disable-pip-version-check -e "$ROOT[dev]"
        touch "$stamp"
    fi
}

ensure_chromium() {
    if [[ ! -x /usr/bin/chromium ]]; then
        echo "installing Debian's chromium for the browser tests..." >&2
        apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    fi
}

PYTHON312="$(find_python312)"
export PYTHON312
ensure_venv
if [[ "${BOOTSTRAP_BROWSER:-0}" == 1 ]]; then
    ensure_chromium
fi
