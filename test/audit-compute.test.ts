// AWS's documented rules for the compute and edge kinds (src/audit/compute.ts) that no other
// test held, checked on the rendered output of every tier (the emulator accepts all of these
// broken). Each test names the AWS documentation page it follows.
import { readFileSync } from 'fs';
import { parse } from 'yaml';
import { AUTOSCALING_ROLE } from '../src/listener/match';
import { dnsZoneId } from '../src/platform';
import { COMMON, POLICY } from '../src/policy';
import { claimFile, K8sObject } from '../src/render';
import { ENV_NAME_PATTERN, Tier } from '../src/schema';
import { DESIGN_TIERS } from './design-table';
import { component, renderedTiers } from './observe';

const ENVS = DESIGN_TIERS;
const { rendered, res, fp, has, all } = renderedTiers(ENVS);

const ext = (env: string, name: string): string => res(env, name).metadata.annotations!['crossplane.io/external-name'];
const claimOf = (env: string) => parse(readFileSync(claimFile(env), 'utf8'));
/** The task definition the environment holds now (one of the two slots). */
const taskDefinition = (env: string) => {
  const tds = all(env).filter(([, o]) => o.kind === 'TaskDefinition');
  expect(tds).toHaveLength(1);
  return tds[0][1].spec.forProvider;
};
const containers = (env: string): any[] => JSON.parse(taskDefinition(env).containerDefinitions);

/** The longest environment name payenv validate accepts (ENV_NAME_PATTERN: 2-16 characters). */
const LONGEST_ENV = 16;
/** An AWS name as it would be for an environment of the longest allowed name. */
const widest = (name: string, env: string) => name.split(env).join('e'.repeat(LONGEST_ENV));

test('environment names are at most 16 characters (the names below are checked at that length)', () => {
  expect(ENV_NAME_PATTERN.test('e'.repeat(LONGEST_ENV))).toBe(true);
  expect(ENV_NAME_PATTERN.test('e'.repeat(LONGEST_ENV + 1))).toBe(false);
});

describe.each(ENVS)('%s', (env) => {
  // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html (clusterName),
  // API_CreateService.html (serviceName), API_RegisterTaskDefinition.html (family): "Up to 255 letters
  // (uppercase and lowercase), numbers, underscores, and hyphens are allowed"; the cluster setting
  // containerInsights takes enhanced, enabled or disabled (API_ClusterSetting.html).
  test('ECS: cluster, service and task family names fit the 255-character name rule; Container Insights takes a valid value', () => {
    for (const name of [ext(env, 'ecs-cluster'), ext(env, 'ecs-service'), taskDefinition(env).family]) {
      expect(widest(name, env)).toMatch(/^[A-Za-z0-9_-]{1,255}$/);
    }
    const settings = fp(env, 'ecs-cluster').setting;
    expect(settings.length).toBeGreaterThan(0);
    for (const s of settings) {
      expect(s.name).toBe('containerInsights');
      expect(['enhanced', 'enabled', 'disabled']).toContain(s.value);
    }
  });

  // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
  // (task CPU and memory: only the listed combinations are supported on Fargate).
  test('ECS: the Fargate task size is a supported CPU and memory combination', () => {
    const steps = (from: number, to: number, by: number) => Array.from({ length: (to - from) / by + 1 }, (_, i) => from + i * by);
    const FARGATE: Record<string, number[]> = {
      256: [512, 1024, 2048],
      512: steps(1024, 4096, 1024),
      1024: steps(2048, 8192, 1024),
      2048: steps(4096, 16384, 1024),
      4096: steps(8192, 30720, 1024),
      8192: steps(16384, 61440, 4096),
      16384: steps(32768, 122880, 8192),
    };
    const td = taskDefinition(env);
    expect(td.requiresCompatibilities).toEqual(['FARGATE']);
    expect(FARGATE[td.cpu]).toBeDefined();
    expect(FARGATE[td.cpu]).toContain(Number(td.memory));
  });

  // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html: awslogs-region and
  // awslogs-group are required, awslogs-stream-prefix is "required for the Fargate launch type", and the
  // log group must exist in that Region; the awslogs driver on Fargate needs the task execution role
  // (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html); with awsvpc
  // a port mapping's hostPort is left out or equals containerPort
  // (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html).
  test('ECS: the container definition names its image, is essential, maps the container port and logs with awslogs to the composed group', () => {
    const td = taskDefinition(env);
    const [c, ...more] = containers(env);
    expect(more).toEqual([]);
    expect(c.name).toBe('payment-api');
    expect(c.image).toBe(claimOf(env).spec.appImage);
    expect(c.essential).toBe(true);
    for (const p of c.portMappings) expect(p.hostPort === undefined || p.hostPort === p.containerPort).toBe(true);
    expect(c.portMappings.map((p: any) => p.containerPort)).toContain(COMMON.containerPort);
    expect(c.logConfiguration.logDriver).toBe('awslogs');
    const o = c.logConfiguration.options;
    expect(o['awslogs-group']).toBe(ext(env, 'logs-ecs'));
    expect(o['awslogs-region']).toBe(td.region);
    expect(fp(env, 'logs-ecs').region).toBe(td.region);
    expect(o['awslogs-stream-prefix']).toMatch(/^\S+$/);
    expect(component(td.executionRoleArnSelector)).toBe('role-ecs-execution');
  });

  // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LoadBalancer.html: containerName and
  // containerPort are "as it appears in a container definition"; a service's launch type must be one the
  // task definition requires (API_CreateService.html, launchType), and awsvpc tasks need a network
  // configuration with subnets and security groups (API_AwsVpcConfiguration.html).
  test('ECS + ALB: the service load balancer names the container and port of the task definition; awsvpc with private subnets', () => {
    const svc = fp(env, 'ecs-service');
    expect(svc.loadBalancer.length).toBeGreaterThan(0);
    for (const lb of svc.loadBalancer) {
      const def = containers(env).find((c) => c.name === lb.containerName);
      expect(def).toBeDefined();
      expect(def.portMappings.map((p: any) => p.containerPort)).toContain(lb.containerPort);
    }
    expect(taskDefinition(env).requiresCompatibilities).toContain(svc.launchType);
    expect(taskDefinition(env).networkMode).toBe('awsvpc');
    expect(svc.networkConfiguration.subnetSelector.matchLabels['paymentenv.io/subnet-tier']).toBe('private');
    expect(component(svc.networkConfiguration.securityGroupSelector)).toBe('sg-app');
  });

  // https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html:
  // for an ECS service the ResourceId is service/<cluster-name>/<service-name>, MinCapacity ≤ MaxCapacity;
  // a scaling policy applies to a registered scalable target, named by the same namespace, resource ID
  // and dimension (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScalingPolicy.html).
  test('Application Auto Scaling: the target and policy name the ECS service as service/<cluster>/<service>, with min at most max', () => {
    const t = fp(env, 'ecs-scaling-target');
    const p = fp(env, 'ecs-scaling-policy');
    expect(t).toMatchObject({
      serviceNamespace: 'ecs', scalableDimension: 'ecs:service:DesiredCount',
      resourceId: `service/${ext(env, 'ecs-cluster')}/${ext(env, 'ecs-service')}`,
    });
    expect(p).toMatchObject({ serviceNamespace: t.serviceNamespace, scalableDimension: t.scalableDimension, resourceId: t.resourceId, policyType: 'TargetTrackingScaling' });
    expect(t.minCapacity).toBeGreaterThanOrEqual(0);
    expect(t.minCapacity).toBeLessThanOrEqual(t.maxCapacity);
    for (const r of [t, p]) expect(r.region).toBe(fp(env, 'ecs-service').region);
  });

  // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-auto-scaling.html: with active
  // scaling policies Service Auto Scaling changes the service's desired count. The tier minimum is set at
  // creation only (initProvider: never compared again) and never late-initialized into forProvider,
  // where the provider would put every scale-out back; the drift listener takes Application Auto
  // Scaling's calls (its service-linked role, application-autoscaling-service-linked-roles.html) for no drift.
  test('ECS: the service desired count is set at creation only (spec.initProvider, no LateInitialize), where Service Auto Scaling owns it', () => {
    const tier = claimOf(env).spec.tier as Tier;
    const service = res(env, 'ecs-service');
    expect(service.spec.forProvider.desiredCount).toBeUndefined();
    expect(service.spec.initProvider?.desiredCount).toBe(POLICY[tier].ecsMin);
    const policies: string[] = service.spec.managementPolicies ?? ['*'];
    expect(policies.includes('LateInitialize') || policies.includes('*')).toBe(false);
    expect(fp(env, 'ecs-scaling-target').minCapacity).toBe(POLICY[tier].ecsMin);
    const role = (svc: string, name: string) => `arn:aws:iam::111122223333:role/aws-service-role/${svc}.application-autoscaling.amazonaws.com/${name}`;
    expect(AUTOSCALING_ROLE.test(role('ecs', 'AWSServiceRoleForApplicationAutoScaling_ECSService'))).toBe(true);
    expect(AUTOSCALING_ROLE.test(role('dynamodb', 'AWSServiceRoleForApplicationAutoScaling_DynamoDBTable'))).toBe(true);
    expect(AUTOSCALING_ROLE.test(`arn:aws:iam::111122223333:role/${env}-crossplane-deployer`)).toBe(false);
  });

  // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html (Name:
  // at most 32 characters, alphanumeric or hyphens, not beginning or ending with a hyphen, not beginning
  // with "internal-") and API_CreateTargetGroup.html (the same, without the prefix rule).
  test('ELB: load balancer and target group names fit 32 characters of letters, digits and hyphens, for the longest environment name', () => {
    for (const name of [fp(env, 'alb').name, fp(env, 'alb-target-group').name]) {
      const w = widest(name, env);
      expect(w.length).toBeLessThanOrEqual(32);
      expect(w).toMatch(/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/);
      expect(w.startsWith('internal-')).toBe(false);
    }
  });

  // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html
  // (Subnets: "[Application Load Balancers] You must specify subnets from at least two Availability Zones").
  test('ALB: internet-facing in the public subnets of at least two Availability Zones', () => {
    const alb = fp(env, 'alb');
    expect(alb).toMatchObject({ loadBalancerType: 'application', internal: false });
    const labels = alb.subnetSelector.matchLabels as Record<string, string>;
    expect(labels['paymentenv.io/subnet-tier']).toBe('public');
    const subnets = all(env).filter(([, o]) => o.kind === 'Subnet' && Object.entries(labels).every(([k, v]) => o.metadata.labels?.[k] === v));
    // Subnets are placed by AZ ID (src/zones.ts), or by zone name.
    const zones = subnets.map(([, o]) => o.spec.forProvider.availabilityZoneId ?? o.spec.forProvider.availabilityZone);
    expect(zones.every((z) => typeof z === 'string' && z.length > 0)).toBe(true);
    expect(new Set(zones).size).toBeGreaterThanOrEqual(2);
  });

  // https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html: function timeout up to
  // 900 seconds; memory 128 MB to 10,240 MB in 1-MB increments.
  test('Lambda: timeout within 1-900 s and memory within 128-10,240 MB in 1 MB steps', () => {
    const f = fp(env, 'lambda');
    expect(Number.isInteger(f.timeout)).toBe(true);
    expect(f.timeout).toBeGreaterThanOrEqual(1);
    expect(f.timeout).toBeLessThanOrEqual(900);
    expect(Number.isInteger(f.memorySize)).toBe(true);
    expect(f.memorySize).toBeGreaterThanOrEqual(128);
    expect(f.memorySize).toBeLessThanOrEqual(10240);
  });

  // https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html: Regional APIs per account
  // per Region 600 (not increasable), resources per API 300, stages per API 10.
  test('API Gateway: one Regional REST API per environment, its resources and stages within the per-API quotas', () => {
    const apis = all(env).filter(([, o]) => o.kind === 'RestAPI');
    expect(apis).toHaveLength(1);
    expect(apis[0][1].spec.forProvider.endpointConfiguration.types).toEqual(['REGIONAL']);
    const ofApi = (kind: string) => all(env).filter(([, o]) => o.kind === kind && o.apiVersion.startsWith('apigateway.') && component(o.spec.forProvider.restApiIdSelector) === 'api');
    expect(ofApi('Stage').length).toBeGreaterThan(0);
    expect(ofApi('Stage').length).toBeLessThanOrEqual(10);
    expect(ofApi('Resource').length).toBeLessThanOrEqual(300 - 1); // the root resource counts too
    expect(ENVS.length).toBeLessThanOrEqual(600);
  });

  // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-set-up-simple-proxy.html (a
  // proxy resource {proxy+} with the ANY method); https://docs.aws.amazon.com/apigateway/latest/api/API_PutMethod.html
  // (authorizationType NONE, AWS_IAM, CUSTOM or COGNITO_USER_POOLS);
  // https://docs.aws.amazon.com/apigateway/latest/api/API_PutIntegration.html ("For Lambda integrations, you
  // must set the integration method to POST"; timeoutInMillis 50 to 29,000, the default 29,000, per
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html).
  test('API Gateway: a greedy {proxy+} resource, ANY with a valid authorization type, a Lambda proxy integration by POST within the integration timeout', () => {
    const r = fp(env, 'api-resource-proxy');
    const m = fp(env, 'api-method-proxy');
    const i = fp(env, 'api-integration-proxy');
    expect(r.pathPart).toBe('{proxy+}');
    expect(component(r.parentIdSelector)).toBe('api');
    expect(m.httpMethod).toBe('ANY');
    expect(['NONE', 'AWS_IAM', 'CUSTOM', 'COGNITO_USER_POOLS']).toContain(m.authorization);
    expect(i).toMatchObject({ type: 'AWS_PROXY', integrationHttpMethod: 'POST' });
    expect(component(i.uriSelector)).toBe('lambda');
    const timeout = i.timeoutInMillis ?? 29000;
    expect(timeout).toBeGreaterThanOrEqual(50);
    expect(timeout).toBeLessThanOrEqual(29000);
  });

  // https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html: "To preserve
  // uniqueness of each log, access log format must include $context.requestId"; the format "cannot have
  // any line breaks"; the destination is a log group ARN.
  test('API Gateway: the stage access log format has $context.requestId on one line and goes to the composed log group', () => {
    const s = fp(env, 'api-stage').accessLogSettings;
    expect(s.format).toContain('$context.requestId');
    expect(s.format).not.toMatch(/[\r\n]/);
    expect(s.destinationArn).toBe(rendered.get(env)!.xr.status.observability.apiLogGroupArn);
    expect(s.destinationArn).toMatch(new RegExp(`:${fp(env, 'api-stage').region}:`));
  });

  // https://docs.aws.amazon.com/apigateway/latest/api/API_MethodSetting.html and API_UpdateStage.html (method
  // settings belong to an existing stage; the key is {resource_path}/{http_method}, */* for all methods);
  // https://docs.aws.amazon.com/apigateway/latest/api/API_CreateBasePathMapping.html (stage: the name of an
  // existing stage of the API).
  test('API Gateway: method settings and the base path mapping name the composed stage of the API', () => {
    const stage = fp(env, 'api-stage').stageName;
    expect(stage).toMatch(/^[A-Za-z0-9_-]+$/);
    const settings = fp(env, 'api-throttling');
    expect(settings).toMatchObject({ stageName: stage, methodPath: '*/*' });
    expect(component(settings.restApiIdSelector)).toBe('api');
    const mapping = fp(env, 'api-domain-mapping');
    expect(mapping.stageName).toBe(stage);
    expect(component(mapping.apiIdSelector)).toBe('api');
    expect(component(mapping.domainNameSelector)).toBe('api-domain');
  });

  // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html: stage and
  // method limits hold only within the account's, per Region across all APIs: 10,000 requests per second by
  // default and a burst of 5,000 that API Gateway sets. (Environments sharing an account share them: documented.)
  test('API Gateway: every stage throttles within the account limits of 10,000 requests per second and a burst of 5,000', () => {
    const settings = fp(env, 'api-throttling').settings;
    const tier = claimOf(env).spec.tier as Tier;
    expect([settings.throttlingRateLimit, settings.throttlingBurstLimit]).toEqual([POLICY[tier].apiRateLimit, POLICY[tier].apiBurstLimit]);
    expect(settings.throttlingRateLimit).toBeGreaterThan(0);
    expect(settings.throttlingRateLimit).toBeLessThanOrEqual(10_000);
    expect(settings.throttlingBurstLimit).toBeGreaterThan(0);
    expect(settings.throttlingBurstLimit).toBeLessThanOrEqual(5_000);
  });

  // https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-specify-certificate-for-custom-domain-name.html:
  // "For an API Gateway Regional custom domain name, you must request or import the certificate in the same
  // Region as your API. The certificate must ... cover the custom domain name."
  test('API Gateway: the Regional custom domain takes a certificate of the API region that covers the domain', () => {
    const d = fp(env, 'api-domain');
    const cert = fp(env, 'certificate');
    const region = fp(env, 'api').region;
    expect(d.endpointConfiguration.types).toEqual(['REGIONAL']);
    expect(d.certificateArn).toBeUndefined();
    expect(d.region).toBe(region);
    expect(cert.region).toBe(region);
    expect(d.regionalCertificateArn).toMatch(new RegExp(`^arn:aws:acm:${region}:\\d{12}:`));
    expect(d.domainName).toBe(claimOf(env).spec.apiDomain);
    expect([cert.domainName, ...(cert.subjectAlternativeNames ?? [])]).toContain(d.domainName);
  });

  // https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html: "if you request a certificate for
  // example.com with www.example.com as an additional name, ACM creates two CNAME records for you"; the
  // certificate is issued only once every name is validated. Found by npm run e2e:aws (2026-12-07): one
  // record composed, the certificate stayed PENDING_VALIDATION for its app.<apiDomain> name.
  test('ACM: a validation record in the zone for every name of the certificate, from its own validation option', () => {
    const cert = fp(env, 'certificate');
    const names: string[] = [cert.domainName, ...(cert.subjectAlternativeNames ?? [])];
    const records = all(env).filter(([, o]) => o.kind === 'Record' && o.spec.forProvider.type === 'CNAME').map(([, o]) => o.spec.forProvider);
    expect(names.length).toBeGreaterThan(1);
    expect(records).toHaveLength(names.length);
    for (const name of names) {
      const forName = records.filter((r) => r.name === `${r.name.split('.')[0]}.${name}.`); // ACM's <token>.<name>.
      expect(forName).toHaveLength(1);
      expect(forName[0].zoneId).toBe(dnsZoneId(claimOf(env)));
      expect(forName[0].records).toHaveLength(1);
      expect(forName[0].records[0]).toMatch(/\.acm-validations\.aws\.$/);
    }
  });

  // https://docs.aws.amazon.com/waf/latest/developerguide/aws-waf-capacity-units.html (the base price covers
  // 1,500 WCUs per web ACL); WCUs: AWSManagedRulesCommonRuleSet 700 and AWSManagedRulesKnownBadInputsRuleSet
  // 200 (https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html),
  // AWSManagedRulesSQLiRuleSet 200 (aws-managed-rule-groups-use-case.html), a rate-based rule 2 as a base
  // cost (waf-rule-statement-type-rate-based.html); rule priorities "must all be different"
  // (https://docs.aws.amazon.com/waf/latest/APIReference/API_Rule.html); a rate limit of 10 to 2,000,000,000
  // (https://docs.aws.amazon.com/waf/latest/APIReference/API_RateBasedStatement.html).
  test('WAF: the web ACL rules stay within the 1,500 WCUs of the base price, with distinct names and priorities', () => {
    const tier = claimOf(env).spec.tier as Tier;
    expect(has(env, 'waf')).toBe(POLICY[tier].waf);
    if (!POLICY[tier].waf) return;
    const WCU: Record<string, number> = { AWSManagedRulesCommonRuleSet: 700, AWSManagedRulesKnownBadInputsRuleSet: 200, AWSManagedRulesSQLiRuleSet: 200 };
    const rules: any[] = JSON.parse(fp(env, 'waf').ruleJson);
    expect(rules.length).toBeGreaterThan(0);
    let total = 0;
    for (const r of rules) {
      const managed = r.Statement.ManagedRuleGroupStatement;
      const rate = r.Statement.RateBasedStatement;
      if (managed) {
        expect([r.Name, WCU[managed.Name]]).toEqual([r.Name, expect.any(Number)]);
        total += WCU[managed.Name];
      } else if (rate) {
        expect(rate.CustomKeys).toBeUndefined();
        expect(rate.ScopeDownStatement).toBeUndefined();
        expect(rate.Limit).toBeGreaterThanOrEqual(10);
        expect(rate.Limit).toBeLessThanOrEqual(2_000_000_000);
        total += 2;
      } else {
        throw new Error(`rule ${r.Name}: no WCU known for its statement`);
      }
    }
    expect(total).toBeLessThanOrEqual(1500);
    expect(new Set(rules.map((r) => r.Priority)).size).toBe(rules.length);
    expect(new Set(rules.map((r) => r.Name)).size).toBe(rules.length);
  });

  // https://docs.aws.amazon.com/waf/latest/developerguide/how-aws-waf-works-resources.html: "The web ACL and
  // any AWS WAF resources that it uses must be located in the Region where the associated resource is located."
  test('WAF: each association joins the web ACL to a resource of its own region', () => {
    const assoc = all(env).filter(([, o]) => o.kind === 'WebACLAssociation');
    if (!has(env, 'waf')) return expect(assoc).toEqual([]);
    expect(assoc.length).toBe(2);
    const region = fp(env, 'waf').region;
    for (const [, o] of assoc) {
      const a = o.spec.forProvider;
      expect(component(a.webAclArnSelector)).toBe('waf');
      expect(a.region).toBe(region);
      expect(a.resourceArn.split(':')[3]).toBe(region);
    }
  });
});
