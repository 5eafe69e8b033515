// The groups of npm run e2e:faults -- --aws, in the order they run (src/dev/e2e-faults-aws.ts);
// apart so the docs generator (bench/readme.ts) can name the ones a run left out.
export type AwsCaseGroup = 'kill' | 'outage' | 'throttle' | 'credentials' | 'lost-backup' | 'lost-git' | 'brownfield';
export const AWS_CASE_GROUPS: AwsCaseGroup[] = ['kill', 'outage', 'throttle', 'credentials', 'lost-backup', 'lost-git', 'brownfield'];
