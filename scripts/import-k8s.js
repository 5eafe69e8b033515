#!/usr/bin/env node
// Typed classes for the Kubernetes kinds the bootstrap generates that cdk8s-plus-28's
// k8s module predates (admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy, GA in
// 1.30). `cdk8s import k8s@<v>` fetches its schema from GitHub, which this machine cannot
// reach; the same generator reads the pinned Kubernetes module's own OpenAPI document
// instead (api/openapi-spec/swagger.json), kept to the kinds below and what they reference.
// Usage: node scripts/import-k8s.js SWAGGER_JSON OUTDIR
const fs = require('fs');
const path = require('path');
// The generator's modules by path: the package exports only its CLI entry point.
const cli = path.join(__dirname, '..', 'node_modules', 'cdk8s-cli', 'lib');
const util = require(path.join(cli, 'util.js'));
const { ImportKubernetesApi } = require(path.join(cli, 'import', 'k8s.js'));

const KINDS = [/^io\.k8s\.api\.admissionregistration\.v1\.ValidatingAdmissionPolicy(Binding)?$/];

function kept(definitions) {
  const out = {};
  const visit = (name) => {
    if (out[name]) return;
    out[name] = definitions[name];
    JSON.stringify(definitions[name], (k, v) => {
      if (k === '$ref') visit(v.split('/').pop());
      return v;
    });
  };
  Object.keys(definitions).filter((n) => KINDS.some((k) => k.test(n))).forEach(visit);
  return out;
}

async function main([swagger, outdir]) {
  if (!swagger || !outdir) throw new Error('usage: import-k8s.js SWAGGER_JSON OUTDIR');
  const { definitions } = JSON.parse(fs.readFileSync(swagger, 'utf8'));
  const schema = JSON.stringify({ definitions: kept(definitions) });
  util.download = async () => schema; // the generator's only network call: its schema
  await new ImportKubernetesApi({ apiVersion: 'pinned' }).import({ outdir, targetLanguage: 'typescript', moduleNamePrefix: undefined });
}

main(process.argv.slice(2)).catch((e) => { console.error(e.message); process.exit(1); });
