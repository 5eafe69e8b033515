// Shared by the operations commands: connection flags like kubectl's and output format.
import { stringify } from 'yaml';
import { connect, Connection, OpsError } from '../ops/kube';
import { flag, Parsed, UsageError } from './args';

export const CONNECTION_HELP = `Connection (like kubectl):
  --kubeconfig <file>   kubeconfig to use (default: $KUBECONFIG, then ~/.kube/config)
  --context <name>      kubeconfig context to use`;

export { OPS_ALIASES, OPS_VALUED } from './ops-flags';

export function connection(p: Parsed): Connection {
  return connect({ kubeconfig: flag(p, 'kubeconfig') || undefined, context: flag(p, 'context') || undefined });
}

export function outputFormat(p: Parsed, allowed: string[]): string {
  const o = flag(p, 'output') || allowed[0];
  if (!allowed.includes(o)) throw new UsageError(`-o must be one of ${allowed.join(', ')}, got "${o}"`);
  return o;
}

export function render(format: string, value: unknown, text: () => string): string {
  if (format === 'json') return `${JSON.stringify(value, null, 2)}\n`;
  if (format === 'yaml') return stringify(value);
  return text();
}

/** Tells a person waiting on a slow cluster that something is happening. */
export function progress(message: string): () => void {
  if (!process.stderr.isTTY) return () => undefined;
  const timer = setTimeout(() => process.stderr.write(`${message}...\n`), 1000);
  return () => clearTimeout(timer);
}

export function oneEnv(p: Parsed): string | undefined {
  if (p.positionals.length > 1) throw new UsageError('at most one environment name');
  return p.positionals[0];
}

export { OpsError };
