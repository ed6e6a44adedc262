#!/usr/bin/env bash
# One shard of an organisation audit, as the Kubernetes Job/CronJob and the CodeBuild batch
# build run it: scan this shard's repositories, then import their ASFF reports into Security
# Hub. Safe to run again after a kill: the checkpoints skip finished repositories, their
# reports are still in the run's report directory, and finding Ids are stable, so importing
# them again updates the same findings.
#
# Environment:
#   GITSECRETS_MANIFEST   the manifest file (default /etc/git-secrets/manifest.txt)
#   GITSECRETS_SHARDS     the number of shards; the index comes from JOB_COMPLETION_INDEX
#                         (Kubernetes), AWS_BATCH_JOB_ARRAY_INDEX, or GITSECRETS_SHARD
#   GITSECRETS_DATA       the persistent directory: cache/, checkpoints/, reports/<run>/
#   GITSECRETS_RUN        the run's name (the Job's name): a retried shard finds its reports
#   GITSECRETS_PACKS      built-in rule packs to enable (default "aws common")
#   GITSECRETS_IMPORT     "false" to skip the Security Hub import
#   AWS_REGION            the region of Security Hub (account: --aws-account-id or the role's)
set -uo pipefail
manifest="${GITSECRETS_MANIFEST:-/etc/git-secrets/manifest.txt}"
data="${GITSECRETS_DATA:-/data}"
run="${GITSECRETS_RUN:-manual}"
shards="${GITSECRETS_SHARDS:?set GITSECRETS_SHARDS}"
index="${JOB_COMPLETION_INDEX:-${AWS_BATCH_JOB_ARRAY_INDEX:-${GITSECRETS_SHARD:-}}}"
[ -n "$index" ] || { echo "git-secrets: no shard index (JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX or GITSECRETS_SHARD)" >&2; exit 2; }
out="$data/reports/$run/shard-$index"
mkdir -p "$out" "$data/cache" "$data/checkpoints" || exit 2

for pack in ${GITSECRETS_PACKS:-aws common}; do
  if ! git config --global --get-all secrets.registries 2>/dev/null | grep -qxF "$pack"; then
    git secrets --register "$pack" --global >/dev/null || exit 2
  fi
done

account="${GITSECRETS_AWS_ACCOUNT_ID:-}"
if [ -z "$account" ] && [ -z "${CODEBUILD_BUILD_ARN:-}" ]; then
  account="$(aws sts get-caller-identity --query Account --output text)" || exit 3
fi
git secrets --scan-repos "$manifest" --shard "$index/$shards" \
  --cache-dir "$data/cache" --checkpoint "$data/checkpoints" --output "$out" \
  --format asff ${account:+--aws-account-id "$account"} > "$out/summary.stdout"
status=$?
# 0 nothing new, 1 new findings, 4 some repositories failed, 5 both: the audit ran, its
# results are in the reports and the summary. Anything else: it could not run.
case "$status" in
  0|1|4|5) ;;
  *) echo "git-secrets: the audit could not run (exit status $status)" >&2; exit "$status" ;;
esac

if [ "${GITSECRETS_IMPORT:-true}" = true ]; then
  batch=0
  for report in "$out"/*.asff.jsonl; do
    [ -s "$report" ] || continue
    while IFS= read -r line || [ -n "$line" ]; do
      [ -n "$line" ] || continue
      batch=$((batch + 1))
      printf '%s\n' "$line" > "$out/.batch.json"
      response=$(aws securityhub batch-import-findings --findings "file://$out/.batch.json" --output json) || exit 3
      failed=$(printf '%s' "$response" | sed -n 's/.*"FailedCount": *\([0-9][0-9]*\).*/\1/p' | head -n 1)
      if [ "$failed" != 0 ]; then
        echo "git-secrets: Security Hub rejected findings of $report:" >&2
        printf '%s\n' "$response" >&2
        exit 3
      fi
    done < "$report"
  done
  rm -f "$out/.batch.json"
  echo "git-secrets: shard $index/$shards: $batch batch(es) imported into Security Hub"
fi
if [ "$status" -ge 4 ]; then
  echo "git-secrets: some repositories could not be audited; see $out/summary-$index-of-$shards.json" >&2
fi
exit 0
