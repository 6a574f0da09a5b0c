#!/usr/bin/env bash
# Writes the GCP part of an offline bundle to OUT_DIR/gcp with gcloud, in the layout of docs/offline-bundle.md:
# the IAM policies and resources that Cloud Asset Inventory finds in SCOPE, the organization, folders and projects
# below it, and each project's service accounts, their keys (metadata only) and custom roles. It writes the same
# files as `nhigraph collect gcp --save-bundle`, and OUT_DIR/collection-gaps.json with the calls that failed.
#
# Usage: collect.sh organizations/ID|folders/ID|projects/PROJECT_ID [OUT_DIR]     (default OUT_DIR: ./bundle)
# Needs: bash 4.4 or later, the Google Cloud CLI (gcloud), and an identity with the custom role in
# script-role.yaml on SCOPE. Reads no secret: key listings give key ids, types and validity, never key data.
#
# NOTE: this script has not been run against Google Cloud. It was checked against the gcloud reference and run
# against a stub `gcloud` command that prints canned output. gcloud pages through every list by itself.
set -euo pipefail

scope="${1:-}"
out_dir="${2:-./bundle}"
case "$scope" in
  organizations/[0-9]*|folders/[0-9]*|projects/?*) ;;
  *)
    echo "Usage: collect.sh organizations/ID|folders/ID|projects/PROJECT_ID [OUT_DIR]" >&2
    exit 2
    ;;
esac

gcp_dir="$out_dir/gcp"
mkdir -p "$gcp_dir/folders" "$gcp_dir/projects" "$gcp_dir/service-accounts" "$gcp_dir/keys" "$gcp_dir/roles"
started_at="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
gaps=()

# json_string TEXT: prints TEXT as a JSON string, on one line.
json_string() {
  printf '"%s"' "$(printf '%s' "$1" | tr '\n\t' '  ' | tr -d '\000-\037' | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')"
}

# gap_reason MESSAGE: maps a gcloud error message to the reason collection-gaps.json records.
gap_reason() {
  case "$1" in
    *SERVICE_DISABLED*|*"has not been used in project"*|*"it is disabled"*) echo "not-enabled" ;;
    *PERMISSION_DENIED*|*"does not have"*permission*|*"Permission denied"*) echo "access-denied" ;;
    *DEADLINE_EXCEEDED*|*"timed out"*) echo "timeout" ;;
    *RESOURCE_EXHAUSTED*|*"Quota exceeded"*|*"429"*) echo "throttled" ;;
    *) echo "error" ;;
  esac
}

# save FILE GAP_SCOPE SERVICE CALL COMMAND...: runs a gcloud command with --format=json and moves its output into
# FILE only when it succeeds, so a failed run leaves no half-written .json file. A failure is a warning and a gap.
save() {
  local file="$1" gap_scope="$2" service="$3" call="$4"
  shift 4
  if "$@" --format=json > "$file.partial" 2> "$file.stderr"; then
    mv "$file.partial" "$file"
    rm -f "$file.stderr"
    return 0
  fi
  local message
  message="$(tr '\n' ' ' < "$file.stderr")"
  rm -f "$file.partial" "$file.stderr"
  echo "Warning: $call on $gap_scope failed, so the bundle lacks it: $message" >&2
  gaps+=("{\"cloud\": \"gcp\", \"scope\": $(json_string "$gap_scope"), \"service\": \"$service\", \"call\": \"$call\", \"reason\": \"$(gap_reason "$message")\", \"message\": $(json_string "$message")}")
  return 1
}

# values FIELD FILE: prints the string values of FIELD in gcloud's JSON output, one a line. Every name, email and
# id that this script reads is a string without quotes in it, so a pattern finds them without a JSON parser.
values() {
  [[ -f "$2" ]] || return 0
  grep -o "\"$1\" *: *\"[^\"]*\"" "$2" | sed -e 's/^.*: *"//' -e 's/"$//' || true
}

# collect_roles FLAG ID FILE_PREFIX GAP_SCOPE: lists the custom roles of an organization or project, deleted ones too,
# and describes each, because `roles list` leaves out the permissions.
collect_roles() {
  local flag="$1" id="$2" prefix="$3" gap_scope="$4" role
  save "$gcp_dir/roles/$prefix.json" "$gap_scope" iam ListRoles gcloud iam roles list "$flag=$id" --show-deleted || return 0
  for role in $(values name "$gcp_dir/roles/$prefix.json"); do
    save "$gcp_dir/roles/$prefix-${role##*/}.json" "$gap_scope" iam GetRole \
      gcloud iam roles describe "${role##*/}" "$flag=$id" || true
  done
}

# collect_project PROJECT_ID: the project's service accounts, each account's keys and the project's custom roles.
collect_project() {
  local project="$1" email
  if save "$gcp_dir/service-accounts/$project.json" "projects/$project" iam ListServiceAccounts \
    gcloud iam service-accounts list --project="$project"; then
    for email in $(values email "$gcp_dir/service-accounts/$project.json"); do
      save "$gcp_dir/keys/$email.json" "projects/$project" iam ListServiceAccountKeys \
        gcloud iam service-accounts keys list --iam-account="$email" --project="$project" || true
    done
  fi
  collect_roles --project "$project" "$project" "projects/$project"
}

# walk PARENT: lists the folders and projects directly under organizations/ID or folders/ID, then walks each folder.
# Each list is saved in a file named after the parent, as the folder lists do not say which folder was listed.
walk() {
  local parent="$1" kind="${1%%/*}" id="${1#*/}" child project
  local flag="--organization=$id"
  [[ "$kind" == folders ]] && flag="--folder=$id"
  local folder_file="$gcp_dir/folders/$kind-$id.json" project_file="$gcp_dir/projects/$kind-$id.json"
  save "$folder_file" "$parent" cloudresourcemanager ListFolders gcloud resource-manager folders list "$flag" || true
  save "$project_file" "$parent" cloudresourcemanager ListProjects \
    gcloud projects list --filter="parent.id=$id" || true
  for project in $(values projectId "$project_file"); do
    collect_project "$project"
  done
  for child in $(values name "$folder_file" | grep '^folders/'); do
    walk "$child"
  done
}

save "$gcp_dir/iam-policies.json" "$scope" cloudasset SearchAllIamPolicies \
  gcloud asset search-all-iam-policies --scope="$scope" || true
save "$gcp_dir/resources.json" "$scope" cloudasset SearchAllResources \
  gcloud asset search-all-resources --scope="$scope" || true

id="${scope#*/}"
case "$scope" in
  organizations/*)
    save "$gcp_dir/organizations.json" "$scope" cloudresourcemanager GetOrganization gcloud organizations describe "$id" || true
    collect_roles --organization "$id" "organizations-$id" "$scope"
    walk "$scope"
    ;;
  folders/*)
    save "$gcp_dir/folders/$id.json" "$scope" cloudresourcemanager GetFolder gcloud resource-manager folders describe "$id" || true
    walk "$scope"
    ;;
  projects/*)
    save "$gcp_dir/projects/$id.json" "$scope" cloudresourcemanager GetProject gcloud projects describe "$id" || true
    collect_project "$id"
    ;;
esac

# Below an organization, bindings may grant the organization's custom roles. The policy search names the
# organization of every resource.
if [[ "$scope" != organizations/* ]]; then
  for organization in $(values organization "$gcp_dir/iam-policies.json" | sort -u); do
    collect_roles --organization "${organization#*/}" "organizations-${organization#*/}" "$organization"
  done
fi

{
  printf '{\n  "collector": "collectors/gcp/collect.sh",\n  "startedAt": "%s",\n  "finishedAt": "%s",\n  "collectionGaps": [' \
    "$started_at" "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  separator=""
  for gap in "${gaps[@]+"${gaps[@]}"}"; do
    printf '%s\n    %s' "$separator" "$gap"
    separator=","
  done
  printf '\n  ]\n}\n'
} > "$out_dir/collection-gaps.json"

echo "Wrote $gcp_dir with ${#gaps[@]} gaps; load it with: nhigraph load $out_dir" >&2
