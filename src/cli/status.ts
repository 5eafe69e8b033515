// `payenv status [env]`
import { inventory } from '../ops/inventory';
import { statusJson, statusSummary, statusText } from '../ops/status';
import { flag, Parsed } from './args';
import { CONNECTION_HELP, connection, oneEnv, outputFormat, progress, render } from './ops';

export const help = `Usage: payenv status [env] [--tree] [-o text|json|yaml] [--watch [--interval 2]]

Every PaymentEnvironment on one line each: tier, Ready, ready/total per AWS area
(network, security, database, storage, compute, edge, observability) and the first
resource not ready with why. With <env> or --tree, the tree: the XR's Synced/Ready,
then its composed resources by area with Synced/Ready and why anything is not ready.
--watch redraws when something changes.

${CONNECTION_HELP}`;

export async function statusCommand(p: Parsed): Promise<number> {
  const env = oneEnv(p);
  const format = outputFormat(p, ['text', 'json', 'yaml']);
  const c = connection(p);
  const draw = async () => {
    const done = progress(`reading PaymentEnvironments from ${c.server}`);
    try {
      const invs = await inventory(c, env);
      return render(format, statusJson(invs), () => (env || p.flags.has('tree') ? statusText(invs) : statusSummary(invs)));
    } finally {
      done();
    }
  };
  if (!p.flags.has('watch')) {
    process.stdout.write(await draw());
    return 0;
  }
  const interval = Number(flag(p, 'interval') || '2') * 1000;
  let last = '';
  for (;;) {
    const out = await draw();
    if (out !== last) {
      process.stdout.write(`${process.stdout.isTTY ? '\x1b[2J\x1b[H' : ''}${new Date().toISOString()}\n${out}`);
      last = out;
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}
