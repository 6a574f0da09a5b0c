#!/usr/bin/env bash
# Writes the IAM credential report and the access keys of every IAM user of the account behind the current
# AWS credentials to OUT_DIR/iam, in the layout of docs/offline-bundle.md:
#   iam/credential-report-ACCOUNT.json               aws iam get-credential-report
#   iam/access-keys/ACCOUNT/USER_NAME.json           aws iam list-access-keys --user-name USER_NAME
#   iam/access-key-last-used/ACCOUNT/KEY_ID.json     aws iam get-access-key-last-used --access-key-id KEY_ID
#
# Usage: collect-credentials.sh [OUT_DIR]        (default OUT_DIR: ./bundle)
#   REPORT_POLL_SECONDS (default 2) and REPORT_POLL_ATTEMPTS (default 60) bound the wait for IAM to generate
#   the credential report.
# Needs: bash 4.4 or later, the AWS CLI v2, credentials of a principal with the policy in
# credentials-collector-policy.json.
# Reads no secret: the report and the key listings carry key ids, status and dates, never a secret access key
# or a password.
#
# NOTE: this script has not been run against AWS. It was checked by reading it against the AWS CLI
# reference, and run against a stub `aws` command that prints canned output.
set -euo pipefail

out_dir="${1:-./bundle}"
poll_seconds="${REPORT_POLL_SECONDS:-2}"
poll_attempts="${REPORT_POLL_ATTEMPTS:-60}"

account="$(aws sts get-caller-identity --query Account --output text)"
mkdir -p "$out_dir/iam/access-keys/$account" "$out_dir/iam/access-key-last-used/$account"
failures=0

# IAM generates the report asynchronously; generate-credential-report returns STARTED, INPROGRESS or COMPLETE.
state=""
for ((attempt = 1; attempt <= poll_attempts; attempt++)); do
  state="$(aws iam generate-credential-report --query State --output text)"
  if [[ "$state" == "COMPLETE" ]]; then
    break
  fi
  sleep "$poll_seconds"
done
if [[ "$state" != "COMPLETE" ]]; then
  echo "The credential report was not ready after $poll_attempts attempts $poll_seconds s apart (state $state);" \
    "run the script again later, or raise REPORT_POLL_ATTEMPTS." >&2
  exit 1
fi
report="$out_dir/iam/credential-report-$account.json"
aws iam get-credential-report --output json > "$report.partial"
mv "$report.partial" "$report"

# The CLI follows the pagination of list-users itself.
read -r -a users <<< "$(aws iam list-users --query 'Users[].UserName' --output text | tr '\n' ' ')"
if [[ "${users[*]:-}" == "None" ]]; then
  users=()
fi

keys_written=0
for user in "${users[@]}"; do
  listing="$out_dir/iam/access-keys/$account/$user.json"
  if ! aws iam list-access-keys --user-name "$user" --output json > "$listing.partial"; then
    echo "Failed: aws iam list-access-keys --user-name $user" >&2
    rm -f "$listing.partial"
    failures=$((failures + 1))
    continue
  fi
  mv "$listing.partial" "$listing"
  # Key ids are upper-case letters and digits, so a plain pattern finds them without a JSON tool.
  for key in $(grep -o '"AccessKeyId": *"[A-Z0-9]*"' "$listing" | sed 's/.*"\([A-Z0-9]*\)"$/\1/'); do
    used="$out_dir/iam/access-key-last-used/$account/$key.json"
    if aws iam get-access-key-last-used --access-key-id "$key" --output json > "$used.partial"; then
      mv "$used.partial" "$used"
      keys_written=$((keys_written + 1))
    else
      echo "Failed: aws iam get-access-key-last-used --access-key-id $key" >&2
      rm -f "$used.partial"
      failures=$((failures + 1))
    fi
  done
done

echo "Wrote the credential report, the key listings of ${#users[@]} users and the last use of $keys_written keys" \
  "of account $account to $out_dir/iam; $failures commands failed"
if ((failures > 0)); then
  exit 1
fi
