#!/usr/bin/env bash
# Build git-secrets from source and install it where `git secrets` finds it.
#
#   ./install.sh                 # installs to /usr/local/bin (root) or ~/.local/bin
#   PREFIX=/opt/gs ./install.sh  # installs to /opt/gs/bin
#
# git runs `git secrets` by finding `git-secrets` on PATH, so the bin directory must be on it.
set -euo pipefail
cd "$(dirname "$0")"
if [ -z "${PREFIX:-}" ]; then
  if [ -w /usr/local/bin ]; then PREFIX=/usr/local; else PREFIX="$HOME/.local"; fi
fi
cargo build --release --locked --quiet
mkdir -p "$PREFIX/bin"
install -m 0755 target/release/git-secrets "$PREFIX/bin/git-secrets"
echo "Installed git-secrets to $PREFIX/bin/git-secrets" >&2
case ":$PATH:" in
  *":$PREFIX/bin:"*) ;;
  *) echo "Note: $PREFIX/bin is not on PATH; add it so that 'git secrets' works." >&2 ;;
esac
