// Argo CD sync waves: packages before definitions, definitions before the
// namespaces and ProviderConfigs, and those before the claims.
export const WAVES = {
  packages: -30, runtime: -30, activation: -25, xrd: -20, composition: -10, namespace: -5, providerConfig: 0, claim: 10,
} as const;

export const wave = (w: number) => ({ 'argocd.argoproj.io/sync-wave': String(w) });
