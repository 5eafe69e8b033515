# Every pinned upstream version, in one place. Sourced by scripts/*.sh; read by
# src/versions.ts so the generated Function/Provider packages carry the same pins.
CROSSPLANE_CLI_VERSION=v2.5.0
CROSSPLANE_VERSION=v2.4.0
FUNCTION_PAT_VERSION=v0.10.9
FUNCTION_CEL_FILTER_VERSION=v0.2.0
PROVIDER_AWS_VERSION=v2.5.0
ARGOCD_VERSION=v3.2.11
# The peer tool payenv plan is compared with in npm run e2e (live cluster diffs).
CROSSPLANE_DIFF_VERSION=v0.10.0
# The local control plane (npm run cluster:up).
KUBERNETES_VERSION=v1.34.4
ETCD_VERSION=v3.6.5
# From PyPI: the emulator and the compliance scanner of the AWS layer (npm run e2e:aws), and
# the CloudFormation linter of the IAM bootstrap (npm test).
MOTO_VERSION=5.2.5
PROWLER_VERSION=5.46.0
CFN_LINT_VERSION=1.58.0
