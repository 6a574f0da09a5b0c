#!/usr/bin/env bash
# Writes the resource-based policies of the account behind the current AWS credentials to
# OUT_DIR/resource-policies, in the layout of docs/offline-bundle.md. It reads S3 bucket policies, KMS key
# policies, Lambda function policies, Secrets Manager secret policies, SQS queue policies, SNS topic
# policies and ECR repository policies.
#
# Usage: collect-resource-policies.sh [OUT_DIR] [REGION...]
#   OUT_DIR defaults to ./bundle. REGIONs default to the CLI's configured region
#   (`aws configure get region`). S3 buckets are listed once, whatever the regions.
# Needs: bash 4.4 or later, the AWS CLI v2, credentials of a principal with the policy in
# resource-policies-collector-policy.json. A KMS key whose key policy does not let the account's IAM
# policies grant access is skipped with a message, since its key policy must allow kms:GetKeyPolicy itself.
# Reads no secret: it reads policies, never secret values, object contents or messages.
#
# NOTE: this script has not been run against AWS. It was checked by reading it against the AWS CLI
# reference, and run against a stub `aws` command that prints canned output.
# It reads each function's unqualified policy only, so policies on Lambda versions and aliases are not
# collected.
set -euo pipefail

out_dir="${1:-./bundle}"
shift || true
source "$(dirname "${BASH_SOURCE[0]}")/regions.sh"
set_regions "$out_dir" "$@"

account="$(aws sts get-caller-identity --query Account --output text)"
base="$out_dir/resource-policies"
written=0
failures=0

# save FILE NO_POLICY_ERROR COMMAND...: runs an AWS CLI command and moves its JSON output into FILE when it
# succeeds. A failure whose message contains NO_POLICY_ERROR means that the resource has no policy, so it
# is skipped quietly. Any other failure is reported and counted, and the script goes on.
save() {
  local file="$1" no_policy="$2"
  shift 2
  mkdir -p "$(dirname "$file")"
  local error
  if error="$("$@" --output json 2>&1 > "$file.partial")"; then
    mv "$file.partial" "$file"
    written=$((written + 1))
    return 0
  fi
  rm -f "$file.partial"
  if [[ "$error" != *"$no_policy"* ]]; then
    echo "Failed: $* : $error" >&2
    failures=$((failures + 1))
  fi
  return 0
}

# collect NAME COMMAND...: stores the words that a list command prints as text in the array NAME. A failure,
# such as a missing permission, is reported and counted and leaves NAME empty, where `for x in $(...)`
# would hide it.
collect() {
  local -n into="$1"
  shift
  local output
  into=()
  if output="$("$@" --output text)"; then
    read -r -a into <<< "$(tr '\n' ' ' <<< "$output")"
    # The CLI prints None when the list is absent from the response, as list-queues does without queues.
    if [[ "${into[*]}" == "None" ]]; then
      into=()
    fi
  else
    echo "Failed: $*" >&2
    failures=$((failures + 1))
  fi
}

# keep_if_has FILE FIELD: removes FILE when its JSON has no FIELD, because the command returned no policy.
keep_if_has() {
  if [[ -f "$1" ]] && ! grep -q "\"$2\"" "$1"; then
    rm -f "$1"
    written=$((written - 1))
  fi
}

# File names cannot contain "/", which secret and repository names may contain; the content names them.
safe_name() {
  echo "${1//\//_}"
}

# S3 bucket ARNs name no account or region, so the layout gives both the bucket and the owning account.
collect buckets aws s3api list-buckets --query 'Buckets[].Name'
for bucket in "${buckets[@]}"; do
  save "$base/s3/$account/$bucket.json" NoSuchBucketPolicy aws s3api get-bucket-policy --bucket "$bucket"
done

for region in "${regions[@]}"; do
  collect keys aws kms list-keys --region "$region" --query 'Keys[].KeyId'
  for key in "${keys[@]}"; do
    save "$base/kms/$account/$region/$key.json" NotFoundException \
      aws kms get-key-policy --region "$region" --key-id "$key" --policy-name default
  done

  collect functions aws lambda list-functions --region "$region" --query 'Functions[].FunctionName'
  for function in "${functions[@]}"; do
    save "$base/lambda/$account/$region/$function.json" ResourceNotFoundException \
      aws lambda get-policy --region "$region" --function-name "$function"
  done

  collect secrets aws secretsmanager list-secrets --region "$region" --query 'SecretList[].ARN'
  for secret in "${secrets[@]}"; do
    file="$base/secretsmanager/$account/$region/$(safe_name "${secret##*:secret:}").json"
    save "$file" ResourceNotFoundException aws secretsmanager get-resource-policy --region "$region" --secret-id "$secret"
    keep_if_has "$file" ResourcePolicy
  done

  collect queues aws sqs list-queues --region "$region" --query 'QueueUrls[]'
  for queue in "${queues[@]}"; do
    file="$base/sqs/$account/$region/${queue##*/}.json"
    save "$file" NonExistentQueue \
      aws sqs get-queue-attributes --region "$region" --queue-url "$queue" --attribute-names Policy QueueArn
    keep_if_has "$file" Policy
  done

  collect topics aws sns list-topics --region "$region" --query 'Topics[].TopicArn'
  for topic in "${topics[@]}"; do
    save "$base/sns/$account/$region/${topic##*:}.json" NotFound \
      aws sns get-topic-attributes --region "$region" --topic-arn "$topic"
  done

  collect repositories aws ecr describe-repositories --region "$region" --query 'repositories[].repositoryName'
  for repository in "${repositories[@]}"; do
    save "$base/ecr/$account/$region/$(safe_name "$repository").json" RepositoryPolicyNotFoundException \
      aws ecr get-repository-policy --region "$region" --repository-name "$repository"
  done
done

echo "Wrote $written resource policies of account $account to $base; $failures commands failed"
if ((failures > 0)); then
  exit 1
fi
