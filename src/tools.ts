// The pinned upstream binaries in .tools/bin (built by scripts/install-tools.sh)
// and small helpers to run them as child processes.
import { execFile, spawn, ChildProcess } from 'child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'fs';
import { createServer, connect } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { parseAllDocuments, stringify } from 'yaml';
import { FUNCTIONS, ROOT_DIR } from './versions';

export const TOOLS_BIN = join(ROOT_DIR, '.tools', 'bin');
export const CRD_DIR = join(ROOT_DIR, '.cache', 'crds');

export class ToolError extends Error {}

export function tool(name: string): string {
  const path = join(TOOLS_BIN, name);
  if (!existsSync(path)) {
    throw new ToolError(`${name} is not built: run \`npm run tools\` (scripts/install-tools.sh builds the pinned version into .tools/bin)`);
  }
  return path;
}

export interface RunResult { stdout: string; stderr: string; code: number }

/** Runs a binary; resolves with its exit code instead of throwing on failure. */
export function run(bin: string, args: string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(bin, args, { maxBuffer: 256 * 1024 * 1024, timeout: opts.timeoutMs ?? 120_000, env: opts.env ?? process.env }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException).code === 'number' ? Number((err as NodeJS.ErrnoException).code) : 1) : 0;
      resolve({ stdout, stderr: stderr || (err && !stderr ? String(err.message) : ''), code });
    });
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export async function waitForPort(port: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new ToolError(`nothing listened on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

/** The composition functions, running as local processes for `crossplane composition render`. */
export interface FunctionServers {
  /** A functions.yaml whose Functions point render at the local processes. */
  readonly functionsFile: string;
  stop(): Promise<void>;
}

export async function startFunctions(functionsYaml: string): Promise<FunctionServers> {
  const dir = mkdtempSync(join(tmpdir(), 'payenv-fn-'));
  const children: ChildProcess[] = [];
  const docs = parseAllDocuments(functionsYaml).map((d) => d.toJS());
  const stop = async () => {
    await Promise.all(children.map((c) => new Promise<void>((resolve) => {
      if (c.exitCode !== null || c.signalCode !== null) return resolve();
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
    })));
  };
  try {
    // Start all functions at once; each binds its own free port.
    await Promise.all(Object.values(FUNCTIONS).map(async (f) => {
      const port = await freePort();
      const child = spawn(tool(f.name), ['--insecure', `--address=127.0.0.1:${port}`], { stdio: 'ignore' });
      children.push(child);
      await waitForPort(port);
      const doc = docs.find((d) => d.metadata.name === f.name);
      if (!doc) throw new ToolError(`functions file has no Function named ${f.name}`);
      doc.metadata.annotations = {
        ...doc.metadata.annotations,
        'render.crossplane.io/runtime': 'Development',
        'render.crossplane.io/runtime-development-target': `127.0.0.1:${port}`,
      };
    }));
  } catch (e) {
    await stop();
    throw e;
  }
  const functionsFile = join(dir, 'functions.yaml');
  writeFileSync(functionsFile, docs.map((d) => stringify(d)).join('---\n'));
  return { functionsFile, stop };
}
