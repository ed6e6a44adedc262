#!/usr/bin/env bash
# GitLab server hook: reject pushes that add secrets.
#
# Install as <repository>.git/custom_hooks/pre-receive, or in the server-wide directory
# `gitaly['configuration'] = { hooks: { custom_hooks_dir: ... } }` as pre-receive.d/git-secrets.
# GitLab sets GL_ID/GL_PROJECT_PATH, so git-secrets prefixes its messages with GL-HOOK-ERR:
# and GitLab shows them to the pusher (in the terminal and in the web editor).
#
# Policy lives in the repository's (or the system's) git config:
#   git config secrets.registries aws            # packs or registry files to enforce
#   git config secrets.preReceiveBudget 4        # seconds (GitLab's own hook timeout is longer)
#   git config secrets.preReceiveOverBudget refuse   # or accept (audited)
#   git config secrets.preReceiveOversize refuse     # or accept (audited): files over secrets.maxFileSize
#   git config secrets.allowBypass true          # let `git push -o secrets.bypass` through, audited
#   git config secrets.auditLog /var/log/gitlab/git-secrets-audit.log
set -u
gs="${GIT_SECRETS_BIN:-git-secrets}"
if ! command -v "$gs" >/dev/null 2>&1; then
  echo "GL-HOOK-ERR: git-secrets is not installed on this server, so the push is refused; ask an administrator." >&2
  exit 1
fi
exec "$gs" --pre_receive_hook -- "$@"
