#!/usr/bin/env bash
# Writes the IAM authorization details of the account behind the current AWS credentials to
# OUT_DIR/authorization-details-ACCOUNT.json, the input of `nhigraph load` and `nhigraph scan`.
#
# Usage: collect-authorization-details.sh [OUT_DIR]        (default OUT_DIR: ./exports)
# Needs: the AWS CLI v2, credentials of a principal with the policy in collector-policy.json.
# Reads no secret: the export contains names, ARNs, policies and dates, never passwords or key secrets.
set -euo pipefail

out_dir="${1:-./exports}"
mkdir -p "$out_dir"

account="$(aws sts get-caller-identity --query Account --output text)"
file="$out_dir/authorization-details-$account.json"

# The CLI follows the pagination itself and prints one document; without --max-items it is complete.
aws iam get-account-authorization-details --output json > "$file.partial"
mv "$file.partial" "$file"
echo "Wrote $file (account $account)"
