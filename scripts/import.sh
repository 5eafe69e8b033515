#!/usr/bin/env bash
# Regenerates imports/ (typed cdk8s classes) from the pinned CRDs: one
# TypeScript module per API group. Deterministic: same pins, same output.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/fetch-crds.sh
WORK=.cache/import
rm -rf "$WORK" imports; mkdir -p "$WORK" imports
# Concatenate CRDs of one API group into one file so each group imports once.
for f in $(find .cache/crds -name '*.yaml' | sort); do
  group=$(sed -n 's/^  group: //p' "$f" | head -1)
  [[ -s "$WORK/$group.yaml" ]] && echo "---" >> "$WORK/$group.yaml"
  cat "$f" >> "$WORK/$group.yaml"
done
for f in $(ls "$WORK"/*.yaml | sort); do
  # Route 53's kind Record would shadow TypeScript's Record<K, V> in the generated module.
  prefix=(); [[ "$(basename "$f")" == route53.* ]] && prefix=(--class-prefix Route53)
  npx --no-install cdk8s import "$f" --output imports --language typescript --no-check-upgrade "${prefix[@]}" >/dev/null
done
# Core kinds newer than cdk8s-plus-28's k8s module, from the pinned Kubernetes' own OpenAPI document.
source scripts/versions.sh
k8s_dir=$(GOFLAGS=-mod=mod go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
node scripts/import-k8s.js "$k8s_dir/api/openapi-spec/swagger.json" imports >/dev/null
echo "imported $(ls imports | wc -l) API groups into imports/" >&2
