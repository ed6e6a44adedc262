#!/usr/bin/env bash
# Build git-secrets from source and install it where `git secrets` finds it.
#
#   ./install.sh                      # installs to /usr/local (root) or ~/.local: bin/git-secrets,
#                                     # the man page (git secrets --help) and bash/zsh completions
#   PREFIX=/opt/gs ./install.sh       # installs to /opt/gs/bin, /opt/gs/share/...
#   ./install.sh --template           # also: hooks in a template dir used by every `git init`/`git clone`
#   ./install.sh --hooks-path [DIR]   # also: hooks in DIR (default ~/.git-secrets-hooks) set as the
#                                     # global core.hooksPath, so every repository runs them
#   --no-register                     # with --template/--hooks-path: do not enable the aws pack globally
#   --binary FILE                     # install this prebuilt binary instead of building one
#
# git runs `git secrets` by finding `git-secrets` on PATH, so the bin directory must be on it.
set -euo pipefail
cd "$(dirname "$0")"
mode="" hooks_dir="" register=yes binary=""
while [ $# -gt 0 ]; do
  case "$1" in
    --template) mode=template ;;
    --hooks-path) mode=hooks-path; if [ $# -gt 1 ] && [ "${2#-}" = "$2" ]; then hooks_dir="$2"; shift; fi ;;
    --no-register) register=no ;;
    --binary)
      [ $# -gt 1 ] || { echo "install.sh: --binary needs a file" >&2; exit 2; }
      binary="$2"; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ -z "${PREFIX:-}" ]; then
  if [ -w /usr/local/bin ]; then PREFIX=/usr/local; else PREFIX="$HOME/.local"; fi
fi
if [ -z "$binary" ]; then
  # The binary is where cargo says it put it: CARGO_TARGET_DIR, a configured build.target-dir
  # or CARGO_BUILD_TARGET move it out of target/release.
  binary=$(cargo build --release --locked --quiet --message-format=json-render-diagnostics \
    | sed -n 's/.*"executable":"\([^"]*\/git-secrets\)".*/\1/p' | tail -n 1)
  [ -n "$binary" ] || { echo "install.sh: cargo build reported no git-secrets binary" >&2; exit 1; }
fi
if [ ! -f "$binary" ]; then
  echo "install.sh: $binary does not exist" >&2
  exit 1
fi
if ! "$binary" --version >/dev/null 2>&1; then
  echo "install.sh: $binary is not a git-secrets-rs binary ('--version' fails)" >&2
  exit 1
fi
mkdir -p "$PREFIX/bin" "$PREFIX/share/man/man1" "$PREFIX/share/bash-completion/completions" \
  "$PREFIX/share/zsh/site-functions"
install -m 0755 "$binary" "$PREFIX/bin/git-secrets"
install -m 0644 docs/man/git-secrets.1 "$PREFIX/share/man/man1/git-secrets.1"
install -m 0644 completions/git-secrets.bash "$PREFIX/share/bash-completion/completions/git-secrets"
install -m 0644 completions/_git-secrets "$PREFIX/share/zsh/site-functions/_git-secrets"
gs="$PREFIX/bin/git-secrets"
echo "Installed $("$gs" --version | head -n 1) to $gs" >&2
echo "  manual: $PREFIX/share/man/man1/git-secrets.1 (git secrets --help, man git-secrets)" >&2
echo "  completions: $PREFIX/share/bash-completion/completions/git-secrets (bash), $PREFIX/share/zsh/site-functions/_git-secrets (zsh)" >&2
case ":$PATH:" in
  *":$PREFIX/bin:"*) ;;
  *) echo "Note: $PREFIX/bin is not on PATH; add it so that 'git secrets' works: export PATH=\"$PREFIX/bin:\$PATH\"" >&2 ;;
esac
# Another git-secrets earlier on PATH (upstream's /usr/bin/git-secrets, an older copy) would
# keep running instead of this one, and upstream reads our options as its own abbreviations.
found=$(command -v git-secrets 2>/dev/null || true)
if [ -n "$found" ] && ! [ "$found" -ef "$gs" ]; then
  echo "Warning: 'git secrets' runs $found, not $gs." >&2
  echo "  Put $PREFIX/bin first on PATH (export PATH=\"$PREFIX/bin:\$PATH\"), or remove $found;" >&2
  echo "  'git secrets --version' prints git-secrets-rs when the right one runs (upstream has no --version)." >&2
fi
case "$mode" in
  template)
    dir="$HOME/.git-templates/git-secrets"
    "$gs" --install -f "$dir" >/dev/null
    git config --global init.templateDir "$dir"
    echo "Set init.templateDir=$dir (global): new clones and 'git init' get the hooks." >&2 ;;
  hooks-path)
    dir="${hooks_dir:-$HOME/.git-secrets-hooks}"
    mkdir -p "$dir"
    for hook in commit-msg pre-commit prepare-commit-msg pre-push; do
      install -m 0755 "hooks/$hook" "$dir/$hook"
    done
    git config --global core.hooksPath "$dir"
    echo "Set core.hooksPath=$dir (global): every repository runs these hooks." >&2 ;;
esac
if [ -z "$mode" ]; then
  # No hooks were set up: say what protects a repository, so nobody believes they are covered.
  echo "Next: git secrets --register aws --global (what to look for), then git secrets --install in each" >&2
  echo "  repository, or ./install.sh --template / --hooks-path for every repository." >&2
fi
if [ -n "$mode" ]; then
  # Hooks everywhere but nothing to look for would be a silent pass: enable the aws pack.
  if [ "$register" = yes ]; then
    "$gs" --register aws --global 2>/dev/null || { echo "install.sh: could not register the aws pack" >&2; exit 1; }
    echo "Set secrets.registries=aws (global): the hooks look for AWS credentials (--no-register skips this;" >&2
    echo "  more packs: git secrets --register common --global)." >&2
  elif [ -z "$(git config --global --get-all secrets.registries || true)$(git config --global --get-all secrets.patterns || true)" ]; then
    echo "Warning: no pattern or registry is configured globally, so the hooks find nothing until you run" >&2
    echo "  git secrets --register aws --global   (or --register-aws per repository)" >&2
  fi
fi
