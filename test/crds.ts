// The pinned provider CRDs (.cache/crds, fetched by npm test): what a kind's
// forProvider accepts, so invariants follow the real schema, not our list.
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';
import { CRD_DIR } from '../src/tools';

let cache: Map<string, Record<string, any>> | undefined;

/** forProvider properties by "apiVersion/Kind". */
export function forProviderSchemas(): Map<string, Record<string, any>> {
  if (cache) return cache;
  cache = new Map();
  const dir = join(CRD_DIR, 'provider-aws');
  for (const f of readdirSync(dir)) {
    const crd = parse(readFileSync(join(dir, f), 'utf8'));
    for (const v of crd.spec.versions) {
      const fp = v.schema.openAPIV3Schema.properties.spec.properties.forProvider;
      if (fp) cache.set(`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`, fp.properties);
    }
  }
  return cache;
}

export function forProviderOf(apiVersion: string, kind: string): Record<string, any> {
  const s = forProviderSchemas().get(`${apiVersion}/${kind}`);
  if (!s) throw new Error(`no CRD for ${apiVersion} ${kind} in ${CRD_DIR}`);
  return s;
}
