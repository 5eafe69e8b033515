// Data guarded: in a tier whose policy says so (src/policy.ts planGuardsData), a plan
// that deletes or replaces a data store, or removes the environment, is refused unless
// the claim accepts that exact change in its own file, where a reviewer sees it:
//
//   metadata:
//     annotations:
//       paymentenv.io/accept-data-change: |
//         db-cluster: new KMS key for PCI re-scope (CHG-1234)
//
// Each line is `<composition resource name>: <reason>`, or `environment: <reason>` to
// retire the environment: that one must be committed before the file is removed, so the
// plan reads it from the base side.
import { K8sObject } from '../render';
import { TierPolicy } from '../policy';
import { ResourceChange } from './diff';

export const ACCEPT_ANNOTATION = 'paymentenv.io/accept-data-change';

/** Kinds that hold data or keep it readable: deleting or replacing one loses data. */
export const DATA_STORE_KINDS: readonly string[] = ['rds/Cluster', 'rds/ClusterInstance', 'dynamodb/Table', 's3/Bucket', 'kms/Key', 'backup/Vault'];

/** What the guard refuses, named the way an acceptance names it. */
export interface Refusal {
  /** A composition resource name, or `environment`. */
  readonly subject: string;
  readonly reason: string;
  /** The acceptance line's reason, for an accepted one. */
  readonly acceptedBecause?: string;
}

/** The acceptances a claim carries: subject -> reason. Malformed lines are reported by payenv validate. */
export function acceptances(claim: K8sObject): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of (claim.metadata.annotations?.[ACCEPT_ANNOTATION] ?? '').split('\n')) {
    const m = /^\s*([a-z0-9-]+)\s*:\s*(\S.*?)\s*$/.exec(line);
    if (m) out.set(m[1], m[2]);
  }
  return out;
}

/** Lines of an acceptance annotation that are not `<name>: <reason>` (for validation). */
export function malformedAcceptances(value: string): string[] {
  return value.split('\n').filter((l) => l.trim() && !/^\s*[a-z0-9-]+\s*:\s*\S/.test(l));
}

export function guard(
  env: string, policy: TierPolicy, changes: readonly ResourceChange[], removedObjects: readonly { object: string }[],
  removed: boolean, accept: Map<string, string>, acceptFromBase?: Map<string, string>,
): { refused: Refusal[]; accepted: Refusal[] } {
  if (!policy.planGuardsData) return { refused: [], accepted: [] };
  const found: Refusal[] = [];
  if (removed) {
    // One acceptance retires the whole environment: its data stores are named in the reason.
    const stores = changes.filter((c) => DATA_STORE_KINDS.includes(c.kind)).map((c) => c.name);
    found.push({ subject: 'environment', reason: `the environment ${env} is removed (its claim, namespace and ProviderConfig): Argo CD would prune them and Crossplane delete what the claim composed, data stores included (${stores.join(', ')})` });
    return split(found, acceptFromBase ?? new Map());
  } else {
    for (const o of removedObjects.filter((x) => /^(Namespace|ProviderConfig|ClusterProviderConfig)\//.test(x.object))) {
      found.push({ subject: 'environment', reason: `${o.object} is removed: the environment's resources lose their namespace or credentials` });
    }
  }
  for (const c of changes) {
    if (!DATA_STORE_KINDS.includes(c.kind) || (c.action !== 'delete' && c.action !== 'replace')) continue;
    found.push({ subject: c.name, reason: `${c.kind} ${c.name} is a data store and would be ${c.action === 'delete' ? 'deleted' : c.maybe ? 'possibly replaced' : 'replaced'}${c.reason ? ` (${c.reason})` : ''}` });
  }
  return split(found, accept);
}

function split(found: Refusal[], accept: Map<string, string>): { refused: Refusal[]; accepted: Refusal[] } {
  const refused: Refusal[] = [];
  const accepted: Refusal[] = [];
  for (const r of found) {
    const why = accept.get(r.subject);
    if (why) accepted.push({ ...r, acceptedBecause: why });
    else refused.push(r);
  }
  return { refused, accepted };
}
