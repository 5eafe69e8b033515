// Flags of the operations commands, apart so `payenv --help` loads nothing heavy.
export const OPS_VALUED = ['kubeconfig', 'context', 'output', 'since', 'out', 'argocd-namespace', 'interval'];
export const OPS_ALIASES = { o: 'output' };
