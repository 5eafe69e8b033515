// A new image reaches the ECS service. Task definition revisions are immutable and the
// provider refuses to replace one, so two slots take turns (src/composition/compute.ts).
// Each step is a real `crossplane composition render` pass, fed the previous pass's
// composed resources as a provider would report them, as Crossplane's loop does.
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { parse, stringify } from 'yaml';
import { TASK_SLOTS } from '../src/composition/compute';
import { claimFile, K8sObject, Rendered, renderEnvironment } from '../src/render';
import { FunctionServers, startFunctions } from '../src/tools';
import { ROOT_DIR } from '../src/versions';
import { tempDir } from './helpers';
import { converge, observe, observedArn } from './observe';

const env = 'dev';
let servers: FunctionServers;
let claim: any;
let converged: Rendered;

beforeAll(async () => {
  servers = await startFunctions(readFileSync(join(ROOT_DIR, 'dist/platform/functions.yaml'), 'utf8'));
  claim = parse(readFileSync(claimFile(env), 'utf8'));
  converged = (await converge(env, claimFile(env), servers)).rendered;
}, 300_000);

afterAll(async () => servers?.stop());

/** One reconcile: the claim as committed now, the composed resources as observed after `observed`. */
async function reconcile(appImage: string, observed: K8sObject[], status: unknown): Promise<Rendered> {
  const dir = tempDir('payenv-rollout-');
  mkdirSync(join(dir, 'observed'));
  writeFileSync(join(dir, 'observed', 'observed.yaml'), observed.map((o) => stringify(o)).join('---\n'));
  const xrFile = join(dir, 'xr.yaml');
  writeFileSync(xrFile, stringify({ ...claim, spec: { ...claim.spec, appImage }, status }));
  return renderEnvironment(env, { servers, xrFile, observed: join(dir, 'observed') });
}

const slots = (r: Rendered) => [...r.resources.keys()].filter((n) => (TASK_SLOTS as readonly string[]).includes(n));
const imageIn = (r: Rendered, slot: string) => JSON.parse(r.resources.get(slot)!.spec.forProvider.containerDefinitions)[0].image;
const arnOf = (r: Rendered, slot: string) => observedArn(r, env, slot);
const serviceTaskDefinition = (r: Rendered) => r.resources.get('ecs-service')!.spec.forProvider.taskDefinition;

test('a converged environment holds one task definition, and keeps it while the claim is unchanged', async () => {
  expect(slots(converged)).toEqual(['ecs-task-blue']);
  const again = await reconcile(claim.spec.appImage, observe(converged, env), converged.xr.status);
  expect(slots(again)).toEqual(['ecs-task-blue']);
  expect(serviceTaskDefinition(again)).toBe(arnOf(converged, 'ecs-task-blue'));
});

test('a new image registers a new revision in the other slot; the service follows once the old one is gone', async () => {
  const next = claim.spec.appImage.replace(/:[^:/]+$/, ':rollout-2');
  expect(next).not.toBe(claim.spec.appImage);

  // The claim changes: the stale blue revision leaves desired state (Crossplane deletes it),
  // green registers the new image. The service still runs blue's revision meanwhile.
  const changed = await reconcile(next, observe(converged, env), converged.xr.status);
  expect(slots(changed)).toEqual(['ecs-task-green']);
  expect(imageIn(changed, 'ecs-task-green')).toBe(next);
  expect(serviceTaskDefinition(changed)).toBe(arnOf(converged, 'ecs-task-blue'));

  // Green is registered and blue is gone: the XR takes green's ARN, and on the next
  // reconcile the service does (patches read the XR as observed), and stays.
  const registered = await reconcile(next, observe(changed, env), changed.xr.status);
  expect(registered.xr.status.ecs.taskDefinitionArn).toBe(arnOf(changed, 'ecs-task-green'));
  expect(arnOf(changed, 'ecs-task-green')).not.toBe(arnOf(converged, 'ecs-task-blue'));
  const rolled = await reconcile(next, observe(registered, env), registered.xr.status);
  expect(slots(rolled)).toEqual(['ecs-task-green']);
  expect(serviceTaskDefinition(rolled)).toBe(arnOf(changed, 'ecs-task-green'));

  // And back: the next change goes to the free blue slot.
  const back = await reconcile(claim.spec.appImage, observe(rolled, env), rolled.xr.status);
  expect(slots(back)).toEqual(['ecs-task-blue']);
  expect(imageIn(back, 'ecs-task-blue')).toBe(claim.spec.appImage);
}, 120_000);
