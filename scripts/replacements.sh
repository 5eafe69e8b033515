#!/usr/bin/env bash
# Writes src/plan/replacements.json: for each managed kind the Composition uses, the
# fields whose change makes its Terraform resource replace it, read by
# scripts/replacements/main.go from the pinned provider-aws's runtime schema.
# Links the Terraform AWS provider like a provider family does (scripts/install-tools.sh
# provider-aws-*): 45-80 min on a cold Go cache, ~1-2 min once a family is built.
# Usage: scripts/replacements.sh   (CI does not run it: test/plan.test.ts checks the
# file names the pinned provider version and exactly the Composition's kinds).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/versions.sh
export GOFLAGS="-mod=mod -buildvcs=false" GOTOOLCHAIN=local CGO_ENABLED=0

module=github.com/upbound/provider-aws/v2
src=.tools/src/replacements
# The same module graph as a provider family (its wrapper go.mod from install-tools.sh: the
# upstream replaces and the patched upjet), so the build reuses its compiled packages from the
# Go cache: one family built first (a no-op when it is).
family=${REPLACEMENTS_FAMILY:-provider-aws-sqs}
bash scripts/install-tools.sh "$family"
rm -rf "$src"; mkdir -p "$src"
sed "s#^module .*#module paymentenv.local/tools/replacements#" ".tools/src/$family/go.mod" > "$src/go.mod"
cp ".tools/src/$family/go.sum" "$src/go.sum"
cp scripts/replacements/main.go "$src/main.go"
(cd "$src" && go build -trimpath -ldflags="-s -w" -o replacements .)
npx tsc -p . >/dev/null
kinds=$(node -e 'console.log(require("./lib/src/platform").composedKinds().join("\n"))')
GOMODCACHE=$(go env GOMODCACHE) "$src/replacements" <<< "$kinds" > .tools/replacements.json
node -e '
  const kinds = JSON.parse(require("fs").readFileSync(".tools/replacements.json", "utf8"));
  const out = { generatedBy: "scripts/replacements.sh", provider: process.argv[1], kinds };
  require("fs").writeFileSync("src/plan/replacements.json", JSON.stringify(out, null, 2) + "\n");' "$module@$PROVIDER_AWS_VERSION"
echo "wrote src/plan/replacements.json ($(grep -c '"terraform"' src/plan/replacements.json) kinds)"
