// The observed state of src/plan/observe.ts, and every tier rendered to convergence for a test file.
import { readFileSync } from 'fs';
import { join } from 'path';
import { claimFile, K8sObject, Rendered } from '../src/render';
import { converge } from '../src/plan/observe';
import { FunctionServers, startFunctions } from '../src/tools';
import { ROOT_DIR } from '../src/versions';

export { ACCOUNT, atProvider, converge, observe, observedArn } from '../src/plan/observe';
export type { Broken } from '../src/plan/observe';

/** Each environment's committed claim rendered to convergence; stop the servers when done. */
export async function convergeAll(envs: readonly string[]): Promise<{ rendered: Map<string, Rendered>; servers: FunctionServers }> {
  const servers = await startFunctions(readFileSync(join(ROOT_DIR, 'dist/platform/functions.yaml'), 'utf8'));
  const rendered = new Map<string, Rendered>();
  for (const env of envs) rendered.set(env, (await converge(env, claimFile(env), servers)).rendered);
  return { rendered, servers };
}

/** For a test file: every tier rendered to convergence once (beforeAll), servers stopped after. */
export function convergedTiers(envs: readonly string[]): Map<string, Rendered> {
  const rendered = new Map<string, Rendered>();
  let servers: FunctionServers | undefined;
  beforeAll(async () => {
    const r = await convergeAll(envs);
    servers = r.servers;
    for (const [env, x] of r.rendered) rendered.set(env, x);
  }, 300_000);
  afterAll(async () => servers?.stop());
  return rendered;
}

/**
 * For a test file: every tier rendered to convergence once, with accessors by composition
 * resource name (res: the object, fp: its spec.forProvider, has, all).
 */
export function renderedTiers(envs: readonly string[]) {
  const rendered = convergedTiers(envs);
  const res = (env: string, name: string): K8sObject => {
    const r = rendered.get(env)!.resources.get(name);
    if (!r) throw new Error(`${env} has no composed resource ${name}`);
    return r;
  };
  const fp = (env: string, name: string) => res(env, name).spec.forProvider;
  const has = (env: string, name: string) => rendered.get(env)!.resources.has(name);
  const all = (env: string) => [...rendered.get(env)!.resources.entries()];
  return { rendered, res, fp, has, all };
}

/** The composition resource name a selector picks. */
export const component = (sel: any): string | undefined => sel?.matchLabels?.['paymentenv.io/component'];
