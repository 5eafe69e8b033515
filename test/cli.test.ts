// payenv behaves like kubectl: unknown flags are errors naming them, usage errors exit with a
// code no command uses for a finding (64), help <command>, --version, one-line errors.
import { spawnSync } from 'child_process';
import { join } from 'path';
import { PINS, ROOT_DIR } from '../src/versions';

const payenv = (...args: string[]) => {
  const r = spawnSync(process.execPath, [join(ROOT_DIR, 'bin', 'payenv.js'), ...args], { encoding: 'utf8', env: { ...process.env, KUBECONFIG: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

test.each([
  ['plan', '--bogus', 'payenv plan: unknown flag "--bogus" (known: --base, --markdown, --out, --output)'],
  ['validate', '--strict', 'payenv validate: unknown flag "--strict" (this command takes none)'],
  ['drift', '--detail', 'payenv drift: unknown flag "--detail" (known: --argocd-namespace, --context, --details, --interval, --kubeconfig, --out, --output, --since)'],
])('%s %s: a usage error naming the flag, exit 64', (cmd, flag, message) => {
  const r = payenv(cmd, flag);
  expect(r.code).toBe(64);
  expect(r.err.split('\n')[0]).toBe(message);
});

test('a boolean flag given a value is a usage error', () => {
  const r = payenv('render', 'dev', '--latest=yes');
  expect(r.code).toBe(64);
  expect(r.err.split('\n')[0]).toBe('payenv render: --latest takes no value, got "yes"');
});

test('unknown command: 64 and the command list; no command: the usage, 64', () => {
  expect(payenv('apply').code).toBe(64);
  expect(payenv('apply').err).toMatch(/^payenv: unknown command "apply"\n\nUsage: payenv <command>/);
  expect(payenv().code).toBe(64);
});

test('payenv help <command> prints that command\'s help, as --help does; --version names the pins', () => {
  expect(payenv('help', 'plan').out).toBe(payenv('plan', '--help').out);
  expect(payenv('help', 'plan').out).toMatch(/^Usage: payenv plan /);
  expect(payenv('--version').out.trim()).toBe(`payenv 0.1.0 (Crossplane CLI ${PINS.CROSSPLANE_CLI_VERSION}, Crossplane ${PINS.CROSSPLANE_VERSION}, provider-upjet-aws ${PINS.PROVIDER_AWS_VERSION}, Argo CD ${PINS.ARGOCD_VERSION})`);
});

test('a missing kubeconfig says so in one line, exit 1', () => {
  const r = payenv('status', '--kubeconfig', '/nonexistent/kubeconfig');
  expect(r.code).toBe(1);
  expect(r.err).toBe('payenv status: cannot read kubeconfig /nonexistent/kubeconfig: ENOENT: no such file or directory, open \'/nonexistent/kubeconfig\'\n');
});

test('-o takes json and yaml wherever it is, and refuses anything else', () => {
  const r = payenv('status', '-o', 'xml', '--kubeconfig', '/nonexistent/kubeconfig');
  expect(r.code).toBe(64);
  expect(r.err.split('\n')[0]).toBe('payenv status: -o must be one of text, json, yaml, got "xml"');
});
