// npm run e2e:aws: the AWS-layer proof (issue #8) needs a real provider-upjet-aws
// family binary built from source, and moto's server. This is the entry point;
// today it checks what is missing and says how to get it (see README, "AWS layer").
import { existsSync } from 'fs';
import { join } from 'path';
import { TOOLS_BIN } from '../tools';
import { ROOT_DIR } from '../versions';

export const FAMILIES = ['s3', 'sqs', 'dynamodb', 'kms'] as const;

function missing(): string[] {
  const out: string[] = [];
  for (const f of FAMILIES) {
    if (!existsSync(join(TOOLS_BIN, `provider-aws-${f}`))) out.push(`provider-aws-${f}: bash scripts/install-tools.sh provider-aws-${f}   (long, memory-hungry first build; GOFLAGS=-p=1 if memory runs short)`);
  }
  if (!existsSync(join(ROOT_DIR, '.tools', 'moto', 'bin', 'moto_server'))) {
    out.push("moto server: python3 -m venv .tools/moto && .tools/moto/bin/pip install 'moto[server]==5.2.5' boto3");
  }
  return out;
}

if (require.main === module) {
  const m = missing();
  if (m.length) {
    console.error(`e2e:aws needs what is not built yet:\n${m.map((x) => `  - ${x}`).join('\n')}`);
    process.exit(1);
  }
  console.error('e2e:aws: the provider and moto are present, but the AWS-layer e2e is not written yet (issue #8 is open)');
  process.exit(1);
}
