// The PaymentEnvironment XRD (Crossplane v2, namespaced). Its spec schema is
// generated from src/schema.ts, so the API server enforces the same rules as
// `payenv validate`.
import {
  CompositeResourceDefinitionV2,
  CompositeResourceDefinitionV2Props,
  CompositeResourceDefinitionV2SpecScope,
} from '../imports/apiextensions.crossplane.io';
import { WAVES } from './waves';
import { FIELD_RULES, FieldSchema, IMMUTABLE_FIELDS, IMMUTABLE_MESSAGE, ObjectSchema, REQUIRED_FIELDS, SPEC_FIELDS, SPEC_RULES } from './schema';

import { XR_GROUP, XR_KIND, XR_PLURAL, XR_VERSION, XRD_NAME } from './names';

export { XR_API_VERSION, XR_GROUP, XR_KIND, XR_PLURAL, XR_VERSION, XRD_NAME } from './names';

function fieldSchema(path: string, f: FieldSchema | ObjectSchema): Record<string, unknown> {
  if (f.type === 'object') {
    return {
      type: 'object',
      description: f.description,
      required: [...f.required],
      properties: Object.fromEntries(Object.entries(f.properties).map(([k, v]) => [k, fieldSchema(`${path}.${k}`, v)])),
    };
  }
  const rules = [
    ...FIELD_RULES.filter((r) => r.field === path),
    // A transition rule: checked on update only, against the stored value.
    ...IMMUTABLE_FIELDS.filter((r) => r.field === path).map(() => ({ cel: 'self == oldSelf', message: IMMUTABLE_MESSAGE })),
  ];
  return {
    type: 'string',
    description: f.description,
    ...(f.enum ? { enum: [...f.enum] } : {}),
    ...(f.maxLength ? { maxLength: f.maxLength } : {}),
    // Patterns become CEL rules so the API server's message says what is expected.
    ...(f.pattern || rules.length ? {
      'x-kubernetes-validations': [
        ...(f.pattern ? [{ rule: `self.matches('${f.pattern.replace(/\\/g, '\\\\')}')`, message: `must be ${f.patternHint}` }] : []),
        ...rules.map((r) => ({ rule: r.cel, message: r.message })),
      ],
    } : {}),
  };
}

/** The OpenAPI schema of spec: every allowed variable, nothing else. */
export function specSchema(): Record<string, unknown> {
  return {
    type: 'object',
    description: 'The variables an environment may set; everything else follows from tier.',
    required: [...REQUIRED_FIELDS],
    properties: Object.fromEntries(Object.entries(SPEC_FIELDS).map(([k, v]) => [k, fieldSchema(k, v)])),
    'x-kubernetes-validations': SPEC_RULES.map((r) => ({ rule: r.cel, message: `${r.field}: ${r.message}`, fieldPath: `.${r.field}` })),
  };
}

const str = (description: string) => ({ type: 'string', description });

/** Outputs the Composition writes back (ToCompositeFieldPath), shown by kubectl and payenv. */
export function statusSchema(): Record<string, unknown> {
  return {
    type: 'object',
    properties: {
      network: {
        type: 'object',
        properties: {
          vpcId: str('VPC ID.'),
          publicSubnetIds: { type: 'array', items: { type: 'string' }, description: 'Public subnet IDs, one per AZ.' },
          privateSubnetIds: { type: 'array', items: { type: 'string' }, description: 'Private subnet IDs, one per AZ.' },
          internetGatewayId: str('The internet gateway, once created and attached (NAT gateways wait for it).'),
          availabilityZones: { type: 'array', items: { type: 'string' }, description: 'The zone name (in this account) of each private subnet, placed by AZ ID.' },
        },
      },
      database: { type: 'object', properties: { endpoint: str('Aurora writer endpoint.'), secretArn: str('ARN of the managed master secret.') } },
      api: {
        type: 'object',
        properties: {
          url: str('Custom-domain URL of the payment API.'),
          invokeUrl: str('Stage invoke URL.'),
          stageArn: str('ARN of the API stage.'),
          deploymentId: str('The API deployment the stage serves (edge.ts: named after the API definition).'),
          executionArn: str('Execution ARN of the REST API.'),
        },
      },
      alb: { type: 'object', properties: { dnsName: str('ALB DNS name.'), arn: str('ALB ARN.'), arnSuffix: str('app/<name>/<id>: the LoadBalancer dimension of its metrics.'), targetGroupArn: str('ARN of the API target group.') } },
      ecs: { type: 'object', properties: { taskDefinitionArn: str('ARN of the payment API task definition revision.') } },
      auditBucket: str('Audit-log bucket name.'),
      queues: {
        type: 'object',
        properties: {
          url: str('Payment queue URL.'), arn: str('Payment queue ARN.'),
          dlqUrl: str('Dead-letter queue URL.'), dlqArn: str('Dead-letter queue ARN.'),
        },
      },
      kmsKeyArn: str('ARN of the environment KMS key.'),
      drKmsKeyArn: str('ARN of the DR replica key in drRegion (prod).'),
      certificateArn: str('ARN of the ACM certificate of apiDomain, once issued (its CertificateValidation is Ready).'),
      certificate: {
        type: 'object',
        properties: {
          validationRecords: {
            type: 'array',
            description: 'The DNS records ACM issues the certificate on, one per name (apiDomain, app.<apiDomain>): composed where SETTINGS.dnsZones has the zone, else added by whoever runs the DNS.',
            items: { type: 'object', properties: { name: str('Record name.'), type: str('Record type (CNAME).'), value: str('Record value.') } },
          },
        },
      },
      iam: { type: 'object', properties: { appTaskRoleArn: str('ARN of the ECS task role.') } },
      observability: { type: 'object', properties: { apiLogGroupArn: str('API access log group ARN.'), alarmTopicArn: str('ARN of the SNS topic alarms notify.') } },
      driftEvents: {
        type: 'object',
        description: 'Where the environment\'s AWS change events arrive, for the drift listener.',
        properties: { queueUrl: str('Drift event queue URL.'), queueArn: str('Drift event queue ARN.'), dlqArn: str('Drift event dead-letter queue ARN.') },
      },
      configHash: str('Content hash of the spec this status was composed from.'),
    },
  };
}

export function xrdProps(compositionName: string): CompositeResourceDefinitionV2Props {
  return {
    metadata: { name: XRD_NAME, annotations: { 'argocd.argoproj.io/sync-wave': String(WAVES.xrd) } },
    spec: {
      group: XR_GROUP,
      scope: CompositeResourceDefinitionV2SpecScope.NAMESPACED,
      names: { kind: XR_KIND, plural: XR_PLURAL, singular: 'paymentenvironment', shortNames: ['payenv'], categories: ['crossplane', 'payments'] },
      defaultCompositionRef: { name: compositionName },
      versions: [{
        name: XR_VERSION,
        served: true,
        referenceable: true,
        additionalPrinterColumns: [
          { name: 'Tier', type: 'string', jsonPath: '.spec.tier' },
          { name: 'Region', type: 'string', jsonPath: '.spec.region' },
          { name: 'API', type: 'string', jsonPath: '.status.api.url' },
          { name: 'DB', type: 'string', jsonPath: '.status.database.endpoint', priority: 0 },
        ],
        schema: {
          openApiv3Schema: {
            type: 'object',
            required: ['spec'],
            properties: { spec: specSchema(), status: statusSchema() },
          },
        },
      }],
    },
  };
}

export function xrdManifest(compositionName: string) {
  return CompositeResourceDefinitionV2.manifest(xrdProps(compositionName));
}
