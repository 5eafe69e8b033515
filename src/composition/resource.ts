// How one composed resource is described, and the patch helpers every AWS area
// uses. Patches are typed by the function-patch-and-transform input CRD
// (imports/pt.fn.crossplane.io.ts); bases by the provider CRDs.
import {
  ResourcesResources,
  ResourcesResourcesPatches as Patch,
  ResourcesResourcesPatchesTransforms as Transform,
  ResourcesResourcesPatchesType as PatchType,
  ResourcesResourcesPatchesTransformsType as TransformType,
  ResourcesResourcesPatchesTransformsStringType as StringType,
  ResourcesResourcesPatchesCombineStrategy as CombineStrategy,
  ResourcesResourcesPatchesPolicyToFieldPath as ToFieldPathPolicy,
  ResourcesResourcesPatchesPolicyFromFieldPath as FromFieldPathPolicy,
} from '../../imports/pt.fn.crossplane.io';
import { byTier, TierPolicy } from '../policy';
import { Tier } from '../schema';

export type { Patch };

/** AWS areas, used to group resources in files, in `payenv status` and in tests. */
export type Area = 'network' | 'database' | 'storage' | 'compute' | 'edge' | 'observability' | 'security';

/** Label on every composed resource: selectors find their peers by it. */
export const COMPONENT_LABEL = 'paymentenv.io/component';
/** Annotation synth puts on each claim: a content hash of its spec. */
export const CONFIG_HASH_ANNOTATION = 'paymentenv.io/config-hash';
export const EXTERNAL_NAME = 'crossplane.io/external-name';
/**
 * The annotation the drift listener changes to have one managed resource reconciled now:
 * crossplane-runtime's managed reconciler reconciles on any annotation change, and v2.3+
 * names this one for the purpose.
 */
export const RECONCILE_ANNOTATION = 'crossplane.io/reconcile-requested-at';
/** Annotation synth puts on each claim: the AWS account the environment lives in (a platform setting). */
export const ACCOUNT_ANNOTATION = 'paymentenv.io/aws-account-id';
/** The XR field path of that account id, for patches. */
export const ACCOUNT = `metadata.annotations[${ACCOUNT_ANNOTATION}]`;
/** The admin VPC's account, on claims that peer with it (the requester names the peer's owner). */
export const ADMIN_ACCOUNT_ANNOTATION = 'paymentenv.io/admin-account-id';
/**
 * Who accepts the admin peering, on claims that peer: `requester` when the admin VPC is in the
 * environment's own account (AWS accepts within one account and region on the requester's
 * autoAccept), `accepter` when it is in another (the accepter side, with its own role).
 */
export const ADMIN_PEERING_ACCEPTED_BY_ANNOTATION = 'paymentenv.io/admin-peering-accepted-by';
/**
 * Annotation synth puts on a claim whose apiDomain is in a public hosted zone the platform
 * manages records in (SETTINGS.dnsZones): the zone's id, where the certificate's DNS validation
 * record is composed. Without it a person adds the record (payenv status shows it).
 */
export const DNS_ZONE_ANNOTATION = 'paymentenv.io/dns-zone-id';
/** CEL: the composed resource exists already; a `when` with it never drops what was created (dropping deletes). */
const kept = (self: string) => `'${self}' in observed.resources`;

/** CEL for `when`: the XR field is set, or the resource exists already. */
export function xrFieldOrKept(xrField: string, self: string): string {
  return `has(observed.composite.resource.${xrField}) || ${kept(self)}`;
}

/**
 * CEL for `when`: compose `self` once `prerequisite` reports status.atProvider.<field> (AWS has
 * created it), and never drop `self` again once it exists. For a create AWS refuses until another
 * resource exists while the reference to it resolves earlier: a provider whose async create fails
 * may leave external-create-pending behind, which only a person clears (crossplane/upjet#561).
 * A function-cel-filter condition rather than a Required patch: function-patch-and-transform
 * marks the XR not Ready for every resource it holds back, also in tiers a later step drops it from.
 */
export function waitsFor(self: string, prerequisite: string, field = 'id'): string {
  const r = `observed.resources['${prerequisite}'].resource`;
  return `${kept(self)} || ('${prerequisite}' in observed.resources`
    + ` && has(${r}.status) && has(${r}.status.atProvider) && has(${r}.status.atProvider.${field}))`;
}
/** The environment's ProviderConfig (its deployer role), every managed resource's default. */
export const PROVIDER_CONFIG_NAME = 'aws';
/** The ProviderConfig of the admin peering's accepter side, in the admin VPC's account. */
export const ADMIN_PROVIDER_CONFIG_NAME = 'aws-admin-peering';

/** Placeholder for a required field that a patch always fills (spec.region is required). */
export const PATCHED = '';

export interface ComposedResource {
  /** Name in the Composition; also the value of the component label. */
  readonly name: string;
  readonly area: Area;
  /** The managed resource, built with the imported kind's `manifest()`. */
  readonly base: any;
  readonly patches?: Patch[];
  /** Exists only for these tiers (a function-cel-filter step drops it otherwise). */
  readonly tiers?: readonly Tier[];
  /** Exists only when this CEL is true: over function-cel-filter's observed and desired state (e.g. optional adminPeering). */
  readonly when?: string;
  /** Which spec field gives the region: drRegion for the DR replica. @default 'region' */
  readonly regionFrom?: 'region' | 'drRegion';
  /** False for global kinds without forProvider.region (IAM). @default true */
  readonly regional?: boolean;
  /** False for kinds without `tags` in forProvider. @default true */
  readonly tagged?: boolean;
  /** Prod data stores: management policies without Delete in tiers that keep data. */
  readonly protectData?: boolean;
  /**
   * False: no LateInitialize, for kinds whose late-initialized fields make the provider update
   * them every poll. The provider then persists no external name it learns itself
   * (crossplane-runtime saves what Observe learned only with LateInitialize), so the
   * Composition sets it: from the name, or for an AWS-assigned id with identityViaXR.
   * Nothing may select this resource (users take its ARN or URL through the XR). @default true
   */
  readonly lateInitialize?: boolean;
  /**
   * True for a kind whose every argument replaces it (an association): managementPolicies leave
   * Update out, since there is nothing to update in place. Adopted on a new control plane, the
   * provider's plan can show an argument AWS never reports (the VPC endpoint security group
   * association's replace_default_association, "" -> false) and refuse it as a replacement;
   * without Update it is Synced, and a deleted association is still created again. @default false
   */
  readonly immutable?: boolean;
  /** ProviderConfig the resource is managed with (default: the environment's, `aws`). */
  readonly providerConfig?: string;
}

/** A selector for another composed resource of the same XR. */
export function sel(component: string) {
  return { matchControllerRef: true, matchLabels: { [COMPONENT_LABEL]: component } };
}

export function fromXR(fromFieldPath: string, toFieldPath: string, ...transforms: Transform[]): Patch {
  return { type: PatchType.FROM_COMPOSITE_FIELD_PATH, fromFieldPath, toFieldPath, transforms: transforms.length ? transforms : undefined };
}

/** Same as fromXR, but the XR field must be set (e.g. outputs of other resources). */
export function fromXRRequired(fromFieldPath: string, toFieldPath: string, ...transforms: Transform[]): Patch {
  return { ...fromXR(fromFieldPath, toFieldPath, ...transforms), policy: { fromFieldPath: FromFieldPathPolicy.REQUIRED } };
}

/** An output of the composed resource into the XR's status. */
export function toXR(fromFieldPath: string, toFieldPath: string, ...transforms: Transform[]): Patch {
  return { type: PatchType.TO_COMPOSITE_FIELD_PATH, fromFieldPath, toFieldPath, transforms: transforms.length ? transforms : undefined };
}

/**
 * An AWS-assigned identifier (ARN, URL) of a resource without LateInitialize: written to the XR
 * and from there back as the resource's external name, so a restarted provider observes the
 * resource it created instead of creating it again (Terraform's CreateTargetGroup refuses a
 * name that exists: "ELBv2 Target Group (...) already exists", seen by npm run e2e:aws).
 */
export function identityViaXR(atProvider: string, xrField: string): Patch[] {
  return [toXR(`status.atProvider.${atProvider}`, xrField), fromXR(xrField, `metadata.annotations[${EXTERNAL_NAME}]`)];
}

/** A tier policy value mapped from spec.tier: the only way tier values enter the Composition. */
export function tierValue<T>(toFieldPath: string, pick: (p: TierPolicy) => T): Patch {
  return fromXR('spec.tier', toFieldPath, { type: TransformType.MAP, map: byTier(pick) });
}

/** Merge a per-tier object into toFieldPath: for fields that exist in some tiers only. */
export function tierFields(toFieldPath: string, pick: (p: TierPolicy) => Record<string, unknown>): Patch {
  return { ...tierValue(toFieldPath, pick), policy: { toFieldPath: ToFieldPathPolicy.MERGE_OBJECTS } };
}

/** A map transform: the source value picks the result. */
export function mapped(map: Record<string, unknown>): Transform {
  return { type: TransformType.MAP, map };
}

export function format(fmt: string): Transform {
  return { type: TransformType.STRING, string: { type: StringType.FORMAT, fmt } };
}

export function regexp(match: string, group: number): Transform {
  return { type: TransformType.STRING, string: { type: StringType.REGEXP, regexp: { match, group } } };
}

/** `fmt` filled with the environment name (the XR's metadata.name). */
export function envName(toFieldPath: string, fmt: string): Patch {
  return fromXR('metadata.name', toFieldPath, format(fmt));
}

/** Several XR fields through one format string. */
export function combine(toFieldPath: string, fmt: string, ...fromFieldPaths: string[]): Patch {
  return {
    type: PatchType.COMBINE_FROM_COMPOSITE,
    toFieldPath,
    combine: {
      strategy: CombineStrategy.STRING,
      string: { fmt },
      variables: fromFieldPaths.map((fromFieldPath) => ({ fromFieldPath })),
    },
    policy: { toFieldPath: ToFieldPathPolicy.REPLACE },
  };
}

/** The AWS name `payment-<service>-<env>` as the external name. */
/** Same as combine, but held back until every XR field is set (e.g. outputs of other resources). */
export function combineRequired(toFieldPath: string, fmt: string, ...fromFieldPaths: string[]): Patch {
  return { ...combine(toFieldPath, fmt, ...fromFieldPaths), policy: { fromFieldPath: FromFieldPathPolicy.REQUIRED } };
}

export function externalName(service: string): Patch {
  return envName(`metadata.annotations[${EXTERNAL_NAME}]`, `payment-${service}-%s`);
}

export function toResource(r: ComposedResource): ResourcesResources {
  return { name: r.name, base: r.base, patches: r.patches };
}
