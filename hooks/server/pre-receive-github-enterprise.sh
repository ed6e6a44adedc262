#!/usr/bin/env bash
# GitHub Enterprise Server pre-receive hook: reject pushes that add secrets.
#
# GitHub Enterprise runs pre-receive hooks inside a "pre-receive hook environment" (a chroot
# you upload as a tarball) with a fixed, cumulative 5 s limit for all hooks of a push. Build
# the environment with the static git-secrets binary at /usr/local/bin/git-secrets (build it
# with `cargo build --release --target x86_64-unknown-linux-musl` or copy the release build
# into a Debian-based environment), add this script to a hook repository, and enable it for
# the organisation or repository in the site admin.
#
# git-secrets reads the pushed objects from git's quarantine and stops at its budget
# (default 4 s, below GitHub's 5 s): by default it then refuses the push. Configure with git
# config in the environment (for example /etc/gitconfig inside the chroot):
#   secrets.registries = aws                 # packs or registry files to enforce
#   secrets.preReceiveBudget = 4
#   secrets.preReceiveOverBudget = refuse    # or accept (audited)
#   secrets.preReceiveOversize = refuse      # or accept (audited): files over secrets.maxFileSize
#   secrets.allowBypass = true               # allow `git push -o secrets.bypass`, audited
#   secrets.auditLog = /tmp/git-secrets-audit.log
set -u
gs=/usr/local/bin/git-secrets
[ -x "$gs" ] || gs=git-secrets
if ! command -v "$gs" >/dev/null 2>&1; then
  echo "git-secrets is missing from the pre-receive hook environment, so the push is refused." >&2
  exit 1
fi
exec "$gs" --pre_receive_hook -- "$@"
