// `payenv validate [files...]`: the synth-time validation, on its own.
import { crossEnvironmentProblems, environmentFiles, formatProblem, validateFile } from '../validate';
import { Parsed } from './args';

export const help = `Usage: payenv validate [files...]

Validates environment files (default: environments/*.yaml) against the
allowed-variable schema, and the rules across files (no overlapping vpcCidr,
no apiDomain used twice).
Prints one line per problem, "<file>: <field path>: <what is wrong>".
Exit code: 0 when all are valid, 1 otherwise.`;

export async function validateCommand(p: Parsed): Promise<number> {
  const files = p.positionals.length ? p.positionals : environmentFiles();
  const results = files.map((f) => validateFile(f));
  const envs = results.flatMap((r) => (r.env ? [r.env] : []));
  const problems = [...results.flatMap((r) => r.problems), ...crossEnvironmentProblems(envs)];
  for (const problem of problems) console.log(formatProblem(problem));
  if (problems.length) {
    console.error(`${problems.length} problem(s) in ${new Set(problems.map((x) => x.file)).size} of ${files.length} file(s)`);
    return 1;
  }
  console.error(`${files.length} environment file(s) valid`);
  return 0;
}
