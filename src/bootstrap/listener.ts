// dist/bootstrap/listener.yaml: the drift listener (src/listener/) in its own namespace, with
// what it may do: read the PaymentEnvironments and their managed resources everywhere; patch
// managed resources and write events only in the environments' namespaces, through the
// RoleBinding each environment's rbac.yaml carries (src/platform.ts). The local cluster
// runs the same command line with the same identity and RBAC (src/dev/cluster.ts).
import { ApiObject, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { XR_GROUP, XR_PLURAL } from '../names';
import { LISTENER_RBAC, managedResourceNames, SETTINGS } from '../platform';

export const LISTENER = {
  namespace: SETTINGS.listenerNamespace,
  ...LISTENER_RBAC,
  readRole: 'paymentenv-drift-listener-read',
  metricsPort: 8080,
  /** Every 30 s the listener re-reads the environments and their managed resources (one list per kind). */
  args: ['node', 'lib/src/listener/main.js', '--refresh-seconds=30', '--metrics-port=8080'],
} as const;

/** The managed kinds of the Composition, by API group. */
function managedKinds(): kplus.ApiResource[] {
  return managedResourceNames().map((n) => {
    const [plural, ...group] = n.split('.');
    return kplus.ApiResource.custom({ apiGroup: group.join('.'), resourceType: plural });
  });
}

export function listenerObjects(chart: Chart): unknown[] {
  const ns = new kplus.Namespace(chart, 'listener-namespace', { metadata: { name: LISTENER.namespace } });
  const sa = new kplus.ServiceAccount(chart, 'listener-sa', {
    metadata: { name: LISTENER.serviceAccount, namespace: LISTENER.namespace },
    automountToken: true,
  });
  const read = new kplus.ClusterRole(chart, 'listener-read', { metadata: { name: LISTENER.readRole } });
  // Usages are among an XR's resourceRefs, which the listener lists to find its managed resources.
  read.allowRead(kplus.ApiResource.custom({ apiGroup: XR_GROUP, resourceType: XR_PLURAL }), kplus.ApiResource.custom({ apiGroup: 'protection.crossplane.io', resourceType: 'usages' }), ...managedKinds());
  const readBinding = new kplus.ClusterRoleBinding(chart, 'listener-read-binding', { metadata: { name: LISTENER.readRole }, role: read });
  readBinding.addSubjects(sa);
  const reconcile = new kplus.ClusterRole(chart, 'listener-reconcile', { metadata: { name: LISTENER.reconcileRole } });
  reconcile.allow(['patch'], ...managedKinds());
  reconcile.allow(['create'], kplus.ApiResource.EVENTS);
  const deployment = new kplus.Deployment(chart, 'listener', {
    metadata: { name: 'drift-listener', namespace: LISTENER.namespace },
    replicas: 1,
    serviceAccount: sa,
    automountServiceAccountToken: true,
    containers: [{
      name: 'listener',
      image: SETTINGS.listenerImage,
      command: [...LISTENER.args],
      portNumber: LISTENER.metricsPort,
      liveness: kplus.Probe.fromHttpGet('/healthz', { port: LISTENER.metricsPort }),
      resources: {
        cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(500) },
        memory: { request: Size.mebibytes(128), limit: Size.mebibytes(512) },
      },
    }],
  });
  return [ns, sa, read, readBinding, reconcile, deployment].map((c) => ApiObject.of(c).toJson());
}
