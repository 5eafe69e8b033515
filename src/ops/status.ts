// `payenv status`: each PaymentEnvironment as a tree of its composed resources,
// grouped by AWS area, with Synced/Ready and the reason of anything not ready.
import { condition } from './kube';
import { AREAS, Inventory, isHealthy } from './inventory';

export function statusJson(invs: Inventory[]) {
  return invs.map((i) => ({
    environment: i.env,
    namespace: i.xr.metadata.namespace,
    tier: i.xr.spec?.tier,
    region: i.xr.spec?.region,
    synced: condition(i.xr, 'Synced')?.status ?? 'Unknown',
    ready: condition(i.xr, 'Ready')?.status ?? 'Unknown',
    message: condition(i.xr, 'Ready')?.message ?? condition(i.xr, 'Synced')?.message,
    outputs: { ...i.xr.status, conditions: undefined },
    areas: Object.fromEntries(AREAS.filter((a) => i.resources.some((r) => r.area === a)).map((a) => {
      const rs = i.resources.filter((r) => r.area === a);
      return [a, {
        ready: rs.filter(isHealthy).length,
        total: rs.length,
        resources: rs.map((r) => ({ name: r.name, kind: r.obj.kind, object: r.obj.metadata.name, synced: r.synced ?? 'Unknown', ready: r.ready ?? 'Unknown', reason: r.reason })),
      }];
    })),
  }));
}

export function statusText(invs: Inventory[]): string {
  const lines: string[] = [];
  for (const s of statusJson(invs)) {
    lines.push(`${s.environment} (${s.namespace})  tier=${s.tier} region=${s.region}  Synced=${s.synced} Ready=${s.ready}${s.message ? `  ${s.message}` : ''}`);
    for (const [area, a] of Object.entries(s.areas)) {
      lines.push(`  ${area.padEnd(14)} ${a.ready}/${a.total} ready`);
      for (const r of a.resources) {
        const mark = r.synced === 'True' && r.ready === 'True' ? 'ok ' : '-- ';
        lines.push(`    ${mark}${`${r.kind}/${r.name}`.padEnd(52)} Synced=${r.synced.padEnd(7)} Ready=${r.ready.padEnd(7)}${r.reason ? ` ${r.reason}` : ''}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

/** One line per environment: tier, XR Ready, ready/total per AWS area, and the first resource not ready with why. */
export function statusSummary(invs: Inventory[]): string {
  const lines = statusJson(invs).map((s) => {
    const areas = Object.entries(s.areas).map(([area, a]) => `${area} ${a.ready}/${a.total}`).join('  ');
    const first = Object.values(s.areas).flatMap((a) => a.resources).find((r) => r.synced !== 'True' || r.ready !== 'True');
    const why = first ? `  first not ready: ${first.kind}/${first.name}${first.reason ? ` (${first.reason})` : ''}` : '';
    return `${s.environment.padEnd(12)} ${String(s.tier).padEnd(8)} Ready=${s.ready.padEnd(7)} ${areas}${why}`;
  });
  return `${lines.join('\n')}\n`;
}
