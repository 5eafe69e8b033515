// The `payenv` command: one file per subcommand; errors become one plain line.
import { parseArgs, Parsed, UsageError } from './args';
import { ToolError } from '../tools';
import { OPS_ALIASES, OPS_VALUED } from './ops-flags';
import { OpsError } from '../ops/errors';

// Commands load on demand: `payenv validate` need not load the Composition's 8 MB of kinds.
interface Command {
  summary: string; load: () => { help: string; run: (p: Parsed) => Promise<number> };
  /** Flags taking a value, and boolean flags: anything else is a usage error. */
  valued?: string[]; flags?: string[]; aliases?: Record<string, string>;
}

/** Exit code of a usage error: one no command uses for a finding (sysexits EX_USAGE). */
export const USAGE_EXIT = 64;

const COMMANDS: Record<string, Command> = {
  validate: { summary: 'Validate environments/*.yaml (or the given files).', load: () => { const m = require('./validate'); return { help: m.help, run: m.validateCommand }; }, flags: [] },
  render: { summary: 'Render one environment with the real crossplane composition render.', load: () => { const m = require('./render'); return { help: m.help, run: m.renderCommand }; }, valued: ['observed'], flags: ['results', 'latest'] },
  check: { summary: 'Validate every claim and rendered resource with crossplane resource validate.', load: () => { const m = require('./check'); return { help: m.help, run: m.checkCommand }; }, flags: [] },
  plan: { summary: 'What the working tree would do to each environment\'s AWS: create, update, replace, destroy (exit 2 changes, 3 refused).', load: () => { const m = require('./plan'); return { help: m.help, run: m.planCommand }; }, valued: ['base', 'output', 'out'], flags: ['markdown'], aliases: { o: 'output' } },
  promote: { summary: 'Pin tiers to the current Composition revision.', load: () => { const m = require('./promote'); return { help: m.help, run: m.promoteCommand }; }, flags: [] },
  revisions: { summary: 'Each release dist/ ships and its CompositionRevision; --restore on a new control plane.', load: () => { const m = require('./revisions'); return { help: m.help, run: m.revisionsCommand }; }, valued: OPS_VALUED, aliases: OPS_ALIASES, flags: ['restore'] },
  status: { summary: 'Live environments: one line each, or (with env or --tree) the tree of composed resources by AWS area.', load: () => { const m = require('./status'); return { help: m.help, run: m.statusCommand }; }, valued: OPS_VALUED, aliases: OPS_ALIASES, flags: ['tree', 'watch'] },
  drift: { summary: 'Converging, failing, drifted, corrected and unmanaged changes per environment (exit 2 on failing, drifted or unmanaged).', load: () => { const m = require('./drift'); return { help: m.help, run: m.driftCommand }; }, valued: OPS_VALUED, aliases: OPS_ALIASES, flags: ['details'] },
  parity: { summary: 'Differences between environments the tier policy does not explain (exit 2).', load: () => { const m = require('./parity'); return { help: m.help, run: m.parityCommand }; }, valued: OPS_VALUED, aliases: OPS_ALIASES, flags: ['all'] },
  sync: { summary: 'Ask Argo CD to read git now (what a git webhook does).', load: () => { const m = require('./sync'); return { help: m.help, run: m.syncCommand }; }, valued: OPS_VALUED, aliases: OPS_ALIASES, flags: [] },
  adopt: { summary: 'Bind a claim in adoption mode to what exists in AWS (external names from a payenv manifest backup, or looked up in AWS).', load: () => { const m = require('./adopt'); return { help: m.help, run: m.adoptCommand }; }, valued: [...OPS_VALUED, 'from'], aliases: OPS_ALIASES, flags: ['dry-run', 'lookup'] },
  manifest: { summary: 'Deployed inventory per environment (ARNs, endpoints, parameters) as JSON/YAML.', load: () => { const m = require('./manifest'); return { help: m.help, run: m.manifestCommand }; }, valued: OPS_VALUED, aliases: OPS_ALIASES, flags: [] },
};

const USAGE = `Usage: payenv <command> [options]

Commands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`).join('\n')}

Run "payenv help <command>" (or "payenv <command> --help") for a command's options;
"payenv --version" for the versions. A usage error exits ${USAGE_EXIT}.`;

/** payenv's version and the pinned upstream versions it renders and validates with. */
function version(): string {
  const { PINS, ROOT_DIR } = require('../versions');
  const { version: v } = require(`${ROOT_DIR}/package.json`);
  return `payenv ${v} (Crossplane CLI ${PINS.CROSSPLANE_CLI_VERSION}, Crossplane ${PINS.CROSSPLANE_VERSION}, provider-upjet-aws ${PINS.PROVIDER_AWS_VERSION}, Argo CD ${PINS.ARGOCD_VERSION})`;
}

export async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === 'version') {
    console.log(version());
    return;
  }
  if (name === 'help' && rest.length) {
    // payenv help <command>, as kubectl help <command>.
    const c = COMMANDS[rest[0]];
    if (c) { console.log(c.load().help); return; }
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    if (rest.length) console.error(`payenv: unknown command "${rest[0]}"\n`);
    console.log(USAGE);
    process.exitCode = !name || rest.length ? USAGE_EXIT : 0;
    return;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    console.error(`payenv: unknown command "${name}"\n\n${USAGE}`);
    process.exitCode = USAGE_EXIT;
    return;
  }
  const loaded = cmd.load();
  try {
    const parsed = parseArgs(rest, cmd.valued, cmd.aliases, cmd.flags ?? []);
    if (parsed.flags.has('help') || parsed.flags.has('h')) {
      console.log(loaded.help);
      return;
    }
    process.exitCode = await loaded.run(parsed);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`payenv ${name}: ${e.message}\n\n${loaded.help}`);
      process.exitCode = USAGE_EXIT;
    } else if (e instanceof ToolError || e instanceof OpsError) {
      console.error(`payenv ${name}: ${e.message}`);
      process.exitCode = 1;
    } else {
      console.error(`payenv ${name}: unexpected error: ${(e as Error).message}`);
      process.exitCode = 1;
    }
  }
}
