#!/usr/bin/env bash
# Build git-secrets from source and install it where `git secrets` finds it.
#
#   ./install.sh                      # installs to /usr/local/bin (root) or ~/.local/bin
#   PREFIX=/opt/gs ./install.sh       # installs to /opt/gs/bin
#   ./install.sh --template           # also: hooks in a template dir used by every `git init`/`git clone`
#   ./install.sh --hooks-path [DIR]   # also: hooks in DIR (default ~/.git-secrets-hooks) set as the
#                                     # global core.hooksPath, so every repository runs them
#
# git runs `git secrets` by finding `git-secrets` on PATH, so the bin directory must be on it.
set -euo pipefail
cd "$(dirname "$0")"
mode="" hooks_dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --template) mode=template ;;
    --hooks-path) mode=hooks-path; if [ $# -gt 1 ] && [ "${2#-}" = "$2" ]; then hooks_dir="$2"; shift; fi ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
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
gs="$PREFIX/bin/git-secrets"
case "$mode" in
  template)
    dir="$HOME/.git-templates/git-secrets"
    "$gs" --install -f "$dir" >/dev/null
    git config --global init.templateDir "$dir"
    echo "New clones and 'git init' get the hooks from $dir (init.templateDir)." >&2 ;;
  hooks-path)
    dir="${hooks_dir:-$HOME/.git-secrets-hooks}"
    mkdir -p "$dir"
    for hook in commit-msg pre-commit prepare-commit-msg pre-push; do
      install -m 0755 "hooks/$hook" "$dir/$hook"
    done
    git config --global core.hooksPath "$dir"
    echo "Every repository now runs the hooks in $dir (core.hooksPath)." >&2 ;;
esac
