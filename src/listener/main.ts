// The drift listener's process (dist/bootstrap/listener.yaml runs it; so does the local cluster):
//   node lib/src/listener/main.js [--kubeconfig F] [--context C] [--refresh-seconds 30]
//     [--metrics-port 8080] [--no-assume-roles]
// Metrics on :PORT/metrics (Prometheus text, prom-client), liveness on :PORT/healthz. SIGTERM stops it.
import { createServer } from 'http';
import { flag, parseArgs, UsageError } from '../cli/args';
import { connect, OpsError } from '../ops/kube';
import { Listener } from './daemon';

function positiveInt(name: string, v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`--${name}: "${v}" is not a positive whole number`);
  return Number(v);
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['kubeconfig', 'context', 'refresh-seconds', 'metrics-port']);
  const unknown = [...args.flags.keys()].filter((f) => !['kubeconfig', 'context', 'refresh-seconds', 'metrics-port', 'no-assume-roles'].includes(f));
  if (unknown.length || args.positionals.length) throw new UsageError(`unknown argument ${unknown.length ? `--${unknown[0]}` : args.positionals[0]}`);
  const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);
  const listener = new Listener(connect({ kubeconfig: flag(args, 'kubeconfig'), context: flag(args, 'context') }), {
    refreshSeconds: positiveInt('refresh-seconds', flag(args, 'refresh-seconds'), 30),
    assumeRoles: !args.flags.has('no-assume-roles'),
    log,
  });
  const port = positiveInt('metrics-port', flag(args, 'metrics-port'), 8080);
  const server = createServer((req, res) => {
    if (req.url === '/metrics') {
      listener.metrics.text().then((text) => res.writeHead(200, { 'content-type': listener.metrics.registry.contentType }).end(text),
        (e) => res.writeHead(500).end(`${(e as Error).message}\n`));
    }
    else if (req.url === '/healthz') res.writeHead(200).end('ok\n');
    else res.writeHead(404).end();
  }).listen(port);
  for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, () => listener.stop());
  log(`drift listener started (metrics on :${port})`);
  await listener.run();
  server.close();
  return 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code), (e) => {
  const known = e instanceof UsageError || e instanceof OpsError;
  console.error(`drift-listener: ${known ? e.message : (e as Error).stack}`);
  process.exit(known ? 2 : 1);
});
