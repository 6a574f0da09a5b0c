#!/usr/bin/env bash
# Writes what runs as an IAM role in the account behind the current AWS credentials to OUT_DIR/compute, in
# the layout of docs/offline-bundle.md:
#   compute/ec2/ACCOUNT/REGION/instances.json             aws ec2 describe-instances
#   compute/lambda/ACCOUNT/REGION/functions.json          aws lambda list-functions
#   compute/ecs/ACCOUNT/REGION/FAMILY_REVISION.json       aws ecs describe-task-definition, per active revision
#
# Usage: collect-compute.sh [OUT_DIR] [REGION...]
#   OUT_DIR defaults to ./bundle. REGIONs default to the CLI's configured region (`aws configure get region`).
# Needs: bash 4.4 or later, the AWS CLI v2, credentials of a principal with the policy in
# compute-collector-policy.json.
# Keeps no secret: Lambda environment variables and ECS container definitions can hold secrets, so --query
# keeps only the names, ARNs and roles of functions and task definitions. describe-instances output has no
# user data.
#
# NOTE: this script has not been run against AWS. It was checked by reading it against the AWS CLI
# reference, and run against a stub `aws` command that prints canned output.
set -euo pipefail

out_dir="${1:-./bundle}"
shift || true
source "$(dirname "${BASH_SOURCE[0]}")/regions.sh"
set_regions "$out_dir" "$@"

account="$(aws sts get-caller-identity --query Account --output text)"
base="$out_dir/compute"
written=0
failures=0

# save FILE COMMAND...: runs an AWS CLI command and moves its JSON output into FILE when it succeeds. A failure,
# such as a missing permission or a disabled region, is reported and counted, and the script goes on.
save() {
  local file="$1"
  shift
  mkdir -p "$(dirname "$file")"
  if "$@" --output json > "$file.partial"; then
    mv "$file.partial" "$file"
    written=$((written + 1))
  else
    echo "Failed: $*" >&2
    rm -f "$file.partial"
    failures=$((failures + 1))
  fi
}

functions_query='{Functions: Functions[].{FunctionName: FunctionName, FunctionArn: FunctionArn, Role: Role, Runtime: Runtime, LastModified: LastModified}}'
task_query='{taskDefinition: taskDefinition.{taskDefinitionArn: taskDefinitionArn, family: family, revision: revision, taskRoleArn: taskRoleArn, executionRoleArn: executionRoleArn}}'

for region in "${regions[@]}"; do
  save "$base/ec2/$account/$region/instances.json" aws ec2 describe-instances --region "$region"
  save "$base/lambda/$account/$region/functions.json" aws lambda list-functions --region "$region" --query "$functions_query"

  if ! arns="$(aws ecs list-task-definitions --region "$region" --status ACTIVE --query 'taskDefinitionArns[]' --output text)"; then
    echo "Failed: aws ecs list-task-definitions --region $region" >&2
    failures=$((failures + 1))
    continue
  fi
  for arn in $arns; do
    if [[ "$arn" == "None" ]]; then
      continue
    fi
    # FAMILY:REVISION becomes FAMILY_REVISION, since the content names the task definition.
    name="${arn##*/}"
    save "$base/ecs/$account/$region/${name//:/_}.json" \
      aws ecs describe-task-definition --region "$region" --task-definition "$arn" --query "$task_query"
  done
done

echo "Wrote $written compute files of account $account to $base; $failures commands failed"
if ((failures > 0)); then
  exit 1
fi
