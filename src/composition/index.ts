// The PaymentEnvironment Composition: one Pipeline for every environment.
// Step 1 (function-patch-and-transform) renders every AWS area with the tier
// policy mapped from spec.tier; step 2 (function-cel-filter) drops resources
// the tier or the optional variables do not have. Step 1's readiness checks
// mark the XR Ready when every managed resource is Ready and Synced.
import { createHash } from 'crypto';
import {
  Composition, CompositionProps, CompositionSpecMode,
} from '../../imports/apiextensions.crossplane.io';
import { Filters } from '../../imports/cel.fn.crossplane.io';
import * as protection from '../../imports/protection.crossplane.io';
import {
  Resources, ResourcesResources, ResourcesResourcesPatchesTransformsType as TransformType, ResourcesResourcesReadinessChecksType,
} from '../../imports/pt.fn.crossplane.io';
import { COMMON } from '../policy';
import { TIERS } from '../schema';
import { FUNCTIONS } from '../versions';
import { WAVES } from '../waves';
import { ADOPT_ANNOTATION, DIGEST_LABEL } from '../names';
import { XR_API_VERSION, XR_KIND, XRD_NAME } from '../xrd';
import { compute } from './compute';
import { database } from './database';
import { edge } from './edge';
import { driftEvents } from './events';
import { network } from './network';
import { observability } from './observability';
import {
  COMPONENT_LABEL, CONFIG_HASH_ANNOTATION, ComposedResource, fromXR, Patch, PROVIDER_CONFIG_NAME, sel, tierValue,
} from './resource';
import { security } from './security';
import { storage } from './storage';

export const COMPOSITION_NAME = XRD_NAME;
export { DIGEST_LABEL };

/** Deletion of data stores would lose payments: tiers that keep data never delete them. */
export const KEEP_DATA_POLICIES = ['Observe', 'Create', 'Update', 'LateInitialize'];
const withoutLateInit = (policies: string[]) => policies.filter((p) => p !== 'LateInitialize');

/** Kinds whose deletion must wait for their users (protection.crossplane.io Usage). */
const USAGES: [of: string, by: string][] = [
  ['kms-key', 'db-cluster'],
  ['kms-key', 'table-sessions'],
  ['kms-key', 'table-transactions'],
  ['kms-key', 'audit-bucket'],
  ['vpc', 'db-cluster'],
];

/** Every composed resource of the stack, by area. */
export function composedResources(): ComposedResource[] {
  const all = [...network(), ...security(), ...database(), ...storage(), ...compute(), ...edge(), ...observability(), ...driftEvents()];
  const byName = new Map(all.map((r) => [r.name, r]));
  const usages: ComposedResource[] = USAGES.map(([of, by]) => {
    const kindOf = (n: string) => ({ apiVersion: byName.get(n)!.base.apiVersion, kind: byName.get(n)!.base.kind, resourceSelector: sel(n) });
    return {
      name: `usage-${of}-by-${by}`,
      area: byName.get(by)!.area,
      regional: false,
      tagged: false,
      tiers: byName.get(by)!.tiers,
      base: protection.Usage.manifest({ spec: { of: kindOf(of), by: kindOf(by), replayDeletion: true, reason: `${by} uses ${of}` } }),
    };
  });
  return [...all, ...usages];
}

/** Patches shared by many resources, referenced by name. */
const PATCH_SETS: { name: string; patches: Patch[] }[] = [
  { name: 'region', patches: [fromXR('spec.region', 'spec.forProvider.region')] },
  { name: 'dr-region', patches: [fromXR('spec.drRegion', 'spec.forProvider.region')] },
  {
    name: 'tags',
    patches: [
      fromXR('metadata.name', 'spec.forProvider.tags.Environment'),
      fromXR('spec.tier', 'spec.forProvider.tags.Tier'),
      fromXR('spec.costCenter', 'spec.forProvider.tags.CostCenter'),
      fromXR('spec.owner', 'spec.forProvider.tags.Owner'),
      fromXR('spec.dataClassification', 'spec.forProvider.tags.DataClassification'),
      fromXR(`metadata.annotations[${CONFIG_HASH_ANNOTATION}]`, 'spec.forProvider.tags.ConfigHash'),
    ],
  },
  { name: 'protect-data', patches: [tierValue('spec.managementPolicies', (p) => (p.dataDeletable ? ['*'] : KEEP_DATA_POLICIES))] },
  {
    // Observe only while the claim is in adoption mode (src/names.ts); without the annotation it does nothing.
    name: 'adopt',
    patches: [fromXR(`metadata.annotations[${ADOPT_ANNOTATION}]`, 'spec.managementPolicies', { type: TransformType.MAP, map: { true: ['Observe'] } as never })],
  },
  {
    name: 'protect-data-no-late-init',
    patches: [tierValue('spec.managementPolicies', (p) => withoutLateInit(p.dataDeletable ? ['Observe', 'Create', 'Update', 'Delete'] : KEEP_DATA_POLICIES))],
  },
];

export const MANDATORY_TAGS = { Project: COMMON.project, ManagedBy: COMMON.managedBy };

/**
 * Tag keys every tagged managed resource carries: the constants above and the XR's required
 * fields (the admission policy refuses a managed resource without them). ConfigHash is left
 * out: it follows an annotation a hand-applied claim may not have.
 */
export function requiredTagKeys(): string[] {
  const fromXr = PATCH_SETS.find((s) => s.name === 'tags')!.patches
    .filter((p) => !p.fromFieldPath?.startsWith('metadata.annotations'))
    .map((p) => p.toFieldPath!.split('.').pop()!);
  return [...fromXr, ...Object.keys(MANDATORY_TAGS)];
}

// A managed resource counts when it is Ready and Synced. Ready alone (function-auto-ready,
// crossplane-contrib/function-auto-ready#114) stays True while the provider cannot reconcile
// it (credentials, a refused update), and an environment that cannot correct drift is not Ready.
const MANAGED_READY = (['Ready', 'Synced'] as const).map((type) => ({
  type: ResourcesResourcesReadinessChecksType.MATCH_CONDITION, matchCondition: { type, status: 'True' },
}));
// A Usage is deletion-order bookkeeping, not part of the environment: it never gates readiness.
const USAGE_READY = [{ type: ResourcesResourcesReadinessChecksType.NONE }];

/** One P&T resource: base with labels, provider config and constant tags; shared patches first. */
function toPatchAndTransform(r: ComposedResource): ResourcesResources {
  const base = structuredClone(r.base);
  base.metadata = { ...base.metadata, labels: { ...base.metadata?.labels, [COMPONENT_LABEL]: r.name } };
  const isManaged = base.spec?.forProvider !== undefined;
  if (isManaged) {
    base.spec.providerConfigRef = { kind: 'ProviderConfig', name: r.providerConfig ?? PROVIDER_CONFIG_NAME };
    if (r.lateInitialize === false && !r.protectData) base.spec.managementPolicies = withoutLateInit(['Observe', 'Create', 'Update', 'Delete']);
    if (r.immutable) base.spec.managementPolicies = ['Observe', 'Create', 'Delete', ...(r.lateInitialize === false ? [] : ['LateInitialize'])];
    if (r.tagged !== false) base.spec.forProvider.tags = { ...base.spec.forProvider.tags, ...MANDATORY_TAGS };
  }
  const sets = [
    ...(isManaged && r.regional !== false ? [r.regionFrom === 'drRegion' ? 'dr-region' : 'region'] : []),
    ...(isManaged && r.tagged !== false ? ['tags'] : []),
    ...(r.protectData ? [r.lateInitialize === false ? 'protect-data-no-late-init' : 'protect-data'] : []),
  ];
  return {
    name: r.name,
    base,
    // Adoption mode last: it overrides every management policy above (src/names.ts ADOPT_ANNOTATION).
    patches: [...sets.map((patchSetName) => ({ type: 'PatchSet' as never, patchSetName })), ...(r.patches ?? []), ...(isManaged ? [{ type: 'PatchSet' as never, patchSetName: 'adopt' }] : [])],
    readinessChecks: base.kind === 'Usage' ? USAGE_READY : isManaged ? MANAGED_READY : undefined,
  };
}

/** CEL filters: a resource limited to some tiers, or to an optional variable, is kept only then. */
function filters(resources: ComposedResource[]) {
  const spec = 'observed.composite.resource.spec';
  return resources
    .filter((r) => (r.tiers && r.tiers.length < TIERS.length) || r.when)
    .map((r) => ({
      name: `^${r.name.replace(/[.]/g, '\\.')}$`,
      expression: [
        ...(r.tiers && r.tiers.length < TIERS.length ? [`${spec}.tier in [${r.tiers.map((t) => `'${t}'`).join(', ')}]`] : []),
        ...(r.when ? [`(${r.when})`] : []),
      ].join(' && '),
    }));
}

export function compositionProps(): CompositionProps {
  const resources = composedResources();
  const spec = {
    compositeTypeRef: { apiVersion: XR_API_VERSION, kind: XR_KIND },
    mode: CompositionSpecMode.PIPELINE,
    pipeline: [
      {
        step: 'render-aws-areas',
        functionRef: { name: FUNCTIONS.patchAndTransform.name },
        input: Resources.manifest({ patchSets: PATCH_SETS as never, resources: resources.map(toPatchAndTransform) }),
      },
      {
        step: 'keep-by-tier',
        functionRef: { name: FUNCTIONS.celFilter.name },
        input: Filters.manifest({ filters: filters(resources) }),
      },
    ],
  };
  const digest = createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 12);
  return {
    metadata: { name: COMPOSITION_NAME, labels: { [DIGEST_LABEL]: digest }, annotations: { 'argocd.argoproj.io/sync-wave': String(WAVES.composition) } },
    spec,
  };
}

export function compositionManifest() {
  return Composition.manifest(compositionProps());
}
