// The synthesized Composition (dist/platform/composition.yaml) against the
// DESIGN.md tier table, row by row, read from the map transforms it carries.
import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';
import { deploymentName } from '../src/composition/edge';
import { moduleDir } from '../src/dev/cluster';
import { PINS } from '../src/versions';
import { DESIGN, DESIGN_TIERS } from './design-table';

const composition = parse(readFileSync(join(__dirname, '..', 'dist', 'platform', 'composition.yaml'), 'utf8'));
const [pt, filter] = composition.spec.pipeline;
const resources: any[] = pt.input.resources;
const filters: { name: string; expression: string }[] = filter.input.filters;

function resource(name: string) {
  const r = resources.find((x) => x.name === name);
  if (!r) throw new Error(`no composed resource ${name}`);
  return r;
}

/** The tier map of the patch writing toFieldPath on a resource (or in a patch set it uses). */
function tierMap(name: string, toFieldPath: string): Record<string, unknown> {
  const r = resource(name);
  const sets = pt.input.patchSets.filter((s: any) => r.patches.some((p: any) => p.patchSetName === s.name)).flatMap((s: any) => s.patches);
  const patch = [...r.patches, ...sets].find((p: any) => p.toFieldPath === toFieldPath && p.fromFieldPath === 'spec.tier');
  if (!patch) throw new Error(`${name} has no tier patch to ${toFieldPath}`);
  return patch.transforms[0].map;
}

function base(name: string, path: string): unknown {
  return path.split('.').reduce((o: any, k) => o?.[k], resource(name).base);
}

/** Tiers in which a resource exists, from the function-cel-filter step. */
function existsIn(name: string): string[] {
  const f = filters.find((x) => new RegExp(x.name).test(name));
  if (!f) return [...DESIGN_TIERS];
  return DESIGN_TIERS.filter((t) => f.expression.includes(`'${t}'`));
}

test('a Pipeline of patch-and-transform and cel-filter', () => {
  expect(composition.spec.mode).toBe('Pipeline');
  expect(composition.spec.pipeline.map((s: any) => s.functionRef.name)).toEqual(['function-patch-and-transform', 'function-cel-filter']);
  expect(composition.spec.compositeTypeRef).toEqual({ apiVersion: 'platform.paymentenv.io/v1alpha1', kind: 'PaymentEnvironment' });
});

test('a managed resource counts as ready only when Ready and Synced; a Usage never gates readiness', () => {
  // function-auto-ready#114: Ready alone stays True while the provider cannot reconcile the resource.
  const managed = resources.filter((r) => r.base.spec?.forProvider);
  expect(managed.length).toBeGreaterThan(100);
  for (const r of managed) {
    expect([r.name, r.readinessChecks]).toEqual([r.name, [
      { type: 'MatchCondition', matchCondition: { type: 'Ready', status: 'True' } },
      { type: 'MatchCondition', matchCondition: { type: 'Synced', status: 'True' } },
    ]]);
  }
  for (const r of resources.filter((x) => x.base.kind === 'Usage')) expect(r.readinessChecks).toEqual([{ type: 'None' }]);
  expect(resources.every((r) => r.base.spec?.forProvider || r.base.kind === 'Usage')).toBe(true);
});

describe.each(DESIGN_TIERS)('tier %s', (tier) => {
  const d = DESIGN[tier];
  test('NAT gateways', () => {
    expect(['nat-a', 'nat-b', 'nat-c'].filter((n) => existsIn(n).includes(tier))).toHaveLength(d.natGateways);
  });
  test('Aurora class, instance count, backups, final snapshot', () => {
    expect(tierMap('db-instance-1', 'spec.forProvider.instanceClass')[tier]).toBe(d.dbInstanceClass);
    expect(['db-instance-1', 'db-instance-2', 'db-instance-3'].filter((n) => existsIn(n).includes(tier))).toHaveLength(d.dbInstances);
    expect(tierMap('db-cluster', 'spec.forProvider.backupRetentionPeriod')[tier]).toBe(d.backupDays);
    expect(tierMap('db-cluster', 'spec.forProvider.skipFinalSnapshot')[tier]).toBe(!d.finalSnapshot);
  });
  test('DynamoDB billing', () => {
    expect(tierMap('table-sessions', 'spec.forProvider.billingMode')[tier]).toBe(d.billing);
    expect(tierMap('table-transactions', 'spec.forProvider.billingMode')[tier]).toBe(d.billing);
  });
  test('ECS autoscaling bounds', () => {
    expect(tierMap('ecs-scaling-target', 'spec.forProvider.minCapacity')[tier]).toBe(d.ecs[0]);
    expect(tierMap('ecs-scaling-target', 'spec.forProvider.maxCapacity')[tier]).toBe(d.ecs[1]);
  });
  test('Lambda memory, timeout, concurrency', () => {
    expect(base('lambda', 'spec.forProvider.memorySize')).toBe(d.lambdaMemory);
    expect(base('lambda', 'spec.forProvider.timeout')).toBe(d.lambdaTimeout);
    expect(tierMap('lambda', 'spec.forProvider.reservedConcurrentExecutions')[tier]).toBe(d.concurrency);
  });
  test('API throttling', () => {
    expect(tierMap('api-throttling', 'spec.forProvider.settings.throttlingRateLimit')[tier]).toBe(d.rateLimit);
  });
  test('WAF presence', () => {
    expect(existsIn('waf').includes(tier)).toBe(d.waf);
    expect(existsIn('waf-api').includes(tier)).toBe(d.waf);
    expect(existsIn('waf-alb').includes(tier)).toBe(d.waf);
  });
  test('DLQ retention, Glacier transition, replication, log retention', () => {
    expect(tierMap('dlq', 'spec.forProvider.messageRetentionSeconds')[tier]).toBe(d.dlqDays * 86400);
    expect(tierMap('audit-bucket-lifecycle', 'spec.forProvider.rule[0].transition[0].days')[tier]).toBe(d.glacierDays);
    expect(existsIn('audit-bucket-replication').includes(tier)).toBe(d.replication);
    for (const g of ['logs-ecs', 'logs-lambda', 'logs-api']) expect(tierMap(g, 'spec.forProvider.retentionInDays')[tier]).toBe(d.logDays);
  });
  test('alarms', () => {
    for (const a of ['alarm-rds-cpu', 'alarm-lambda-errors', 'alarm-api-4xx', 'alarm-api-5xx', 'alarm-alb-5xx', 'alarm-dlq-depth']) {
      expect(existsIn(a).includes(tier)).toBe(d.alarms);
    }
  });
});

test('prod alarms are tighter than staging', () => {
  for (const a of ['alarm-rds-cpu', 'alarm-lambda-errors', 'alarm-api-5xx', 'alarm-alb-5xx', 'alarm-dlq-depth']) {
    const m = tierMap(a, 'spec.forProvider.threshold') as Record<string, number>;
    expect(m.prod).toBeLessThan(m.staging);
  }
});

test('prod data stores cannot be deleted by Crossplane (no Delete management policy)', () => {
  for (const name of ['db-cluster', 'table-sessions', 'table-transactions', 'audit-bucket']) {
    const m = tierMap(name, 'spec.managementPolicies') as Record<string, string[]>;
    expect(m.prod).not.toContain('Delete');
    expect(m.prod).not.toContain('*');
    // Without LateInitialize where a value is the provider's or an autoscaler's to keep (cluster members, table capacity).
    expect(m.dev).toEqual(name === 'audit-bucket' ? ['*'] : ['Observe', 'Create', 'Update', 'Delete']);
  }
});

test('the Aurora cluster is not late-initialized in any tier (clusterMembers caught mid-creation made it modified every poll)', () => {
  const m = tierMap('db-cluster', 'spec.managementPolicies') as Record<string, string[]>;
  for (const tier of Object.keys(m)) expect(m[tier]).not.toContain('LateInitialize');
  expect(m.prod).toEqual(['Observe', 'Create', 'Update']);
});

test('the Lambda function is not late-initialized (a frozen codeSha256 made every new image an UpdateFunctionCode loop)', () => {
  expect(base('lambda', 'spec.managementPolicies')).toEqual(['Observe', 'Create', 'Update', 'Delete']);
});

test('every patch reads an XR field the XRD defines', () => {
  const xrd = parse(readFileSync(join(__dirname, '..', 'dist', 'platform', 'xrd.yaml'), 'utf8'));
  const schema = xrd.spec.versions[0].schema.openAPIV3Schema;
  const known = (path: string) => {
    if (path.startsWith('metadata.')) return true;
    let s = schema;
    for (const part of path.split('.')) {
      const key = part.replace(/\[\d+\]$/, '');
      s = s?.properties?.[key];
      if (s?.type === 'array' && /\[\d+\]$/.test(part)) s = s.items;
    }
    return s !== undefined;
  };
  const all = [...resources.flatMap((r) => r.patches), ...pt.input.patchSets.flatMap((s: any) => s.patches)];
  const fromXR = all.flatMap((p: any) => (p.type === 'FromCompositeFieldPath' ? [p.fromFieldPath]
    : p.type === 'CombineFromComposite' ? p.combine.variables.map((v: any) => v.fromFieldPath) : []));
  const toXR = all.flatMap((p: any) => (p.type === 'ToCompositeFieldPath' ? [p.toFieldPath] : []));
  expect([...fromXR, ...toXR].filter((p) => !known(p))).toEqual([]);
});

test('the Composition carries a digest label that revisions inherit', () => {
  expect(composition.metadata.labels['paymentenv.io/composition-digest']).toMatch(/^[0-9a-f]{12}$/);
});

test('every patch writes a field the provider CRD defines (a typo fails here, not in the cluster)', () => {
  const { forProviderOf } = require('./crds');
  const unknown: string[] = [];
  for (const r of resources) {
    if (!r.base.apiVersion.includes('.aws.m.upbound.io/')) continue;
    const sets = pt.input.patchSets.filter((s: any) => r.patches.some((p: any) => p.patchSetName === s.name)).flatMap((s: any) => s.patches);
    for (const p of [...r.patches, ...sets]) {
      if (!p.toFieldPath?.startsWith('spec.forProvider.') || p.type === 'ToCompositeFieldPath') continue;
      let schema: any = { properties: forProviderOf(r.base.apiVersion, r.base.kind), type: 'object' };
      // Field path tokens: names and [index] / [map key] (keys may contain dots).
      for (const token of p.toFieldPath.replace('spec.forProvider.', '').match(/[^.[\]]+|\[[^\]]*\]/g)) {
        if (token.startsWith('[')) {
          schema = /^\[\d+\]$/.test(token) ? schema.items : schema.additionalProperties;
        } else if (schema.additionalProperties && !schema.properties) {
          schema = schema.additionalProperties; // a map key written as a.b
        } else {
          schema = schema.properties?.[token];
        }
        if (!schema) { unknown.push(`${r.name}: ${p.toFieldPath}`); break; }
      }
    }
  }
  expect(unknown).toEqual([]);
});

/** "group/Kind|path.to.xselector" (lowercase, no indices) -> the "group/Kind" the provider's generated resolver lists. */
function resolverTargets(): Map<string, string> {
  const apis = join(moduleDir('github.com/upbound/provider-aws/v2', PINS.PROVIDER_AWS_VERSION), 'apis', 'namespaced');
  const out = new Map<string, string>();
  for (const group of readdirSync(apis).filter((g: string) => statSync(join(apis, g)).isDirectory())) {
    for (const version of readdirSync(join(apis, group))) {
      const file = join(apis, group, version, 'zz_generated.resolvers.go');
      if (!existsSync(file)) continue;
      for (const fn of readFileSync(file, 'utf8').split(/^func \(mg \*/m).slice(1)) {
        const kind = `${group}.aws.m.upbound.io/${fn.slice(0, fn.indexOf(')'))}`;
        // One resolution per GetManagedResource call: its target kind, then the selector it reads.
        for (const call of fn.split('apisresolver.GetManagedResource(').slice(1)) {
          const target = call.match(/^"([^"]+)", "[^"]+", "([^"]+)"/);
          const selector = call.match(/Selector:\s+mg\.Spec\.ForProvider\.([\w.[\]]+)Selector,/);
          if (target && selector) out.set(`${kind}|${selector[1].replace(/\[i\d+\]/g, '').toLowerCase()}selector`, `${target[1]}/${target[2]}`);
        }
      }
    }
  }
  return out;
}

/** Every reference selector of the composed resources: its resource, path, and whether it sits inside a list. */
function selectors() {
  const out: { r: any; path: string[]; inList: boolean; selector: any }[] = [];
  const walk = (r: any, o: any, path: string[], inList: boolean) => {
    for (const [k, v] of Object.entries(o ?? {})) {
      if (Array.isArray(v)) v.forEach((x) => typeof x === 'object' && walk(r, x, [...path, k], true));
      else if (k.endsWith('Selector') && (v as any)?.matchLabels?.['paymentenv.io/component']) out.push({ r, path: [...path, k], inList, selector: v });
      else if (v && typeof v === 'object') walk(r, v, [...path, k], inList);
    }
  };
  for (const r of resources) if (r.base.apiVersion.includes('.aws.m.upbound.io/')) walk(r, r.base.spec.forProvider, [], false);
  return out;
}

test('every reference selector selects a resource of the kind the provider resolves it to', () => {
  const targets = resolverTargets();
  expect(targets.get('apigateway.aws.m.upbound.io/DomainName|regionalcertificatearnselector')).toBe('acm.aws.m.upbound.io/CertificateValidation');
  const kindOf = new Map(resources.map((r) => [r.name, `${r.base.apiVersion.split('/')[0]}/${r.base.kind}`]));
  const found = selectors();
  const wrong = found.flatMap(({ r, path, selector }) => {
    const want = targets.get(`${r.base.apiVersion.split('/')[0]}/${r.base.kind}|${path.join('.').toLowerCase()}`);
    const got = kindOf.get(selector.matchLabels['paymentenv.io/component']);
    return want === got ? [] : [`${r.name}: ${path.join('.')} selects ${got}, the provider resolves ${want ?? 'no reference here'}`];
  });
  expect(found.length).toBeGreaterThan(50);
  expect(wrong).toEqual([]);
});

// Crossplane applies a list as one atomic value: a selector inside it is resolved into the
// list by the reference resolver and removed again by the next Composition apply, forever
// (spec rewrites of the bucket encryption, replication and backup plan in npm run e2e:aws).
test('no reference selector sits inside a list', () => {
  expect(selectors().filter((s) => s.inList).map(({ r, path }) => `${r.name}: ${path.join('.')}`)).toEqual([]);
});

// The provider writes back the external name it derives from the Terraform ID (upjet's
// GetExternalNameFn); for a KMS alias that is the alias name without "alias/" (provider-aws
// config/externalname.go, kmsAlias). Set with the prefix, the Composition and the provider
// rewrote the annotation in turn, each write a reconcile and a ListAliases (~10 a minute per
// environment in npm run e2e:aws, on any poll).
test('a KMS alias has the external name the provider writes back: no "alias/" prefix', () => {
  const src = readFileSync(join(moduleDir('github.com/upbound/provider-aws/v2', PINS.PROVIDER_AWS_VERSION), 'config', 'externalname.go'), 'utf8');
  const fn = src.slice(src.indexOf('func kmsAlias()'));
  expect(fn.slice(0, fn.indexOf('\n}\n'))).toContain('strings.TrimPrefix(idStr, "alias/")');
  const aliases = resources.filter((r) => r.base.kind === 'Alias');
  const names = aliases.map((r) => r.patches.find((p: any) => p.toFieldPath === 'metadata.annotations[crossplane.io/external-name]')?.transforms[0].string.fmt);
  expect(names).toEqual(['payment-key-%s', 'payment-key-%s-dr']);
});

// crossplane-runtime saves the external name a provider learned in Observe only with
// LateInitialize; without it a restarted provider forgot the target group it created and asked
// Terraform to create it again, which refused ("ELBv2 Target Group (payment-api-dev) already
// exists": every tier's target group after the provider restart of npm run e2e:aws).
test('every resource without LateInitialize has its external name from the Composition', () => {
  const noLateInit = resources.filter((r) => {
    const policies = r.base.spec?.managementPolicies;
    return (policies && !policies.includes('LateInitialize')) || r.patches.some((p: any) => p.patchSetName === 'protect-data-no-late-init');
  });
  expect(noLateInit.map((r) => r.name)).toEqual(expect.arrayContaining(['alb-target-group', 'queue', 'drift-queue']));
  const missing = noLateInit.flatMap((r) => {
    const p = r.patches.find((x: any) => x.toFieldPath === 'metadata.annotations[crossplane.io/external-name]');
    if (!p) return [`${r.name}: no external-name patch`];
    // An id AWS assigns comes back from the XR field this resource writes it to.
    if (p.fromFieldPath?.startsWith('status.') && !r.patches.some((x: any) => x.type === 'ToCompositeFieldPath' && x.toFieldPath === p.fromFieldPath)) {
      return [`${r.name}: external name from ${p.fromFieldPath}, which it does not write`];
    }
    return [];
  });
  expect(missing).toEqual([]);
});

// Terraform's aws_api_gateway_deployment replaces itself when its triggers change, and the
// provider refuses a replacement (provider-upjet-aws#1061): a trigger from the claim's config
// hash left dev's deployment Synced False after the commit of npm run e2e:aws. The deployment
// is named after the API it snapshots instead, and the stage follows that name.
test('the API deployment takes nothing from the claim, is named after the API definition, and the stage uses it', () => {
  const deployments = resources.filter((r) => r.base.kind === 'Deployment' && r.base.apiVersion.startsWith('apigateway.'));
  expect(deployments).toHaveLength(1);
  const [d] = deployments;
  expect(d.base.spec.forProvider.triggers).toBeUndefined();
  expect((d.patches ?? []).filter((p: any) => String(p.toFieldPath).startsWith('spec.forProvider.triggers'))).toEqual([]);
  const definition = ['api', 'api-resource-proxy', 'api-method-proxy', 'api-integration-proxy'].map((name) => ({ name, base: resource(name).base, patches: resource(name).patches }));
  expect(d.name).toMatch(/^api-deployment-[0-9a-f]{8}$/);
  expect(deploymentName(definition)).toBe(deploymentName(structuredClone(definition)));
  // Another method (or path) is another snapshot: another deployment.
  const changed = definition.map((r) => (r.name === 'api-method-proxy' ? { ...r, base: { ...r.base, spec: { forProvider: { ...r.base.spec.forProvider, authorization: 'NONE' } } } } : r));
  expect(deploymentName(changed)).not.toBe(d.name);
  // The stage follows the deployment through the XR: a selector's resolved reference is kept, and
  // left the stage on the old deployment when a new one was composed (seen live).
  expect(d.patches).toContainEqual(expect.objectContaining({ type: 'ToCompositeFieldPath', fromFieldPath: 'status.atProvider.id', toFieldPath: 'status.api.deploymentId' }));
  const stage = resource('api-stage');
  expect(stage.base.spec.forProvider.deploymentIdSelector).toBeUndefined();
  expect(stage.patches).toContainEqual(expect.objectContaining({ fromFieldPath: 'status.api.deploymentId', toFieldPath: 'spec.forProvider.deploymentId' }));
});
