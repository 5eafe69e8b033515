// dist/bootstrap/admission.yaml: ValidatingAdmissionPolicies the API server enforces in the
// environments' namespaces, so what Argo CD and Crossplane would revert after the fact is
// refused before it happens. Who may write what:
//   claims (PaymentEnvironment) and ProviderConfigs: Argo CD's application controller;
//   managed resources: Crossplane (its service accounts, providers included);
//   both: the break-glass group, each such write audited; the cluster's own controllers
//   (garbage collector, namespace deletion) in every case.
// Nobody but Crossplane picks a claim's Composition; a managed resource without the
// mandatory tags, or a ProviderConfig assuming a role in another account (but the admin
// peering's accepter role), is refused.
import { Chart } from 'cdk8s';
import {
  KubeValidatingAdmissionPolicy, KubeValidatingAdmissionPolicyBinding, NamedRuleWithOperations, Validation,
} from '../../imports/k8s';
import { ARGOCD } from '../argocd';
import { composedResources, requiredTagKeys } from '../composition';
import { XR_GROUP, XR_PLURAL } from '../names';
import { EXTERNAL_NAME, RECONCILE_ANNOTATION } from '../composition/resource';
import { accountId, ADMIN_PROVIDER_CONFIG_NAME, LISTENER_RBAC, peeringAccepterRoleArn, pluralOf, SETTINGS } from '../platform';
import { Environment, namespaceOf } from '../validate';

/** The identities the policies name; the local control plane runs each component as one. */
export const IDENTITIES = {
  argocdController: `system:serviceaccount:${ARGOCD.namespace}:${ARGOCD.controllerServiceAccount}`,
  /** Crossplane core, its RBAC manager and every provider run as service accounts of its namespace. */
  crossplanePrefix: `system:serviceaccount:${SETTINGS.crossplaneNamespace}:`,
  controllerManager: 'system:kube-controller-manager',
  kubeSystemPrefix: 'system:serviceaccount:kube-system:',
  /** The drift listener (dist/bootstrap/listener.yaml). */
  listener: `system:serviceaccount:${SETTINGS.listenerNamespace}:${LISTENER_RBAC.serviceAccount}`,
} as const;

export const POLICY = {
  gitOnly: 'paymentenv-git-only',
  crossplaneOnly: 'paymentenv-crossplane-only',
  tags: 'paymentenv-mandatory-tags',
} as const;

const NAMESPACE_PREFIX = namespaceOf('');
const q = (s: string) => `'${s}'`;
const list = (xs: readonly string[]) => `[${xs.map(q).join(', ')}]`;

/** Who is writing, as CEL variables every policy shares. */
const WHO = [
  { name: 'user', expression: 'request.userInfo.username' },
  { name: 'argocd', expression: `variables.user == ${q(IDENTITIES.argocdController)}` },
  { name: 'crossplane', expression: `variables.user.startsWith(${q(IDENTITIES.crossplanePrefix)})` },
  {
    name: 'cluster',
    expression: `variables.user == ${q(IDENTITIES.controllerManager)} || variables.user.startsWith(${q(IDENTITIES.kubeSystemPrefix)})`,
  },
  { name: 'breakGlass', expression: `has(request.userInfo.groups) && ${q(SETTINGS.breakGlassGroup)} in request.userInfo.groups` },
];

/** The audit event of a break-glass write names who wrote what (kube-apiserver audit log, Metadata level); '' adds no annotation. */
const BREAK_GLASS_AUDIT = [{
  key: 'break-glass',
  valueExpression: "variables.breakGlass && !(variables.argocd || variables.crossplane || variables.cluster) ? "
    + "variables.user + ' ' + request.operation + ' ' + request.resource.resource + ' ' + request.namespace + '/' + request.name : ''",
}];

const WRITES = ['CREATE', 'UPDATE', 'DELETE'];

/** CEL: spec.crossplane.<field> of the claim is what it was (absent on create). */
function unchanged(field: string): string {
  const has = (o: string) => `has(${o}.spec.crossplane) && has(${o}.spec.crossplane.${field})`;
  return `(${has('object')} ? request.operation == 'UPDATE' && ${has('oldObject')} && object.spec.crossplane.${field} == oldObject.spec.crossplane.${field}`
    + ` : request.operation == 'CREATE' || !(${has('oldObject')}))`;
}

/** CEL: metadata.<field> of the object is what it was. */
const same = (field: string) => `(has(object.metadata.${field}) ? has(oldObject.metadata.${field}) && object.metadata.${field} == oldObject.metadata.${field} : !has(oldObject.metadata.${field}))`;

/** CEL: every annotation of a, but `key` (the reconcile request), is in b with the same value. */
const annotationsBut = (a: string, b: string, key = RECONCILE_ANNOTATION) => `(!has(${a}.metadata.annotations) || ${a}.metadata.annotations.all(k, k == ${q(key)}`
  + ` || (has(${b}.metadata.annotations) && k in ${b}.metadata.annotations && ${b}.metadata.annotations[k] == ${a}.metadata.annotations[k])))`;

/** CEL: the managed resource carries tag KEY (an expression) with a value. */
const hasTag = (key: string) => `has(object.spec.forProvider.tags) && ${key} in object.spec.forProvider.tags && object.spec.forProvider.tags[${key}] != ''`;
const ONLY_ENVIRONMENTS = [{ name: 'environment-namespaces', expression: `request.namespace.startsWith(${q(NAMESPACE_PREFIX)})` }];

/** Managed kinds by API group; `tagged` keeps the kinds every composed instance of which is tagged. */
function managedRules(operations: string[], tagged = false): NamedRuleWithOperations[] {
  const byGroup = new Map<string, Set<string>>();
  const untagged = new Set(composedResources().filter((r) => r.tagged === false).map((r) => r.base.kind));
  for (const r of composedResources()) {
    const group = r.base.apiVersion.split('/')[0];
    if (!group.endsWith('.aws.m.upbound.io') || (tagged && untagged.has(r.base.kind))) continue;
    byGroup.set(group, (byGroup.get(group) ?? new Set()).add(pluralOf(r.base.kind)));
  }
  return [...byGroup].sort(([a], [b]) => a.localeCompare(b))
    .map(([group, resources]) => ({ apiGroups: [group], apiVersions: ['*'], resources: [...resources].sort(), operations }));
}

function policy(chart: Chart, name: string, rules: NamedRuleWithOperations[], validations: Validation[], extra: object = {}) {
  const p = new KubeValidatingAdmissionPolicy(chart, name, {
    metadata: { name },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: { resourceRules: rules },
      matchConditions: ONLY_ENVIRONMENTS,
      variables: WHO,
      validations,
      ...extra,
    },
  });
  const binding = new KubeValidatingAdmissionPolicyBinding(chart, `${name}-binding`, {
    metadata: { name },
    spec: { policyName: name, validationActions: ['Deny'] },
  });
  return [p.toJson(), binding.toJson()];
}

export function admissionObjects(chart: Chart, envs: Environment[]): unknown[] {
  const accounts = `{${envs.map((e) => `${q(namespaceOf(e.name))}: ${q(accountId(e))}`).join(', ')}}`;
  const accepters = `{${envs.filter((e) => e.spec.adminPeering).map((e) => `${q(namespaceOf(e.name))}: ${q(peeringAccepterRoleArn(e))}`).join(', ')}}`;
  const gitOnly = policy(chart, POLICY.gitOnly, [
    { apiGroups: [XR_GROUP], apiVersions: ['*'], resources: [XR_PLURAL], operations: WRITES },
    { apiGroups: ['aws.m.upbound.io'], apiVersions: ['*'], resources: ['providerconfigs'], operations: WRITES },
  ], [
    {
      expression: 'variables.argocd || variables.crossplane || variables.cluster || variables.breakGlass',
      messageExpression: `request.resource.resource + ' in ' + request.namespace + ' change only through git (Argo CD applies them); '
        + variables.user + ' is neither Argo CD nor in the break-glass group ${SETTINGS.breakGlassGroup}'`,
      reason: 'Forbidden',
    },
    {
      // Crossplane selects the Composition (revision) itself; a hand-set or removed reference
      // bypasses promotion (the claim's compositionRevisionSelector in git).
      expression: `request.resource.resource != ${q(XR_PLURAL)} || request.operation == 'DELETE' || variables.crossplane
        || (${unchanged('compositionRef')} && ${unchanged('compositionRevisionRef')})`,
      message: 'spec.crossplane.compositionRef and compositionRevisionRef are chosen by Crossplane from the claim\'s compositionRevisionSelector (payenv promote); they are not set by hand',
      reason: 'Forbidden',
    },
    {
      expression: `request.resource.resource != 'providerconfigs' || request.operation == 'DELETE'
        || (object.metadata.name == ${q(ADMIN_PROVIDER_CONFIG_NAME)} ? variables.roles.all(r, r == variables.accepterRole) : variables.roles.all(r, r.startsWith(variables.accountArn)))`,
      messageExpression: `object.metadata.name == ${q(ADMIN_PROVIDER_CONFIG_NAME)}
        ? 'the ProviderConfig ${ADMIN_PROVIDER_CONFIG_NAME} in ' + request.namespace + ' may assume ' + (variables.accepterRole == '' ? 'no role (the environment does not peer)' : variables.accepterRole + ' only')
        : 'a ProviderConfig in ' + request.namespace + ' may assume roles of its environment\\'s account only (' + variables.accountArn + '*)'`,
      reason: 'Forbidden',
    },
  ], {
    variables: [
      ...WHO,
      { name: 'accounts', expression: accounts },
      { name: 'accepterRoles', expression: accepters },
      { name: 'accepterRole', expression: 'request.namespace in variables.accepterRoles ? variables.accepterRoles[request.namespace] : \'\'' },
      {
        // Every role the ProviderConfig assumes: its chain and its web identity.
        name: 'roles',
        expression: `(has(object.spec.assumeRoleChain) ? object.spec.assumeRoleChain.map(r, has(r.roleARN) ? r.roleARN : '') : [])
          + (has(object.spec.credentials) && has(object.spec.credentials.webIdentity) && has(object.spec.credentials.webIdentity.roleARN)
            ? [object.spec.credentials.webIdentity.roleARN] : [])`,
      },
      {
        name: 'accountArn',
        expression: `'arn:aws:iam::' + (request.namespace in variables.accounts ? variables.accounts[request.namespace] : ${q(SETTINGS.awsAccountId)}) + ':'`,
      },
    ],
    auditAnnotations: BREAK_GLASS_AUDIT,
  });
  const crossplaneOnly = policy(chart, POLICY.crossplaneOnly, managedRules(WRITES), [{
    expression: 'variables.crossplane || variables.cluster || variables.breakGlass || variables.reconcileRequestOnly || variables.adoptBinding',
    messageExpression: `'managed resources in ' + request.namespace + ' are written by Crossplane only; change the claim in git instead ('
      + variables.user + ' is not in the break-glass group ${SETTINGS.breakGlassGroup}; payenv adopt may only name an Observe-only resource that has no external name yet, or ask for its reconcile)'`,
    reason: 'Forbidden',
  }], {
    variables: [
      ...WHO,
      { name: 'listener', expression: `variables.user == ${q(IDENTITIES.listener)}` },
      {
        // A reconcile request: an update that changes the one annotation and nothing else. The drift
        // listener sends them; payenv adopt too, to Observe-only resources (crossplane-runtime#791).
        name: 'reconcileRequestOnly',
        expression: `(variables.listener || (has(object.spec.managementPolicies) && object.spec.managementPolicies == ['Observe']))
          && request.operation == 'UPDATE' && object.spec == oldObject.spec
          && ${same('labels')} && ${same('finalizers')} && ${same('ownerReferences')}
          && ${annotationsBut('object', 'oldObject')} && ${annotationsBut('oldObject', 'object')}`,
      },
      {
        // payenv adopt binds a resource composed in adoption mode to what exists in AWS: it gives an
        // Observe-only resource without an external name one, and changes nothing else. Nothing is
        // written to AWS until the claim leaves adoption mode (a commit).
        name: 'adoptBinding',
        expression: `request.operation == 'UPDATE' && object.spec == oldObject.spec
          && has(object.spec.managementPolicies) && object.spec.managementPolicies == ['Observe']
          && !(has(oldObject.metadata.annotations) && ${q(EXTERNAL_NAME)} in oldObject.metadata.annotations && oldObject.metadata.annotations[${q(EXTERNAL_NAME)}] != '')
          && ${same('labels')} && ${same('finalizers')} && ${same('ownerReferences')}
          && ${annotationsBut('object', 'oldObject', EXTERNAL_NAME)} && ${annotationsBut('oldObject', 'object', EXTERNAL_NAME)}`,
      },
    ],
    auditAnnotations: BREAK_GLASS_AUDIT,
  });
  const keys = requiredTagKeys();
  const tags = policy(chart, POLICY.tags, managedRules(['CREATE', 'UPDATE'], true), [
    {
      expression: `${list(keys)}.all(k, ${hasTag('k')})`,
      messageExpression: `'spec.forProvider.tags must carry ${keys.join(', ')}; missing: ' + ${list(keys)}.filter(k, !(${hasTag('k')})).join(', ')`,
      reason: 'Invalid',
    },
    {
      expression: `!(${hasTag("'Environment'")}) || ${q(NAMESPACE_PREFIX)} + object.spec.forProvider.tags['Environment'] == request.namespace`,
      messageExpression: `'spec.forProvider.tags.Environment must name this namespace\\'s environment (' + request.namespace + ')'`,
      reason: 'Invalid',
    },
  ]);
  return [...gitOnly, ...crossplaneOnly, ...tags];
}
