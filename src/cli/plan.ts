// `payenv plan [--base <ref>] [env...]`: what the working tree would do to each environment's AWS.
import { writeFileSync } from 'fs';
import { stringify } from 'yaml';
import { ValidationError } from '../validate';
import { ToolError } from '../tools';
import { defaultBase, plan, sideFromRef, sideFromWorkingTree } from '../plan';
import { exitCode, json, markdown, text } from '../plan/format';
import { flag, Parsed, UsageError } from './args';

export const help = `Usage: payenv plan [--base <git ref>] [env...] [-o text|json|yaml] [--markdown] [--out <file>]

What the working tree would do to each environment's AWS, against --base
(default: the merge base with main, else HEAD~1). Both sides are rendered with
the real Crossplane CLI and functions, each environment with the release its
claim selects on that side, converged; composed resources are matched by their
composition resource name:
  +    create               ~    update in place (each field, old -> new)
  -/+  replace              -    destroy
A replacement comes from the provider's own schema (src/plan/replacements.json,
scripts/replacements.sh) or a changed external name; provider-upjet-aws refuses
replacements, so the plan names the runbook. The ConfigHash tag every resource
carries is summarised in one line. Also listed: changes to what Argo CD applies
(Applications, projects, namespaces, RBAC, ProviderConfigs) and to the platform.

In a tier whose policy guards data (staging, prod), deleting or replacing a data
store or removing the environment is refused unless the environment's file
accepts it: metadata.annotations["paymentenv.io/accept-data-change"] with a line
"<resource name>: <reason>" ("environment: <reason>" to retire it).

--markdown  a pull request comment (one collapsible section per environment)
--out       also write the output to a file
Exit code: 0 no change, 2 changes, 3 refused, 1 error, 64 usage.`;

export async function planCommand(p: Parsed): Promise<number> {
  const format = p.flags.has('markdown') ? 'markdown' : flag(p, 'output') || 'text';
  if (!['text', 'json', 'yaml', 'markdown'].includes(format)) throw new UsageError(`-o must be one of text, json, yaml, got "${format}"`);
  const base = sideFromRef(flag(p, 'base') || defaultBase());
  let head;
  try {
    head = sideFromWorkingTree();
  } catch (e) {
    if (e instanceof ValidationError) throw new ToolError(`the working tree does not synthesize:\n${e.message}`);
    throw e;
  }
  const result = await plan(base, head, p.positionals);
  const out = format === 'json' ? json(result) : format === 'yaml' ? stringify(JSON.parse(json(result))) : format === 'markdown' ? markdown(result) : text(result);
  process.stdout.write(out);
  const file = flag(p, 'out');
  if (file) writeFileSync(file, out);
  return exitCode(result);
}
