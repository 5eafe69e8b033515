// The PaymentEnvironment API's names, apart from the XRD so that light code
// (validation, the CLI) does not load the imported Crossplane kinds.
export const XR_GROUP = 'platform.paymentenv.io';
export const XR_VERSION = 'v1alpha1';
export const XR_API_VERSION = `${XR_GROUP}/${XR_VERSION}`;
export const XR_KIND = 'PaymentEnvironment';
export const XR_PLURAL = 'paymentenvironments';
export const XRD_NAME = `${XR_PLURAL}.${XR_GROUP}`;
/** A provider-upjet-aws managed resource (namespaced, .aws.m.upbound.io), not an XR or a Kubernetes object. */
export const isAwsManaged = (o: { apiVersion: string }) => o.apiVersion.includes('.aws.m.upbound.io/');
/** The Composition's content digest: every CompositionRevision inherits it, every claim selects by it. */
export const DIGEST_LABEL = 'paymentenv.io/composition-digest';
/**
 * Adoption mode: while a claim carries this annotation ("true"), every managed resource it
 * composes is Observe-only, so no provider creates, changes or deletes anything in AWS until
 * `payenv adopt` has bound each one to what exists. Leaving adoption mode is a commit.
 */
export const ADOPT_ANNOTATION = 'paymentenv.io/adopt';
