#!/usr/bin/env bash
# Copies the CRDs this project builds against out of the pinned Go modules
# (downloaded through the Go module proxy) into .cache/crds/<source>/.
# Used by `npm run import` (typed kinds in imports/) and `payenv check`
# (offline `crossplane resource validate`). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/versions.sh
export GOFLAGS="-mod=mod" GOTOOLCHAIN=local

OUT=.cache/crds
# Two installs at once (e.g. the providers and the cluster tools in the background) share this.
mkdir -p .cache && exec 9>.cache/crds.lock && flock 9
stamp="$OUT/.versions"
want=$(cat scripts/versions.sh scripts/crd-kinds.txt | sha256sum | cut -c1-16)
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then exit 0; fi

moddir() { go mod download -json "$1@$2" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p'; }
rm -rf "$OUT"; mkdir -p "$OUT"

# scripts/crd-kinds.txt: "<source> <path inside the module>" per line.
declare -A dirs=(
  [provider-aws]=$(moddir github.com/upbound/provider-aws/v2 "$PROVIDER_AWS_VERSION")
  [crossplane]=$(moddir github.com/crossplane/crossplane/v2 "$CROSSPLANE_VERSION")
  [function-patch-and-transform]=$(moddir github.com/crossplane-contrib/function-patch-and-transform "$FUNCTION_PAT_VERSION")
  [function-cel-filter]=$(moddir github.com/crossplane-contrib/function-cel-filter "$FUNCTION_CEL_FILTER_VERSION")
  [argocd]=$(moddir github.com/argoproj/argo-cd/v3 "$ARGOCD_VERSION")
)
while read -r source path; do
  [[ -z "$source" || "$source" == \#* ]] && continue
  mkdir -p "$OUT/$source"
  cp "${dirs[$source]}/$path" "$OUT/$source/"
done < scripts/crd-kinds.txt
chmod -R u+w "$OUT"
echo "$want" > "$stamp"
echo "fetched $(find "$OUT" -name '*.yaml' | wc -l) CRDs into $OUT" >&2
