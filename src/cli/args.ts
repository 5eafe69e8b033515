// A small argument parser: positionals, --flag, --flag=value, --flag value, -o value.
export interface Parsed {
  readonly positionals: string[];
  readonly flags: Map<string, string | true>;
}

export class UsageError extends Error {}

/**
 * Parses argv. With `known` (the command's boolean flags), a flag that is neither known nor
 * valued is an error naming it, as kubectl's are; help is always known.
 */
export function parseArgs(argv: string[], valued: string[] = [], aliases: Record<string, string> = {}, known?: string[]): Parsed {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { positionals.push(...argv.slice(i + 1)); break; }
    if (!a.startsWith('-') || a === '-') { positionals.push(a); continue; }
    let [name, value] = a.replace(/^--?/, '').split(/=(.*)/s, 2) as [string, string | undefined];
    name = aliases[name] ?? name;
    if (known && !valued.includes(name) && !known.includes(name) && name !== 'help' && name !== 'h') {
      const all = [...valued, ...known].sort().map((f) => `--${f}`).join(', ');
      throw new UsageError(`unknown flag "${a.split('=')[0]}"${all ? ` (known: ${all})` : ' (this command takes none)'}`);
    }
    if (known && value !== undefined && known.includes(name)) throw new UsageError(`--${name} takes no value, got "${value}"`);
    if (value === undefined && valued.includes(name)) {
      value = argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
    }
    flags.set(name, value ?? true);
  }
  return { positionals, flags };
}

export function flag(p: Parsed, name: string): string | undefined {
  const v = p.flags.get(name);
  return v === true ? '' : v;
}
