# Sourced by the collectors that read regional services.
#
# set_regions OUT_DIR [REGION...]: sets the array `regions` to the REGIONs given, or else to the AWS CLI's
# configured region (`aws configure get region`). Exits with status 2 when neither names a region.
set_regions() {
  local out="$1"
  shift
  regions=("$@")
  if ((${#regions[@]} == 0)); then
    local configured
    configured="$(aws configure get region || true)"
    if [[ -z "$configured" ]]; then
      echo "No region given and none configured: name the regions, e.g. $0 $out eu-west-1 us-east-1" >&2
      exit 2
    fi
    regions=("$configured")
  fi
}
