// `payenv sync [env]`: ask Argo CD to read git now, as a git webhook would.
import { flag, Parsed } from './args';
import { CONNECTION_HELP, connection, oneEnv, OpsError } from './ops';

export const help = `Usage: payenv sync [env] [--argocd-namespace argocd]

Asks Argo CD to compare the environment's Application (or all paymentenv
Applications) with git now, instead of at its next poll (3 minutes by default):
the refresh annotation a git webhook would trigger. Automated sync then applies
what changed.

${CONNECTION_HELP}`;

export async function syncCommand(p: Parsed): Promise<number> {
  const c = connection(p);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { PatchStrategy } = require('@kubernetes/client-node');
  const namespace = flag(p, 'argocd-namespace') || 'argocd';
  const env = oneEnv(p);
  const names = env ? [`payments-${env}`] : ['paymentenv', 'paymentenv-platform',
    ...((await c.custom.listNamespacedCustomObject({ group: 'argoproj.io', version: 'v1alpha1', namespace, plural: 'applications' }).catch(() => ({ items: [] }))) as { items: { metadata: { name: string } }[] })
      .items.map((a) => a.metadata.name).filter((n) => n.startsWith('payments-'))];
  let refreshed = 0;
  for (const name of names) {
    try {
      await c.objects.patch({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace, annotations: { 'argocd.argoproj.io/refresh': 'normal' } } },
        undefined, undefined, 'payenv', undefined, PatchStrategy.MergePatch);
      console.log(`refresh requested: ${namespace}/${name}`);
      refreshed++;
    } catch (e) {
      if ((e as { code?: number }).code === 404) {
        if (env) throw new OpsError(`no Argo CD Application ${namespace}/${name}`);
        continue;
      }
      throw new OpsError(`cannot annotate ${namespace}/${name}: ${(e as Error).message}`);
    }
  }
  return refreshed ? 0 : 1;
}
