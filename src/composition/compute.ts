// Compute: ECS Fargate service behind an HTTPS-only ALB (HTTP redirects to
// HTTPS), CPU target-tracking autoscaling by tier, and the queue-processing
// Lambda (512 MB, 30 s, reserved concurrency by tier).
import * as acm from '../../imports/acm.aws.m.upbound.io';
import * as appautoscaling from '../../imports/appautoscaling.aws.m.upbound.io';
import * as ecs from '../../imports/ecs.aws.m.upbound.io';
import * as elbv2 from '../../imports/elbv2.aws.m.upbound.io';
import * as lambda from '../../imports/lambda.aws.m.upbound.io';
import * as route53 from '../../imports/route53.aws.m.upbound.io';
import { ADOPT_ANNOTATION } from '../names';
import { COMMON } from '../policy';
import { SUBNET_TIER_LABEL } from './network';
import {
  combine, ComposedResource, DNS_ZONE_ANNOTATION, envName, EXTERNAL_NAME, externalName, format, fromXR, fromXRRequired, identityViaXR, mapped, PATCHED, regexp, sel, tierValue, toXR,
} from './resource';

/** TLS policy of the ALB's HTTPS listener: TLS 1.2+ only. */
export const ALB_TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

const privateSubnets = { matchControllerRef: true, matchLabels: { [SUBNET_TIER_LABEL]: 'private' } };
const publicSubnets = { matchControllerRef: true, matchLabels: { [SUBNET_TIER_LABEL]: 'public' } };
/** The certificate's names, apiDomain and app.<apiDomain>: a validation record each. */
const CERTIFICATE_NAMES = [0, 1] as const;

// ECS task definition revisions are immutable, and the provider refuses to replace one
// ("refuse to update the external resource because the following update requires
// replacing it", provider-upjet-aws#1061): a new image would never reach the service.
// Two slots take turns instead. The slot whose applied definition matches the claim
// stays; when the claim changes, the empty slot registers the new revision, the stale
// one is removed (deregistered; its running tasks go on until the service has rolled),
// and the service follows the ARN through the XR.
export const TASK_SLOTS = ['ecs-task-blue', 'ecs-task-green'] as const;

/**
 * The slot holds a revision of what the claim asks for now: its applied container definitions
 * (image, environment, log group) equal the desired ones. CEL over function-cel-filter's state.
 */
function current(slot: string): string {
  const o = `observed.resources['${slot}'].resource.spec.forProvider`;
  const d = `desired.resources['${slot}'].resource.spec.forProvider`;
  return `('${slot}' in observed.resources && '${slot}' in desired.resources`
    + ` && has(${o}.containerDefinitions) && has(${d}.containerDefinitions) && ${o}.containerDefinitions == ${d}.containerDefinitions)`;
}

/** Keep a slot while current; the other one takes the next revision (blue first). */
function keepSlot(slot: typeof TASK_SLOTS[number]): string {
  const [self, other] = slot === TASK_SLOTS[0] ? TASK_SLOTS : [...TASK_SLOTS].reverse();
  const absent = `!('${self}' in observed.resources)`;
  const next = slot === TASK_SLOTS[0] ? absent : `${absent} && '${other}' in observed.resources`;
  return `${current(self)} || (!${current(other)} && ${next})`;
}

function taskDefinition(slot: typeof TASK_SLOTS[number]): ComposedResource {
  return {
    name: slot,
    when: keepSlot(slot),
    area: 'compute',
    base: ecs.TaskDefinition.manifest({
      spec: {
        forProvider: {
          region: PATCHED, requiresCompatibilities: ['FARGATE'], networkMode: 'awsvpc',
          cpu: COMMON.taskCpu, memory: COMMON.taskMemory,
          executionRoleArnSelector: sel('role-ecs-execution'),
        },
      },
    }),
    patches: [
      envName('spec.forProvider.family', 'payment-api-%s'),
      // Adoption mode (a control plane rebuilt from git): Terraform reads a revision by the ARN in
      // its state, which a new control plane has not got, so it would register another revision.
      // trackLatest reads the family's latest ACTIVE revision instead; turning it off later calls
      // nothing (Terraform's update of a task definition is tags only).
      fromXR(`metadata.annotations[${ADOPT_ANNOTATION}]`, 'spec.forProvider.trackLatest', mapped({ true: true })),
      fromXRRequired('status.iam.appTaskRoleArn', 'spec.forProvider.taskRoleArn'),
      toXR('status.atProvider.arn', 'status.ecs.taskDefinitionArn'),
      // The container definition names the image and the environment's log group.
      combine('spec.forProvider.containerDefinitions', JSON.stringify([{
        name: 'payment-api',
        image: '%[1]s',
        essential: true,
        // The container writes nothing to its image's filesystem (PCI DSS 2.2, Prowler ecs_task_definitions_containers_readonly_access).
        readonlyRootFilesystem: true,
        portMappings: [{ containerPort: COMMON.containerPort, protocol: 'tcp' }],
        environment: [{ name: 'PAYMENTS_ENV', value: '%[2]s' }, { name: 'SSM_PREFIX', value: '/payments/%[2]s/' }],
        logConfiguration: {
          logDriver: 'awslogs',
          options: { 'awslogs-group': '/payments/%[2]s/ecs', 'awslogs-region': '%[3]s', 'awslogs-stream-prefix': 'api' },
        },
      }]), 'spec.appImage', 'metadata.name', 'spec.region'),
    ],
  };
}

function ecsService(): ComposedResource[] {
  return [
    {
      name: 'ecs-cluster',
      area: 'compute',
      base: ecs.Cluster.manifest({ spec: { forProvider: { region: PATCHED, setting: [{ name: 'containerInsights', value: 'enabled' }] } } }),
      patches: [externalName('cluster')],
    },
    ...TASK_SLOTS.map(taskDefinition),
    {
      name: 'ecs-service',
      area: 'compute',
      // Application Auto Scaling owns desiredCount once the service exists: the tier's minimum is
      // set at creation only (initProvider), and without LateInitialize the provider never copies
      // AWS's current count into forProvider, where the next observe would put a scale-out back.
      lateInitialize: false,
      base: ecs.Service.manifest({
        spec: {
          forProvider: {
            region: PATCHED, launchType: 'FARGATE', clusterSelector: sel('ecs-cluster'),
            propagateTags: 'SERVICE', enableEcsManagedTags: true,
            deploymentCircuitBreaker: { enable: true, rollback: true },
            networkConfiguration: { assignPublicIp: false, subnetSelector: privateSubnets, securityGroupSelector: sel('sg-app') },
            loadBalancer: [{ containerName: 'payment-api', containerPort: COMMON.containerPort }],
          },
        },
      }),
      patches: [
        externalName('api'),
        tierValue('spec.initProvider.desiredCount', (p) => p.ecsMin),
        // ARNs through the XR, not selectors: the provider's taskDefinitionSelector never matched
        // the Ready TaskDefinition (e2e:aws), and a Service without them must not be created.
        fromXRRequired('status.ecs.taskDefinitionArn', 'spec.forProvider.taskDefinition'),
        fromXRRequired('status.alb.targetGroupArn', 'spec.forProvider.loadBalancer[0].targetGroupArn'),
      ],
    },
    {
      name: 'ecs-scaling-target',
      area: 'compute',
      base: appautoscaling.Target.manifest({
        spec: { forProvider: { region: PATCHED, serviceNamespace: 'ecs', scalableDimension: 'ecs:service:DesiredCount' } },
      }),
      patches: [
        envName('spec.forProvider.resourceId', 'service/payment-cluster-%[1]s/payment-api-%[1]s'),
        tierValue('spec.forProvider.minCapacity', (p) => p.ecsMin),
        tierValue('spec.forProvider.maxCapacity', (p) => p.ecsMax),
      ],
    },
    {
      name: 'ecs-scaling-policy',
      area: 'compute',
      tagged: false,
      base: appautoscaling.Policy.manifest({
        spec: {
          forProvider: {
            region: PATCHED, policyType: 'TargetTrackingScaling', serviceNamespace: 'ecs', scalableDimension: 'ecs:service:DesiredCount',
            targetTrackingScalingPolicyConfiguration: {
              targetValue: COMMON.ecsCpuTargetPercent,
              predefinedMetricSpecification: { predefinedMetricType: 'ECSServiceAverageCPUUtilization' },
            },
          },
        },
      }),
      patches: [
        envName(`metadata.annotations[${EXTERNAL_NAME}]`, 'payment-api-cpu-%s'),
        envName('spec.forProvider.resourceId', 'service/payment-cluster-%[1]s/payment-api-%[1]s'),
      ],
    },
  ];
}

function loadBalancer(): ComposedResource[] {
  return [
    {
      name: 'certificate',
      area: 'compute',
      base: acm.Certificate.manifest({ spec: { forProvider: { region: PATCHED, validationMethod: 'DNS' } } }),
      patches: [
        fromXR('spec.apiDomain', 'spec.forProvider.domainName'),
        fromXR('spec.apiDomain', 'spec.forProvider.subjectAlternativeNames[0]', format('app.%s')),
        // ACM names one CNAME per name in the certificate, "for example.com with www.example.com
        // as an additional name, ACM creates two CNAME records": https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html
        ...CERTIFICATE_NAMES.flatMap((i) => (['Name', 'Type', 'Value'] as const)
          .map((f) => toXR(`status.atProvider.domainValidationOptions[${i}].resourceRecord${f}`, `status.certificate.validationRecords[${i}].${f.toLowerCase()}`))),
      ],
    },
    // The records in the environment's public hosted zone (SETTINGS.dnsZones), where there is one:
    // one per validation option, in the provider's order (a set, so not by name). The first keeps
    // the name it had when only one was composed, so existing environments only gain the second.
    ...CERTIFICATE_NAMES.map((i): ComposedResource => ({
      name: i === 0 ? 'certificate-validation-record' : `certificate-validation-record-${i}`,
      area: 'compute',
      tagged: false,
      regional: false,
      when: `'${DNS_ZONE_ANNOTATION}' in observed.composite.resource.metadata.annotations`,
      base: route53.Route53Record.manifest({ spec: { forProvider: { ttl: 300, allowOverwrite: true } } }),
      patches: [
        fromXR(`metadata.annotations[${DNS_ZONE_ANNOTATION}]`, 'spec.forProvider.zoneId'),
        fromXRRequired(`status.certificate.validationRecords[${i}].name`, 'spec.forProvider.name'),
        fromXRRequired(`status.certificate.validationRecords[${i}].type`, 'spec.forProvider.type'),
        fromXRRequired(`status.certificate.validationRecords[${i}].value`, 'spec.forProvider.records[0]'),
      ],
    })),
    {
      // Ready only once ACM has issued the certificate: the HTTPS listener and the API's custom
      // domain take its ARN from here, so neither is asked to use a certificate AWS refuses.
      name: 'certificate-validation',
      area: 'compute',
      tagged: false,
      base: acm.CertificateValidation.manifest({ spec: { forProvider: { region: PATCHED, certificateArnSelector: sel('certificate') } } }),
      patches: [toXR('status.atProvider.certificateArn', 'status.certificateArn')],
    },
    {
      name: 'alb',
      area: 'compute',
      base: elbv2.Lb.manifest({
        spec: {
          forProvider: {
            region: PATCHED, loadBalancerType: 'application', internal: false, dropInvalidHeaderFields: true,
            subnetSelector: publicSubnets, securityGroupSelector: sel('sg-alb'),
          },
        },
      }),
      patches: [
        envName('spec.forProvider.name', 'payment-alb-%s'),
        tierValue('spec.forProvider.enableDeletionProtection', (p) => !p.dataDeletable),
        toXR('status.atProvider.dnsName', 'status.alb.dnsName'),
        toXR('status.atProvider.arn', 'status.alb.arn'),
        // app/<name>/<id>: the LoadBalancer dimension of the ALB's CloudWatch metrics (the dashboard's).
        toXR('status.atProvider.arn', 'status.alb.arnSuffix', regexp('^arn:[^:]+:elasticloadbalancing:[^:]+:[^:]+:loadbalancer/(.+)$', 1)),
      ],
    },
    {
      name: 'alb-target-group',
      area: 'compute',
      // Late-init copies the nested blocks AWS returns with their zero values dropped (stickiness,
      // targetFailover, targetGroupHealth), and the provider updated the group every poll. Users
      // take its ARN from the XR, which gives it back as the external name (identityViaXR).
      lateInitialize: false,
      base: elbv2.LbTargetGroup.manifest({
        spec: {
          forProvider: {
            region: PATCHED, port: COMMON.containerPort, protocol: 'HTTP', targetType: 'ip', vpcIdSelector: sel('vpc'),
            healthCheck: { path: '/health', matcher: '200' },
          },
        },
      }),
      patches: [envName('spec.forProvider.name', 'payment-api-%s'), ...identityViaXR('arn', 'status.alb.targetGroupArn')],
    },
    {
      name: 'alb-listener-https',
      area: 'compute',
      base: elbv2.LbListener.manifest({
        spec: {
          forProvider: {
            region: PATCHED, loadBalancerArnSelector: sel('alb'), port: 443, protocol: 'HTTPS', sslPolicy: ALB_TLS_POLICY,
            defaultAction: [{ type: 'forward' }],
          },
        },
      }),
      patches: [
        fromXRRequired('status.certificateArn', 'spec.forProvider.certificateArn'),
        // The provider resolves targetGroupArnSelector to the target group's external name, which
        // the provider persists only with LateInitialize (left out for the target group): the ARN comes through the XR.
        fromXRRequired('status.alb.targetGroupArn', 'spec.forProvider.defaultAction[0].targetGroupArn'),
      ],
    },
    {
      name: 'alb-listener-http-redirect',
      area: 'compute',
      base: elbv2.LbListener.manifest({
        spec: {
          forProvider: {
            region: PATCHED, loadBalancerArnSelector: sel('alb'), port: 80, protocol: 'HTTP',
            defaultAction: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }],
          },
        },
      }),
    },
  ];
}

function queueProcessor(): ComposedResource[] {
  return [
    {
      name: 'lambda',
      area: 'compute',
      // Not late-initialized: codeSha256 (optional and computed) would be copied into the spec
      // once and then differ from AWS's after every new image, so the provider would call
      // UpdateFunctionCode on every reconcile (e2e:aws: 66 calls in 10 min after a commit).
      // The upjet config ignores only source_code_hash (provider-upjet-aws#1266).
      lateInitialize: false,
      base: lambda.Function.manifest({
        spec: {
          forProvider: {
            region: PATCHED, packageType: 'Image', roleSelector: sel('role-lambda'), kmsKeyArnSelector: sel('kms-key'),
            memorySize: COMMON.lambdaMemoryMb, timeout: COMMON.lambdaTimeoutSeconds, tracingConfig: { mode: 'Active' },
            imageConfig: { command: ['payments.processor.handler'] }, loggingConfig: { logFormat: 'JSON' },
            // In the private subnets, behind its own security group (seed 001: private subnets for
            // compute; PCI DSS 1.3, Prowler awslambda_function_inside_vpc).
            vpcConfig: { subnetIdSelector: privateSubnets, securityGroupIdSelector: sel('sg-lambda') },
          },
        },
      }),
      patches: [
        externalName('processor'),
        fromXR('spec.appImage', 'spec.forProvider.imageUri'),
        tierValue('spec.forProvider.reservedConcurrentExecutions', (p) => p.lambdaReservedConcurrency),
        envName('spec.forProvider.environment.variables.PAYMENTS_ENV', '%s'),
        envName('spec.forProvider.loggingConfig.logGroup', '/aws/lambda/payment-processor-%s'),
      ],
    },
    {
      name: 'lambda-queue-trigger',
      area: 'compute',
      base: lambda.EventSourceMapping.manifest({
        spec: { forProvider: { region: PATCHED, functionNameSelector: sel('lambda'), batchSize: 10, enabled: true } },
      }),
      patches: [fromXRRequired('status.queues.arn', 'spec.forProvider.eventSourceArn')],
    },
    {
      name: 'lambda-api-permission',
      area: 'compute',
      tagged: false,
      base: lambda.Permission.manifest({
        spec: { forProvider: { region: PATCHED, functionNameSelector: sel('lambda'), action: 'lambda:InvokeFunction', principal: 'apigateway.amazonaws.com', statementId: 'AllowApiGateway' } },
      }),
      patches: [fromXRRequired('status.api.executionArn', 'spec.forProvider.sourceArn', format('%s/*/*'))],
    },
  ];
}

export function compute(): ComposedResource[] {
  return [...ecsService(), ...loadBalancer(), ...queueProcessor()];
}
