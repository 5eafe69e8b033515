#!/usr/bin/env bash
# Builds the pinned upstream tools this project is judged by into .tools/bin,
# from the Go module proxy. Idempotent: a tool whose binary carries the pinned
# version stamp is reused. Usage: scripts/install-tools.sh [tool...]
#
# Each tool is built through a tiny wrapper module (.tools/src/<tool>) that
# requires the pinned upstream module and copies its module-to-module replace
# directives; local-path replaces (./apis, ./staging) become version replaces.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/versions.sh

TOOLS="$PWD/.tools"
BIN="$TOOLS/bin"
mkdir -p "$BIN" "$TOOLS/src"
export GOFLAGS="-mod=mod -buildvcs=false"
export GOTOOLCHAIN=local
export CGO_ENABLED=0

log() { printf '[tools %5ss] %s\n' "$SECONDS" "$*" >&2; }


# upstream_replaces MODULE VERSION LOCAL_VERSION: the replace lines of the upstream
# go.mod. Module-to-module replaces are copied; local-path replaces (./apis,
# ./staging/src/k8s.io/api, ../api) become the same module at LOCAL_VERSION.
upstream_replaces() {
  local dir
  dir=$(go mod download -json "$1@$2" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
  awk -v lv="$3" '
    function emit(line,   parts) {
      sub(/\/\/.*/, "", line)
      if (line !~ /=>/ || line ~ /FORBIDDEN/) return
      split(line, parts, /[ \t]*=>[ \t]*/)
      gsub(/^[ \t]+|[ \t]+$/, "", parts[1]); gsub(/^[ \t]+|[ \t]+$/, "", parts[2])
      if (parts[2] ~ /^\./) print "replace " parts[1] " => " parts[1] " " lv
      else print "replace " parts[1] " => " parts[2]
    }
    /^replace \(/ { inblock=1; next }
    inblock && /^\)/ { inblock=0; next }
    inblock { emit($0); next }
    /^replace / { sub(/^replace /, ""); emit($0) }
  ' "$dir/go.mod"
}

# build NAME MODULE VERSION PACKAGE [LOCAL_VERSION] [LDFLAGS] [EXTRA_GO_MOD_LINES]
build() {
  local name=$1 module=$2 version=$3 pkg=$4 local_version=${5:-$3} ldflags=${6:-} extra=${7:-}
  local stamp="$BIN/.$name.version" want="$module@$version $pkg${extra:+ $extra}"
  if [[ -x "$BIN/$name" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    return 0
  fi
  log "building $name from $module@$version"
  local src="$TOOLS/src/$name" start=$SECONDS
  rm -rf "$src"; mkdir -p "$src"
  {
    echo "module paymentenv.local/tools/$name"
    echo
    echo "go 1.26"
    echo
    echo "require $module $version"
    upstream_replaces "$module" "$version" "$local_version"
    [[ -n "$extra" ]] && echo "$extra"
  } > "$src/go.mod"
  # Upstream's go.sum verifies what the checksum database does not know (e.g. forks
  # referenced by pseudo-version, such as Upbound's terraform-provider-aws).
  local updir
  updir=$(go mod download -json "$module@$version" 2>/dev/null | sed -n 's/.*"Dir": "\(.*\)".*/\1/p' || true)
  [[ -n "$updir" && -f "$updir/go.sum" ]] && cp "$updir/go.sum" "$src/go.sum" && chmod u+w "$src/go.sum"
  (cd "$src" && go build -trimpath -ldflags="-s -w $ldflags" -o "$BIN/$name" "$pkg")
  echo "$want" > "$stamp"
  echo "$name $((SECONDS - start))s" >> "$TOOLS/build-times.txt"
  log "built $name in $((SECONDS - start))s"
}

# patched_upjet: the upjet version provider-aws $PROVIDER_AWS_VERSION requires, copied to
# .tools/src/upjet with scripts/patches/upjet-*.patch applied; prints its directory.
# Why: terraform-plugin-framework >= 1.15 fails the Read of a not-yet-existing resource that
# has an identity schema ("Missing Resource Identity After Read"), so upjet v2.5.0-era builds
# never create BucketLifecycleConfiguration (provider-upjet-aws #2003/#2085/#2191). Upstream
# fixed it in crossplane/upjet#623 (released with provider-upjet-aws v2.6.0, which the Go
# proxy refuses); our patch treats exactly that error with a null state as "not found".
patched_upjet() {
  local dir="$TOOLS/src/upjet" updir version
  updir=$(go mod download -json "github.com/upbound/provider-aws/v2@$PROVIDER_AWS_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
  version=$(awk '$1 == "github.com/crossplane/upjet/v2" { print $2 }' "$updir/go.mod")
  if [[ ! -f "$dir/.patched" || "$(cat "$dir/.patched")" != "$version $(patch_stamp)" ]]; then
    rm -rf "$dir"; mkdir -p "$(dirname "$dir")"
    cp -r "$(go mod download -json "github.com/crossplane/upjet/v2@$version" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')" "$dir"
    chmod -R u+w "$dir"
    for p in scripts/patches/upjet-*.patch; do patch -s -d "$dir" -p1 < "$p"; done
    echo "$version $(patch_stamp)" > "$dir/.patched"
  fi
  echo "$dir"
}
# venv NAME PACKAGE...: a Python virtualenv .tools/NAME with the pinned packages from PyPI.
venv() {
  local name=$1; shift
  local dir="$TOOLS/$name" want="$*"
  if [[ -f "$dir/.version" && "$(cat "$dir/.version")" == "$want" ]]; then return 0; fi
  log "installing $name ($want) into $dir"
  rm -rf "$dir"
  python3 -m venv "$dir"
  "$dir/bin/pip" install --quiet --disable-pip-version-check "$@"
  echo "$want" > "$dir/.version"
}

# patch_stamp: a digest of the patches, so a changed patch rebuilds the providers.
patch_stamp() { cat scripts/patches/upjet-*.patch | sha256sum | cut -c1-12; }

# Kubernetes reports its version from ldflags; Argo CD and kubectl read it.
KUBE_LDFLAGS="-X k8s.io/component-base/version.gitVersion=$KUBERNETES_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=${KUBERNETES_VERSION#v1.}"
KUBE_LDFLAGS="${KUBE_LDFLAGS%.*}"
KUBE_STAGING_VERSION="v0.${KUBERNETES_VERSION#v1.}"

# The CRDs `payenv check` and the tests validate against.
bash scripts/fetch-crds.sh

want=("$@")
[[ ${#want[@]} -eq 0 ]] && want=(crossplane crossplane-core crossplane-diff functions argocd cfn-lint moto)
for t in "${want[@]}"; do
  case $t in
    crossplane)
      build crossplane github.com/crossplane/cli/v2 "$CROSSPLANE_CLI_VERSION" github.com/crossplane/cli/v2/cmd/crossplane ;;
    crossplane-core)
      # core's go.mod replaces its apis module with ./apis: pin the same version instead.
      build crossplane-core github.com/crossplane/crossplane/v2 "$CROSSPLANE_VERSION" github.com/crossplane/crossplane/v2/cmd/crossplane ;;
    functions)
      build function-patch-and-transform github.com/crossplane-contrib/function-patch-and-transform "$FUNCTION_PAT_VERSION" github.com/crossplane-contrib/function-patch-and-transform
      build function-cel-filter github.com/crossplane-contrib/function-cel-filter "$FUNCTION_CEL_FILTER_VERSION" github.com/crossplane-contrib/function-cel-filter ;;
    crossplane-diff)
      # Renders with a local crossplane binary (its hidden --crossplane-render-binary) instead
      # of the Docker image it pulls by default: there is no Docker engine here.
      build crossplane-diff github.com/crossplane-contrib/crossplane-diff "$CROSSPLANE_DIFF_VERSION" github.com/crossplane-contrib/crossplane-diff/cmd/diff ;;
    argocd)
      build argocd github.com/argoproj/argo-cd/v3 "$ARGOCD_VERSION" github.com/argoproj/argo-cd/v3/cmd ;;
    kube)
      # k8s.io/kubernetes replaces its k8s.io/* modules with ./staging: pin the matching v0.x.
      for c in kube-apiserver kube-controller-manager kubectl; do
        build "$c" k8s.io/kubernetes "$KUBERNETES_VERSION" "k8s.io/kubernetes/cmd/$c" "$KUBE_STAGING_VERSION" "$KUBE_LDFLAGS"
      done ;;
    etcd)
      build etcd go.etcd.io/etcd/server/v3 "$ETCD_VERSION" go.etcd.io/etcd/server/v3 ;;
    provider-aws-*)
      # A provider-upjet-aws family (s3, sqs, dynamodb, kms, ...): links most of the Terraform
      # AWS provider; its go.mod replaces terraform-provider-aws with Upbound's fork (copied).
      # Built with upjet patched (scripts/patches/, see patched_upjet): the fix v2.6.0 ships.
      build "$t" github.com/upbound/provider-aws/v2 "$PROVIDER_AWS_VERSION" "github.com/upbound/provider-aws/v2/cmd/provider/${t#provider-aws-}" \
        "" "" "replace github.com/crossplane/upjet/v2 => $(patched_upjet) // $(patch_stamp)" ;;
    moto)
      # The emulator behind e2e:aws (scripts/emulator.py imports moto's WSGI app, boto3, cbor2).
      venv moto "moto[server]==$MOTO_VERSION" boto3 cbor2 ;;
    cfn-lint)
      # Lints the IAM bootstrap's CloudFormation templates (test/iam-bootstrap.test.ts).
      venv cfn-lint "cfn-lint==$CFN_LINT_VERSION" ;;
    prowler)
      # The compliance scan of e2e:aws (src/dev/compliance.ts).
      venv prowler "prowler==$PROWLER_VERSION" ;;
    *) echo "unknown tool: $t (known: crossplane crossplane-core crossplane-diff functions argocd kube etcd provider-aws-<family> moto prowler cfn-lint)" >&2; exit 2 ;;
  esac
done
