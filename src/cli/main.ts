// The `payenv` command: one file per subcommand; errors become one plain line.
import { parseArgs, UsageError } from './args';
import * as check from './check';
import * as promote from './promote';
import * as render from './render';
import * as validate from './validate';
import { ToolError } from '../tools';

interface Command { help: string; run: (p: ReturnType<typeof parseArgs>) => Promise<number>; valued?: string[]; aliases?: Record<string, string> }

const COMMANDS: Record<string, Command> = {
  validate: { help: validate.help, run: validate.validateCommand },
  render: { help: render.help, run: render.renderCommand, valued: ['observed'] },
  check: { help: check.help, run: check.checkCommand },
  promote: { help: promote.help, run: promote.promoteCommand },
};

const USAGE = `Usage: payenv <command> [options]

Commands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.help.split('\n')[2]}`).join('\n')}

Run "payenv <command> --help" for a command's options.`;

export async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    process.exitCode = name ? 0 : 2;
    return;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    console.error(`payenv: unknown command "${name}"\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  try {
    const parsed = parseArgs(rest, cmd.valued, cmd.aliases);
    if (parsed.flags.has('help') || parsed.flags.has('h')) {
      console.log(cmd.help);
      return;
    }
    process.exitCode = await cmd.run(parsed);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`payenv ${name}: ${e.message}\n\n${cmd.help}`);
      process.exitCode = 2;
    } else if (e instanceof ToolError) {
      console.error(`payenv ${name}: ${e.message}`);
      process.exitCode = 1;
    } else {
      console.error(`payenv ${name}: unexpected error: ${(e as Error).message}`);
      process.exitCode = 1;
    }
  }
}
