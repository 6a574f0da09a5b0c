#!/usr/bin/env bash
# Writes IAM's service last accessed report of every user and role of the account behind the current AWS
# credentials to OUT_DIR/iam, in the layout of docs/offline-bundle.md:
#   iam/service-last-accessed/ACCOUNT/user/USER_NAME.json   aws iam get-service-last-accessed-details --job-id ID
#   iam/service-last-accessed/ACCOUNT/role/ROLE_NAME.json   (the job of generate-service-last-accessed-details --arn ARN)
#
# Usage: collect-service-last-accessed.sh [OUT_DIR]        (default OUT_DIR: ./bundle)
#   REPORT_POLL_SECONDS (default 2) and REPORT_POLL_ATTEMPTS (default 30) bound the wait for each report.
# Needs: the AWS CLI v2, credentials of a principal with the policy in service-last-accessed-collector-policy.json.
# Reads no secret: service names and dates only. It makes two or more calls per user and role, one principal
# at a time, so a large account takes a while.
#
# NOTE: this script has not been run against AWS. It was checked by reading it against the AWS CLI
# reference, and run against a stub `aws` command that prints canned output.
set -euo pipefail

out_dir="${1:-./bundle}"
poll_seconds="${REPORT_POLL_SECONDS:-2}"
poll_attempts="${REPORT_POLL_ATTEMPTS:-30}"

account="$(aws sts get-caller-identity --query Account --output text)"
mkdir -p "$out_dir/iam/service-last-accessed/$account/user" "$out_dir/iam/service-last-accessed/$account/role"
written=0
failures=0

report() {
  local kind="$1" name="$2" arn="$3"
  local job file status attempt
  job="$(aws iam generate-service-last-accessed-details --arn "$arn" --query JobId --output text)"
  file="$out_dir/iam/service-last-accessed/$account/$kind/$name.json"
  for ((attempt = 1; attempt <= poll_attempts; attempt++)); do
    aws iam get-service-last-accessed-details --job-id "$job" --output json > "$file.partial"
    status="$(grep -o '"JobStatus": *"[A-Z_]*"' "$file.partial" | sed 's/.*"\([A-Z_]*\)"$/\1/')"
    if [[ "$status" == "COMPLETED" ]]; then
      mv "$file.partial" "$file"
      written=$((written + 1))
      return
    fi
    if [[ "$status" == "FAILED" ]]; then
      break
    fi
    sleep "$poll_seconds"
  done
  rm -f "$file.partial"
  echo "No service last accessed report for $arn (job $job, status ${status:-unknown}); skipped." >&2
  failures=$((failures + 1))
}

# The CLI follows the pagination of list-users and list-roles itself. Names and ARNs come as tab-separated pairs.
while read -r name arn; do
  [[ -n "${arn:-}" ]] && report user "$name" "$arn"
done < <(aws iam list-users --query 'Users[].[UserName, Arn]' --output text)
while read -r name arn; do
  [[ -n "${arn:-}" ]] && report role "$name" "$arn"
done < <(aws iam list-roles --query 'Roles[].[RoleName, Arn]' --output text)

echo "Wrote $written service last accessed report(s) under $out_dir/iam/service-last-accessed/$account;" \
  "$failures principal(s) without one (account $account)"
