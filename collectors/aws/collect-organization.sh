#!/usr/bin/env bash
# Writes the AWS Organizations part of an offline bundle to OUT_DIR/organizations, in the layout of
# docs/offline-bundle.md: the organization, its roots, OUs and accounts, and every SCP and RCP with its
# document and targets.
#
# Usage: collect-organization.sh [OUT_DIR]        (default OUT_DIR: ./bundle)
# Needs: bash 4.4 or later, the AWS CLI v2, and credentials in the management account or in a delegated administrator
# account with the policy in organization-collector-policy.json.
# Reads no secret: the output contains ids, names, account e-mail addresses and policy documents.
#
# NOTE: this script has not been run against AWS. It was checked by reading it against the AWS CLI
# reference, and run against a stub `aws` command that prints canned output.
# Each command runs with the CLI's default pagination, so every list is complete.
set -euo pipefail

out_dir="${1:-./bundle}"
org_dir="$out_dir/organizations"
mkdir -p "$org_dir/children" "$org_dir/policies"

# save FILE COMMAND...: runs an AWS CLI command and moves its JSON output into FILE only when it succeeds,
# so a failed run leaves no half-written .json file for nhigraph to read.
save() {
  local file="$1"
  shift
  if ! "$@" --output json > "$file.partial"; then
    rm -f "$file.partial"
    return 1
  fi
  mv "$file.partial" "$file"
}

save "$org_dir/organization.json" aws organizations describe-organization
save "$org_dir/roots.json" aws organizations list-roots
save "$org_dir/accounts.json" aws organizations list-accounts

# Walk the tree from the roots. list-organizational-units-for-parent and list-accounts-for-parent do not
# name the parent in their output, so each is saved in a folder named after the parent id.
read -r -a parents <<< "$(aws organizations list-roots --query 'Roots[].Id' --output text | tr '\n' ' ')"
units=0
while ((${#parents[@]} > 0)); do
  parent="${parents[0]}"
  parents=("${parents[@]:1}")
  mkdir -p "$org_dir/children/$parent"
  save "$org_dir/children/$parent/ous.json" \
    aws organizations list-organizational-units-for-parent --parent-id "$parent"
  save "$org_dir/children/$parent/accounts.json" \
    aws organizations list-accounts-for-parent --parent-id "$parent"
  read -r -a children <<< "$(aws organizations list-organizational-units-for-parent --parent-id "$parent" \
    --query 'OrganizationalUnits[].Id' --output text | tr '\n' ' ')"
  parents+=("${children[@]}")
  units=$((units + 1))
done

# list-targets-for-policy does not name the policy in its output, so each policy gets a folder named
# after its id.
policies=0
for filter in SERVICE_CONTROL_POLICY RESOURCE_CONTROL_POLICY; do
  list="$org_dir/policies/$(echo "$filter" | tr 'A-Z_' 'a-z-')-list.json"
  if ! save "$list" aws organizations list-policies --filter "$filter"; then
    echo "Warning: failed to list policies of type $filter (the AWS CLI error is above), so the bundle has" \
      "none of them" >&2
    continue
  fi
  read -r -a ids <<< "$(aws organizations list-policies --filter "$filter" --query 'Policies[].Id' --output text | tr '\n' ' ')"
  for id in "${ids[@]}"; do
    mkdir -p "$org_dir/policies/$id"
    save "$org_dir/policies/$id/policy.json" aws organizations describe-policy --policy-id "$id"
    save "$org_dir/policies/$id/targets.json" aws organizations list-targets-for-policy --policy-id "$id"
    policies=$((policies + 1))
  done
done

echo "Wrote $org_dir: $units roots and OUs, $policies SCPs and RCPs"
