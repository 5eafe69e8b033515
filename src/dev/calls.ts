// The emulator's call log (GET /_emulator/calls: counts by caller, service and operation), sorted
// into what the AWS fault cases check: creates, deletes, data-store updates, tags, other updates.
export type Call = { caller: string; service: string; operation: string; kind: 'read' | 'write'; count: number };
const TAG = /tag/i;
const DELETE = /^(Delete|Deregister|Release|Terminate|Remove|Revoke|Disassociate|Detach|Disable)|^DELETE /;
const CREATE = /^(Create|Run|Allocate|Request|Register|Import|Associate|Attach|Authorize|Subscribe|Issue)|^POST /;
const DATA_STORES = new Set(['rds', 'dynamodb', 's3', 'backup']);
const REVOKE_EGRESS = 'ec2 RevokeSecurityGroupEgress';

/** The emulator's counts so far; `reset` reads and zeroes them (DELETE). */
export async function emulatorCalls(endpoint: string, reset = false): Promise<Call[]> {
  const res = await fetch(`${endpoint}/_emulator/calls`, { method: reset ? 'DELETE' : 'GET' });
  return (await res.json()) as Call[];
}

/** The writes callers made between two snapshots of the emulator's counts, sorted into what matters. */
export function writesBetween(before: Call[], after: Call[], callers: string[]) {
  const key = (c: Call) => `${c.caller} ${c.service} ${c.operation}`;
  const was = new Map(before.map((c) => [key(c), c.count]));
  const out = { creates: {} as Record<string, number>, deletes: {} as Record<string, number>, dataStoreUpdates: {} as Record<string, number>, tags: {} as Record<string, number>, updates: {} as Record<string, number> };
  for (const c of after.filter((x) => x.kind === 'write' && callers.includes(x.caller))) {
    const n = c.count - (was.get(key(c)) ?? 0);
    if (n <= 0) continue;
    const op = `${c.service} ${c.operation}`;
    const bucket = TAG.test(c.operation) ? out.tags : DELETE.test(c.operation) ? out.deletes : CREATE.test(c.operation) ? out.creates
      : DATA_STORES.has(c.service) ? out.dataStoreUpdates : out.updates;
    bucket[op] = (bucket[op] ?? 0) + n;
  }
  // Part of a create, not a delete: Terraform's security group create revokes the default allow-all
  // egress rules of the group it just made, IPv4 and IPv6 (resourceSecurityGroupCreate,
  // internal/service/ec2/vpc_security_group.go), two calls per group created.
  const own = Math.min(out.deletes[REVOKE_EGRESS] ?? 0, 2 * (out.creates['ec2 CreateSecurityGroup'] ?? 0));
  if (own) {
    out.creates[`${REVOKE_EGRESS} (default rules of the groups created)`] = own;
    if (!(out.deletes[REVOKE_EGRESS] -= own)) delete out.deletes[REVOKE_EGRESS];
  }
  return out;
}
