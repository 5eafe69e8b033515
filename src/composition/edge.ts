// Edge: the REST API in front of the payment Lambda (throttling by tier,
// custom domain on the environment's certificate, TLS 1.2) and, in tiers with
// WAF, a WAFv2 web ACL on the API stage and the ALB.
import { createHash } from 'crypto';
import * as apigateway from '../../imports/apigateway.aws.m.upbound.io';
import * as wafv2 from '../../imports/wafv2.aws.m.upbound.io';
import { tiersWhere } from '../policy';
import { ComposedResource, envName, format, fromXR, fromXRRequired, PATCHED, sel, tierValue, toXR, waitsFor } from './resource';

export const API_STAGE = 'v1';

/**
 * The deployment is a snapshot of the API's resources, methods and integrations, and AWS
 * keeps serving the snapshot a stage points to. Its Terraform triggers force a replacement,
 * which the provider refuses ("refuse to update the external resource because the following
 * update requires replacing it", provider-upjet-aws#1061): a trigger from the claim's config
 * hash left the deployment Synced False after every commit (npm run e2e:aws). So the snapshot
 * is named after what it contains: a release that changes the API composes a new deployment,
 * the stage follows its id through the XR, and Crossplane deletes the old one; a claim change
 * redeploys nothing.
 */
export function deploymentName(definition: Pick<ComposedResource, 'name' | 'base' | 'patches'>[]): string {
  const hash = createHash('sha256').update(JSON.stringify(definition.map((r) => [r.name, r.base, r.patches ?? []]))).digest('hex').slice(0, 8);
  return `api-deployment-${hash}`;
}

function api(): ComposedResource[] {
  const onApi = { region: PATCHED, restApiIdSelector: sel('api') };
  const definition: ComposedResource[] = [
    {
      name: 'api',
      area: 'edge',
      base: apigateway.RestApi.manifest({
        spec: { forProvider: { region: PATCHED, endpointConfiguration: { types: ['REGIONAL'] }, disableExecuteApiEndpoint: false } },
      }),
      patches: [
        envName('spec.forProvider.name', 'payment-api-%s'),
        toXR('status.atProvider.executionArn', 'status.api.executionArn'),
      ],
    },
    {
      name: 'api-resource-proxy',
      area: 'edge',
      tagged: false,
      base: apigateway.Resource.manifest({ spec: { forProvider: { ...onApi, pathPart: '{proxy+}', parentIdSelector: sel('api') } } }),
    },
    {
      name: 'api-method-proxy',
      area: 'edge',
      tagged: false,
      base: apigateway.Method.manifest({
        spec: { forProvider: { ...onApi, resourceIdSelector: sel('api-resource-proxy'), httpMethod: 'ANY', authorization: 'AWS_IAM' } },
      }),
    },
    {
      name: 'api-integration-proxy',
      area: 'edge',
      tagged: false,
      base: apigateway.Integration.manifest({
        spec: {
          forProvider: {
            ...onApi, resourceIdSelector: sel('api-resource-proxy'), httpMethodSelector: sel('api-method-proxy'),
            type: 'AWS_PROXY', integrationHttpMethod: 'POST', uriSelector: sel('lambda'),
          },
        },
      }),
    },
  ];
  const deployment = deploymentName(definition);
  return [
    ...definition,
    {
      name: deployment,
      area: 'edge',
      tagged: false,
      base: apigateway.Deployment.manifest({ spec: { forProvider: { ...onApi, description: 'managed by paymentenv' } } }),
      // AWS refuses a deployment of an API without methods ("The REST API doesn't contain any
      // methods"; a method without integration: "No integration defined for method"), and the
      // API reference resolves before either exists: https://docs.aws.amazon.com/apigateway/latest/api/API_CreateDeployment.html
      when: waitsFor(deployment, 'api-integration-proxy'),
      patches: [toXR('status.atProvider.id', 'status.api.deploymentId')],
    },
    {
      name: 'api-stage',
      area: 'edge',
      base: apigateway.Stage.manifest({
        spec: { forProvider: { ...onApi, stageName: API_STAGE, xrayTracingEnabled: true } },
      }),
      patches: [
        // Through the XR, not a selector: a resolved reference is kept, so a selector would
        // leave the stage on the deployment it first found.
        fromXRRequired('status.api.deploymentId', 'spec.forProvider.deploymentId'),
        toXR('status.atProvider.invokeUrl', 'status.api.invokeUrl'),
        toXR('status.atProvider.arn', 'status.api.stageArn'),
        fromXRRequired('status.observability.apiLogGroupArn', 'spec.forProvider.accessLogSettings.destinationArn'),
        fromXR('metadata.name', 'spec.forProvider.accessLogSettings.format',
          format('{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","status":"$context.status","env":"%s"}')),
      ],
    },
    {
      name: 'api-throttling',
      area: 'edge',
      tagged: false,
      base: apigateway.MethodSettings.manifest({
        spec: {
          forProvider: {
            ...onApi, stageName: API_STAGE, methodPath: '*/*',
            settings: { metricsEnabled: true, loggingLevel: 'ERROR', dataTraceEnabled: false },
          },
        },
      }),
      patches: [
        tierValue('spec.forProvider.settings.throttlingRateLimit', (p) => p.apiRateLimit),
        tierValue('spec.forProvider.settings.throttlingBurstLimit', (p) => p.apiBurstLimit),
      ],
    },
    {
      name: 'api-domain',
      area: 'edge',
      base: apigateway.DomainName.manifest({
        spec: {
          forProvider: {
            region: PATCHED, securityPolicy: 'TLS_1_2', endpointConfiguration: { types: ['REGIONAL'] },
          },
        },
      }),
      patches: [
        // From the XR, not a selector: the provider resolves regionalCertificateArnSelector to
        // a CertificateValidation, not a Certificate (seen by npm run e2e:aws: "no resources
        // matched selector").
        fromXRRequired('status.certificateArn', 'spec.forProvider.regionalCertificateArn'),
        fromXR('spec.apiDomain', 'spec.forProvider.domainName'),
        toXR('spec.forProvider.domainName', 'status.api.url', format('https://%s')),
      ],
    },
    {
      name: 'api-domain-mapping',
      area: 'edge',
      tagged: false,
      base: apigateway.BasePathMapping.manifest({
        spec: { forProvider: { region: PATCHED, apiIdSelector: sel('api'), domainNameSelector: sel('api-domain'), stageName: API_STAGE } },
      }),
    },
  ];
}

/** AWS managed rule groups on the web ACL, in priority order, plus a per-IP rate limit. */
export const WAF_MANAGED_RULES = ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesSQLiRuleSet'];

function waf(): ComposedResource[] {
  const tiers = tiersWhere((p) => p.waf);
  const rules = [
    ...WAF_MANAGED_RULES.map((name, i) => ({
      Name: name, Priority: i, OverrideAction: { None: {} },
      Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: name } },
      VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: name },
    })),
    {
      Name: 'RateLimitPerIp', Priority: WAF_MANAGED_RULES.length, Action: { Block: {} },
      Statement: { RateBasedStatement: { Limit: 2000, AggregateKeyType: 'IP' } },
      VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: 'RateLimitPerIp' },
    },
  ];
  const association = (name: string, arnFrom: string): ComposedResource => ({
    name,
    area: 'edge',
    tiers,
    tagged: false,
    base: wafv2.WebAclAssociation.manifest({ spec: { forProvider: { region: PATCHED, webAclArnSelector: sel('waf') } } }),
    patches: [fromXRRequired(arnFrom, 'spec.forProvider.resourceArn')],
  });
  return [
    {
      name: 'waf',
      area: 'edge',
      tiers,
      base: wafv2.WebAcl.manifest({
        spec: {
          forProvider: {
            region: PATCHED, scope: 'REGIONAL', defaultAction: { allow: {} }, ruleJson: JSON.stringify(rules),
            visibilityConfig: { cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: 'payments' },
          },
        },
      }),
      patches: [envName('spec.forProvider.name', 'payment-waf-%s')],
    },
    association('waf-api', 'status.api.stageArn'),
    association('waf-alb', 'status.alb.arn'),
  ];
}

export function edge(): ComposedResource[] {
  return [...api(), ...waf()];
}
