// Observed state for `crossplane composition render --observed-resources`:
// what providers would report once AWS has created each composed resource.
// Status fields are written the way provider-upjet-aws writes them
// (status.atProvider.*, Ready/Synced conditions); the values are made up, the
// same on every render, so two renders differ only where their inputs do.
// Used by `payenv plan` (both sides converged) and by the tests.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parse, stringify } from 'yaml';
import { SETTINGS } from '../platform';
import { K8sObject, Rendered, renderEnvironment } from '../render';
import { FunctionServers } from '../tools';

/** The account synth writes on every claim (the provider reports ARNs in it). */
export const ACCOUNT = SETTINGS.awsAccountId;

export function atProvider(o: K8sObject, env: string): Record<string, unknown> {
  const region = o.spec?.forProvider?.region ?? 'us-east-1';
  const name = o.metadata.annotations?.['crossplane.io/external-name'] ?? o.spec?.forProvider?.name ?? o.metadata.name;
  const group = o.apiVersion.split('.')[0];
  const base = { id: `${o.kind.toLowerCase()}-${o.metadata.name}`, arn: `arn:aws:${group}:${region}:${ACCOUNT}:${o.kind.toLowerCase()}/${name}` };
  switch (`${group}/${o.kind}`) {
    case 'ec2/VPC': return { ...base, id: `vpc-0${env}` };
    // The zone name this account gives the AZ ID: made up from the slot letter.
    case 'ec2/Subnet': {
      const slot = o.metadata.annotations?.['crossplane.io/composition-resource-name'] ?? '';
      return { ...base, id: `subnet-${slot}`, availabilityZone: `${region}${slot.slice(-1)}` };
    }
    case 'rds/Cluster': return { ...base, endpoint: `payment-db-${env}.cluster-abc.${region}.rds.amazonaws.com`, masterUserSecret: [{ secretArn: `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:rds!cluster-${env}` }] };
    // A queue's external name is its URL (from the XR once observed); AWS names it forProvider.name.
    case 'sqs/Queue': {
      const queue = o.spec?.forProvider?.name ?? name;
      return { ...base, arn: `arn:aws:sqs:${region}:${ACCOUNT}:${queue}`, url: `https://sqs.${region}.amazonaws.com/${ACCOUNT}/${queue}` };
    }
    // As AWS writes them: app/<name>/<id> and targetgroup/<name>/<id>.
    case 'elbv2/LB': return { ...base, arn: `arn:aws:elasticloadbalancing:${region}:${ACCOUNT}:loadbalancer/app/${o.spec.forProvider.name}/50dc6c495c0c9188`, dnsName: `payment-alb-${env}-123.${region}.elb.amazonaws.com` };
    case 'elbv2/LBTargetGroup': return { ...base, arn: `arn:aws:elasticloadbalancing:${region}:${ACCOUNT}:targetgroup/${o.spec.forProvider.name}/73e2d6bc24d8a067` };
    // The certificate and its validation report the same ARN (the validation waits until it is issued).
    case 'acm/Certificate': {
      // One validation record per name, the domain and each alternative name (ACM's DNS validation).
      const domains = [o.spec?.forProvider?.domainName ?? 'example.com', ...(o.spec?.forProvider?.subjectAlternativeNames ?? [])];
      return {
        ...base, arn: `arn:aws:acm:${region}:${ACCOUNT}:certificate/${env}-certificate`, status: 'ISSUED',
        domainValidationOptions: domains.map((d, i) => ({ domainName: d, resourceRecordName: `_0a1b2c3d${i}.${d}.`, resourceRecordType: 'CNAME', resourceRecordValue: `_4e5f6a7b${i}.acm-validations.aws.` })),
      };
    }
    case 'acm/CertificateValidation': return { ...base, certificateArn: `arn:aws:acm:${region}:${ACCOUNT}:certificate/${env}-certificate` };
    case 'apigateway/Stage': return { ...base, invokeUrl: `https://abc123.execute-api.${region}.amazonaws.com/v1` };
    case 'apigateway/RestAPI': return { ...base, executionArn: `arn:aws:execute-api:${region}:${ACCOUNT}:abc123` };
    case 's3/Bucket': return { ...base, id: name };
    case 'sns/Topic': return { ...base, arn: `arn:aws:sns:${region}:${ACCOUNT}:${name}` };
    case 'kms/Key': return { ...base, arn: `arn:aws:kms:${region}:${ACCOUNT}:key/${o.metadata.name}`, keyId: o.metadata.name };
    default: return base;
  }
}

/** The ARN the observed provider status reports for one composed resource of a render. */
export function observedArn(r: Rendered, env: string, name: string): string {
  const o = r.resources.get(name);
  if (!o) throw new Error(`${env} has no composed resource ${name}`);
  return (atProvider(o, env) as { arn: string }).arn;
}

/** Composed resources the provider reports not Ready, or Ready but not Synced (it cannot reconcile them). */
export interface Broken { notReady?: string[]; notSynced?: string[] }

/** The rendered composed resources as a provider would report them: Ready and Synced unless listed. */
export function observe(rendered: Rendered, env: string, broken: Broken = {}): K8sObject[] {
  return [...rendered.resources.entries()].map(([name, o]) => {
    const ready = !broken.notReady?.includes(name);
    const synced = !broken.notSynced?.includes(name);
    return {
      ...o,
      status: {
        atProvider: atProvider(o, env),
        conditions: [
          synced ? { type: 'Synced', status: 'True', reason: 'ReconcileSuccess', lastTransitionTime: '2026-01-01T00:00:00Z' }
            : { type: 'Synced', status: 'False', reason: 'ReconcileError', message: 'connect failed: AccessDenied', lastTransitionTime: '2026-01-01T00:00:00Z' },
          { type: 'Ready', status: ready ? 'True' : 'False', reason: ready ? 'Available' : 'Creating', lastTransitionTime: '2026-01-01T00:00:00Z' },
        ],
      },
    };
  });
}

/**
 * Renders until nothing new appears: each pass feeds the previous pass's composed
 * resources back as observed and the XR status back into the XR, as Crossplane's
 * reconcile loop does. Returns the last pass and the observed directory it used.
 */
export async function converge(env: string, claimFile: string, servers: FunctionServers, broken: Broken = {}, maxPasses = 6, composition?: string, from?: Rendered) {
  const dir = mkdtempSync(join(tmpdir(), 'payenv-observed-'));
  const claim = parse(readFileSync(claimFile, 'utf8'));
  // `from`: what already exists (another render's converged state), as a live control plane starts
  // from the resources and XR status of the last change, not from nothing.
  let start: string | undefined;
  let xrFile0 = claimFile;
  if (from) {
    start = join(dir, '0');
    mkdirSync(start);
    writeFileSync(join(start, 'observed.yaml'), observe(from, env, broken).map((o) => stringify(o)).join('---\n'));
    xrFile0 = join(dir, 'xr-0.yaml');
    writeFileSync(xrFile0, stringify({ ...claim, status: from.xr.status }));
  }
  let rendered = await renderEnvironment(env, { servers, xrFile: xrFile0, composition, observed: start });
  for (let pass = 1; pass <= maxPasses; pass++) {
    const passDir = join(dir, String(pass));
    mkdirSync(passDir);
    writeFileSync(join(passDir, 'observed.yaml'), observe(rendered, env, broken).map((o) => stringify(o)).join('---\n'));
    const xrFile = join(dir, `xr-${pass}.yaml`);
    writeFileSync(xrFile, stringify({ ...claim, status: rendered.xr.status }));
    const next = await renderEnvironment(env, { servers, xrFile, observed: passDir, composition });
    const outputs = (r: Rendered) => JSON.stringify([[...r.resources.keys()].sort(), { ...r.xr.status, conditions: undefined }]);
    const stable = outputs(next) === outputs(rendered);
    rendered = next;
    if (stable && pass > 1) return { rendered, observedDir: passDir };
  }
  return { rendered, observedDir: join(dir, String(maxPasses)) };
}
