// The observed state of src/plan/observe.ts, and every tier rendered to convergence for a test file.
import { readFileSync } from 'fs';
import { join } from 'path';
import { claimFile, Rendered } from '../src/render';
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
