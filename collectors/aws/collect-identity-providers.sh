#!/usr/bin/env bash
# Writes the OIDC and SAML identity providers of the account behind the current AWS credentials to OUT_DIR/iam,
# in the layout of docs/offline-bundle.md:
#   iam/oidc-providers-ACCOUNT.json               aws iam list-open-id-connect-providers
#   iam/oidc-providers/ACCOUNT/URL.json           aws iam get-open-id-connect-provider --open-id-connect-provider-arn ARN
#   iam/saml-providers-ACCOUNT.json               aws iam list-saml-providers
#
# Usage: collect-identity-providers.sh [OUT_DIR]        (default OUT_DIR: ./bundle)
# Needs: the AWS CLI v2, credentials of a principal with the policy in identity-providers-collector-policy.json.
# Reads no secret: provider ARNs, URLs, client ids, thumbprints and dates. The SAML metadata documents
# (get-saml-provider) are not read.
#
# NOTE: this script has not been run against AWS. It was checked by reading it against the AWS CLI
# reference, and run against a stub `aws` command that prints canned output.
set -euo pipefail

out_dir="${1:-./bundle}"

account="$(aws sts get-caller-identity --query Account --output text)"
mkdir -p "$out_dir/iam/oidc-providers/$account"

oidc="$out_dir/iam/oidc-providers-$account.json"
aws iam list-open-id-connect-providers --output json > "$oidc.partial"
mv "$oidc.partial" "$oidc"

# The ARNs are read from the saved list, so the provider list is requested once.
count=0
while read -r arn; do
  [[ -n "$arn" ]] || continue
  url="${arn#*:oidc-provider/}"
  file="$out_dir/iam/oidc-providers/$account/${url//[^A-Za-z0-9._-]/_}.json"
  aws iam get-open-id-connect-provider --open-id-connect-provider-arn "$arn" --output json > "$file.partial"
  mv "$file.partial" "$file"
  count=$((count + 1))
done < <(grep -o '"Arn": *"arn:[^"]*:oidc-provider/[^"]*"' "$oidc" | sed 's/.*"\(arn:[^"]*\)"$/\1/')

saml="$out_dir/iam/saml-providers-$account.json"
aws iam list-saml-providers --output json > "$saml.partial"
mv "$saml.partial" "$saml"
echo "Wrote $oidc with $count OIDC provider(s), and $saml (account $account)"
