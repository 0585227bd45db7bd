# Source this file (`source scripts/node22.sh`) to run the project on Node 22 where the system
# Node is older: it installs Node 22 and npm from the npm registry (the `node` package ships the
# official binary) into .tools/node, once, and puts them first on PATH for this shell.
# A machine whose `node` is already 22 or newer is left as it is.
_repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if [ "$_major" -lt 22 ]; then
  _tools="$_repo/.tools/node"
  if [ ! -x "$_tools/node_modules/.bin/node" ] || [ ! -x "$_tools/node_modules/.bin/npm" ]; then
    if ! command -v npm >/dev/null 2>&1; then
      echo "Node.js 22 is needed and no npm is here to fetch it: install Node 22 from https://nodejs.org" >&2
      return 1 2>/dev/null || exit 1
    fi
    echo "Node $(node -v 2>/dev/null || echo none) is older than 22: installing Node 22 into $_tools" >&2
    mkdir -p "$_tools"
    # --foreground-scripts: the node package's preinstall step is what fetches the binary.
    npm install --prefix "$_tools" --no-audit --no-fund --no-save --foreground-scripts \
      node@22 npm@11 >&2 || { echo "Installing Node 22 failed" >&2; return 1 2>/dev/null || exit 1; }
  fi
  export PATH="$_tools/node_modules/.bin:$PATH"
  hash -r
fi
unset _repo _major _tools
