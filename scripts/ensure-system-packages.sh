#!/usr/bin/env bash
# Make sure the Debian packages the test suite needs are installed: chromium (browser tests
# through Playwright), redis-server, poppler-utils (PDF text in report tests), and PostgreSQL's server binaries (normally already on
# these machines, in /usr/lib/postgresql/15/bin); with the argument `bench`, also wrk, the
# load generator of `make bench`. As root, missing ones are installed with apt-get;
# otherwise the command to run is printed and the script fails.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
# pdftotext reads the text back out of the exported PDF reports in their tests.
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
# npm installs axe-core, the accessibility engine of the browser tests (scripts/ensure-axe.sh).
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [[ "${1:-}" == bench ]]; then
    command -v wrk >/dev/null 2>&1 || missing+=(wrk)
fi
pg_missing=0
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || pg_missing=1

if [[ ${#missing[@]} -eq 0 && $pg_missing -eq 0 ]]; then
    exit 0
fi

if [[ "$(id -u)" -ne 0 ]]; then
    [[ ${#missing[@]} -gt 0 ]] && echo "sudo apt-get install ${missing[*]}"
    [[ $pg_missing -eq 1 ]] && echo "sudo apt-get install postgresql"
    exit 1
fi

packages=()
[[ ${#missing[@]} -gt 0 ]] && packages+=("${missing[@]}")
[[ $pg_missing -eq 1 ]] && packages+=(postgresql)

# Another apt-get may be running (a machine's first boot, a colleague's install): wait for
# its lock instead of failing. Any other error fails at once.
apt_retry() {
    local attempt out
    for attempt in $(seq 1 60); do
        if out="$("$@" 2>&1)"; then
            [[ -n "$out" ]] && echo "$out" >&2
            return 0
        fi
        if grep -qiE 'lock|resource temporarily unavailable' <<<"$out"; then
            echo "apt is busy (another install holds its lock); retrying in 10 s ($attempt/60)" >&2
            sleep 10
            continue
        fi
        echo "$out" >&2
        return 1
    done
    echo "apt stayed locked for 10 minutes; giving up" >&2
    return 1
}

echo "Installing Debian packages: ${packages[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt_retry apt-get update -qq
apt_retry apt-get install -y -qq -o DPkg::Lock::Timeout=60 "${packages[@]}"
