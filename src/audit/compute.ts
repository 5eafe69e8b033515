// The real-account audit of the compute and edge kinds (docs/aws.md "What AWS enforces").
// The emulator column is read from moto 5.2.5's models (ecs, elbv2, awslambda, apigateway, acm,
// wafv2, applicationautoscaling) and scripts/emulator.py; e2e:aws runs moto without
// MOTO_LAMBDA_CONCURRENCY_QUOTA and with MOTO_LAMBDA_STUB_ECR at its default (true). The front in
// scripts/emulator.py refuses a Lambda image outside Amazon ECR, stage logging without the account's
// CloudWatch role, and a listener or custom domain on a certificate ACM has not issued, which it
// issues only once Route 53 holds the validation record (moto issued any after 60 seconds).
import { AwsRule } from './rule';

const AUDIT = 'test/audit-compute.test.ts';
const AWS_RULES = 'test/aws-rules.test.ts';
const THROTTLING = `${AUDIT}: API Gateway: every stage throttles within the account limits of 10,000 requests per second and a burst of 5,000`;

export const COMPUTE: readonly AwsRule[] = [
  // ecs/Cluster
  {
    subject: 'ecs/Cluster',
    fields: ['setting'],
    rule: 'Cluster names are up to 255 letters, numbers, underscores and hyphens; the containerInsights setting takes enhanced, enabled or disabled.',
    source: 'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html',
    emulator: 'forgives', // moto create_cluster validates neither the name nor the setting
    check: `${AUDIT}: ECS: cluster, service and task family names fit the 255-character name rule; Container Insights takes a valid value`,
  },

  // ecs/TaskDefinition
  {
    subject: 'ecs/TaskDefinition',
    fields: ['cpu', 'memory', 'requiresCompatibilities'],
    rule: 'A Fargate task takes only the listed task CPU and memory combinations (512 CPU units: 1024-4096 MiB in 1024 MiB steps).',
    source: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size',
    emulator: 'forgives', // moto register_task_definition: "TODO need more validation for Fargate"
    check: `${AUDIT}: ECS: the Fargate task size is a supported CPU and memory combination`,
  },
  {
    subject: 'ecs/TaskDefinition',
    fields: ['networkMode'],
    rule: 'Tasks on Fargate require the awsvpc network mode, and an awsvpc task registers in a target group of target type ip.',
    source: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html',
    emulator: 'forgives', // moto sets awsvpc itself for FARGATE compatibilities instead of refusing another mode
    check: `${AWS_RULES}: ECS + ALB: a Fargate awsvpc task registers in a target group of type ip, on the container port`,
  },
  {
    subject: 'ecs/TaskDefinition',
    fields: ['containerDefinitions', 'family'],
    rule: 'Every container definition has a name and an image; the family is up to 255 letters, numbers, underscores and hyphens; with awsvpc a port mapping leaves hostPort out or equal to containerPort.',
    source: 'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html',
    emulator: 'enforces', // moto refuses a container definition without name or image (TaskDefinitionMissingPropertyError)
    check: `${AUDIT}: ECS: the container definition names its image, is essential, maps the container port and logs with awslogs to the composed group`,
  },
  {
    subject: 'ecs/TaskDefinition',
    fields: ['containerDefinitions', 'executionRoleArnSelector'],
    rule: 'The awslogs driver needs awslogs-group and awslogs-region (the group existing in that Region), and awslogs-stream-prefix is required for the Fargate launch type; awslogs on Fargate uses the task execution role.',
    source: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html',
    emulator: 'forgives', // moto stores the log configuration unread and needs no execution role
    check: `${AUDIT}: ECS: the container definition names its image, is essential, maps the container port and logs with awslogs to the composed group`,
  },

  // ecs/Service
  {
    subject: 'ecs/Service',
    fields: ['desiredCount'],
    rule: 'As long as a service has active scaling policies, Service Auto Scaling changes its desired count; "the service scheduler respects the desired count at all times".',
    source: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-auto-scaling.html',
    emulator: 'not-applicable', // AWS accepts an UpdateService that resets the count: nothing to refuse
    check: `${AUDIT}: ECS: the service desired count is set at creation only (spec.initProvider, no LateInitialize), where Service Auto Scaling owns it`,
    finding: 'fixed: spec.initProvider.desiredCount and no LateInitialize (src/composition/compute.ts ecs-service; test/audit-compute.test.ts: ECS: the service desired count is set at creation only (spec.initProvider, no LateInitialize), where Service Auto Scaling owns it). '
      + 'The Composition set spec.forProvider.desiredCount to the tier minimum (1 dev/staging, 2 prod) while ecs-scaling-target/-policy scale the same service (up to 5/10), '
      + 'and provider-upjet-aws v2.5.0 has no ignore for desired_count, so the provider put every scale-out back to the minimum on its next poll. '
      + 'The drift listener ignores Application Auto Scaling\'s service-linked role (src/listener/match.ts AUTOSCALING_ROLE), so a scale-out is not reported as drift.',
  },
  {
    subject: 'ecs/Service',
    fields: ['loadBalancer', 'launchType'],
    rule: 'A service load balancer names a containerName and containerPort as they appear in a container definition; the launch type is one the task definition requires.',
    source: 'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LoadBalancer.html',
    emulator: 'forgives', // moto create_service never reads the container name or port, nor the compatibilities
    check: `${AUDIT}: ECS + ALB: the service load balancer names the container and port of the task definition; awsvpc with private subnets`,
  },
  {
    subject: 'ecs/Service',
    fields: ['networkConfiguration'],
    rule: 'A service of awsvpc tasks takes a network configuration of subnets (at least one) and security groups.',
    source: 'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AwsVpcConfiguration.html',
    emulator: 'enforces', // moto refuses empty or unknown subnets and unknown security groups ("subnets can not be empty.")
    check: `${AUDIT}: ECS + ALB: the service load balancer names the container and port of the task definition; awsvpc with private subnets`,
  },

  // appautoscaling/Target, appautoscaling/Policy
  {
    subject: 'appautoscaling/Target',
    fields: ['resourceId', 'serviceNamespace', 'scalableDimension'],
    rule: 'For an ECS service the ResourceId is service/<cluster-name>/<service-name> with namespace ecs and dimension ecs:service:DesiredCount.',
    source: 'https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html',
    emulator: 'enforces', // moto refuses an ECS resource ID whose service does not exist, and a mismatched namespace or dimension
    check: `${AUDIT}: Application Auto Scaling: the target and policy name the ECS service as service/<cluster>/<service>, with min at most max`,
  },
  {
    subject: 'appautoscaling/Target',
    fields: ['minCapacity', 'maxCapacity'],
    rule: 'MinCapacity is at most MaxCapacity.',
    source: 'https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html',
    emulator: 'forgives', // moto stores both unchecked
    check: `${AUDIT}: Application Auto Scaling: the target and policy name the ECS service as service/<cluster>/<service>, with min at most max`,
  },
  {
    subject: 'appautoscaling/Policy',
    fields: ['resourceId', 'serviceNamespace', 'scalableDimension', 'policyType'],
    rule: 'A scaling policy applies to a registered scalable target, named by the same namespace, resource ID and scalable dimension (ObjectNotFoundException otherwise).',
    source: 'https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScalingPolicy.html',
    emulator: 'forgives', // moto put_scaling_policy never looks for the target
    check: `${AUDIT}: Application Auto Scaling: the target and policy name the ECS service as service/<cluster>/<service>, with min at most max`,
  },

  // elbv2/LB
  {
    subject: 'elbv2/LB',
    fields: ['name'],
    rule: 'A load balancer name has at most 32 characters, only alphanumerics or hyphens, does not begin or end with a hyphen and does not begin with "internal-".',
    source: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html',
    emulator: 'forgives', // moto create_load_balancer does not check the name
    check: `${AUDIT}: ELB: load balancer and target group names fit 32 characters of letters, digits and hyphens, for the longest environment name`,
  },
  {
    subject: 'elbv2/LB',
    fields: ['subnetSelector', 'internal', 'loadBalancerType'],
    rule: 'An Application Load Balancer takes subnets from at least two Availability Zones.',
    source: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html',
    emulator: 'forgives', // moto accepts a single subnet
    check: `${AUDIT}: ALB: internet-facing in the public subnets of at least two Availability Zones`,
  },

  // elbv2/LBTargetGroup
  {
    subject: 'elbv2/LBTargetGroup',
    fields: ['name'],
    rule: 'A target group name has at most 32 characters, only alphanumerics or hyphens, and does not begin or end with a hyphen.',
    source: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html',
    emulator: 'enforces', // moto create_target_group: InvalidTargetGroupNameError over 32 characters or with other characters
    check: `${AUDIT}: ELB: load balancer and target group names fit 32 characters of letters, digits and hyphens, for the longest environment name`,
  },
  {
    subject: 'elbv2/LBTargetGroup',
    fields: ['targetType', 'port'],
    rule: 'When you use the awsvpc network mode you must choose ip as the target type, not instance.',
    source: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/alb.html',
    emulator: 'forgives', // moto never relates the target group to the task's network mode
    check: `${AWS_RULES}: ECS + ALB: a Fargate awsvpc task registers in a target group of type ip, on the container port`,
  },

  // elbv2/LBListener
  {
    subject: 'elbv2/LBListener',
    fields: ['certificateArn'],
    rule: 'The HTTPS listener certificate is an ACM certificate in the same Region as the load balancer.',
    source: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/https-listener-certificates.html',
    emulator: 'enforces', // moto looks the ARN up in the listener's own account and Region of ACM: CertificateNotFound otherwise
    check: `${AWS_RULES}: ALB: the HTTPS listener certificate is in the ALB's region and covers the API domain`,
  },
  {
    subject: 'elbv2/LBListener',
    fields: ['certificateArn'],
    rule: 'Only an issued certificate can be deployed; a DNS-validated ACM certificate is Pending validation until its CNAME is in the domain\'s DNS.',
    source: 'https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html',
    emulator: 'enforces', // scripts/emulator.py: CreateListener refuses a certificate that is not ISSUED (moto never read its status)
    check: 'test/emulator.test.ts: ACM issues a DNS-validated certificate only once Route 53 holds its validation record; a listener refuses it before',
    finding: 'fixed: the listener takes status.certificateArn, which the acm CertificateValidation \'certificate-validation\' writes from status.atProvider.certificateArn only once ACM has issued the certificate (src/composition/compute.ts; test/emulator.test.ts: ACM issues a DNS-validated certificate only once Route 53 holds its validation record; a listener refuses it before). '
      + 'It took the Certificate\'s ARN as soon as the Certificate existed, so on AWS CreateListener for HTTPS was asked to use a PENDING_VALIDATION certificate.',
  },
  {
    subject: 'elbv2/LBListener',
    fields: ['sslPolicy', 'protocol', 'defaultAction'],
    rule: 'An HTTPS listener needs a security policy, one of the predefined ELBSecurityPolicy-* policies; ELBSecurityPolicy-TLS13-1-2-2021-06 negotiates TLS 1.3 and 1.2 only.',
    source: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html',
    emulator: 'forgives', // moto stores any SslPolicy string
    check: 'test/render.test.ts: HTTPS only: HTTPS listener with a TLS 1.2+ policy, HTTP only redirects, API TLS 1.2',
  },

  // lambda/Function
  {
    subject: 'lambda/Function',
    fields: ['imageUri', 'packageType'],
    rule: 'A container-image function takes its image from an Amazon ECR repository in the same AWS Region as the function (another account is allowed with ECR cross-account permissions; ECR FIPS endpoints are not).',
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/images-create.html',
    emulator: 'enforces', // scripts/emulator.py section 6 refuses an image outside Amazon ECR or in another Region's ECR (moto stubs ECR and took any ImageUri)
    check: 'validation: appImage',
    finding: 'fixed: appImage must be an Amazon ECR private image in the environment\'s region (src/schema.ts pattern and SPEC_RULES rule; test/cases.ts bad cases \'image outside Amazon ECR (Lambda runs ECR images only)\' and \'ECR image in another region than the environment\'), and the emulator refuses a non-ECR image (scripts/emulator.py section 6; test/emulator.test.ts: Lambda refuses a container image outside Amazon ECR, or in another Region\'s ECR). '
      + 'imageUri is the claim\'s appImage, which src/schema.ts let be any registry (the committed claims used registry.example.com/payments/api), and CreateFunction/UpdateFunctionCode refuse a non-ECR image.',
  },
  {
    subject: 'lambda/Function',
    fields: ['timeout', 'memorySize'],
    rule: 'Function timeout is at most 900 seconds; memory is 128 MB to 10,240 MB in 1-MB increments.',
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html',
    emulator: 'forgives', // moto stores Timeout and MemorySize unchecked
    check: `${AUDIT}: Lambda: timeout within 1-900 s and memory within 128-10,240 MB in 1 MB steps`,
  },
  {
    subject: 'lambda/Function',
    fields: ['reservedConcurrentExecutions'],
    rule: 'Lambda requires at least 100 units of unreserved concurrency per account and Region (default quota 1,000); reserving more is refused.',
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html',
    emulator: 'forgives', // moto enforces it only with MOTO_LAMBDA_CONCURRENCY_QUOTA set, which e2e:aws does not set
    check: `${AWS_RULES}: Lambda: the tiers' reserved concurrency together leaves the account 100 unreserved (one account and region)`,
  },
  {
    subject: 'lambda/Function',
    fields: ['kmsKeyArnSelector'],
    rule: 'A KMS key is regional: the function\'s environment-variable key is in the function\'s Region.',
    source: 'https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-overview.html',
    emulator: 'forgives', // moto stores KMSKeyArn unread
    check: `${AWS_RULES}: KMS: every key a resource names is in that resource's region`,
  },
  {
    subject: 'lambda/Function',
    fields: ['vpcConfig'],
    rule: 'A function in a VPC takes subnets and security groups of that VPC, and its execution role needs ec2:CreateNetworkInterface, DescribeNetworkInterfaces and DeleteNetworkInterface.',
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html',
    emulator: 'forgives', // moto stores VpcConfig and never checks the role
    check: `${AWS_RULES}: the processor runs in the private subnets behind sg-lambda, whose role may manage its interfaces`,
  },

  // lambda/Permission
  {
    subject: 'lambda/Permission',
    fields: ['principal', 'sourceArn', 'action'],
    rule: 'For API Gateway the permission names the service principal apigateway.amazonaws.com and a source ARN arn:aws:execute-api:<region>:<account>:<api-id>/<stage>/<METHOD>/<path> of this API only.',
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway.html',
    emulator: 'forgives', // moto stores the statement and never evaluates SourceArn on invoke
    check: 'test/flows.test.ts: allowed flows',
  },

  // lambda/EventSourceMapping
  {
    subject: 'lambda/EventSourceMapping',
    fields: ['batchSize'],
    rule: 'For SQS, BatchSize defaults to 10 (standard queues up to 10,000); a BatchSize over 10 needs MaximumBatchingWindowInSeconds of at least 1.',
    source: 'https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html',
    emulator: 'forgives', // moto caps SQS batches at 10,000 but accepts 11-10,000 without a batching window
    check: `${AWS_RULES}: Lambda + SQS: visibility timeout at least 6x the function timeout; batch size within the window-less limit`,
  },
  {
    subject: 'lambda/EventSourceMapping',
    fields: ['eventSourceArn', 'functionNameSelector'],
    rule: 'Set the source queue\'s visibility timeout to at least six times the timeout of the function.',
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html',
    emulator: 'forgives', // moto create_event_source_mapping only checks the queue exists in the account and Region
    check: `${AWS_RULES}: Lambda + SQS: visibility timeout at least 6x the function timeout; batch size within the window-less limit`,
  },

  // apigateway/RestAPI, Resource, Method, Integration, Deployment
  {
    subject: 'apigateway/RestAPI',
    fields: ['endpointConfiguration.types'],
    rule: 'Regional APIs per account per Region: 600 (cannot be increased); resources per API 300; stages per API 10.',
    source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html',
    emulator: 'not-applicable', // a quota the stack is far below
    check: `${AUDIT}: API Gateway: one Regional REST API per environment, its resources and stages within the per-API quotas`,
  },
  {
    subject: 'apigateway/Resource',
    fields: ['pathPart', 'parentIdSelector'],
    rule: 'A proxy resource has the greedy path variable {proxy+} as its path part, under its parent resource, with the ANY method.',
    source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-set-up-simple-proxy.html',
    emulator: 'enforces', // moto create_resource refuses a path part outside ^\{?[a-zA-Z0-9._\-\:]+\+?\}?$
    check: `${AUDIT}: API Gateway: a greedy {proxy+} resource, ANY with a valid authorization type, a Lambda proxy integration by POST within the integration timeout`,
  },
  {
    subject: 'apigateway/Method',
    fields: ['httpMethod', 'authorization'],
    rule: 'authorizationType is NONE, AWS_IAM, CUSTOM or COGNITO_USER_POOLS.',
    source: 'https://docs.aws.amazon.com/apigateway/latest/api/API_PutMethod.html',
    emulator: 'forgives', // moto put_method stores any authorization type
    check: `${AUDIT}: API Gateway: a greedy {proxy+} resource, ANY with a valid authorization type, a Lambda proxy integration by POST within the integration timeout`,
  },
  {
    subject: 'apigateway/Integration',
    fields: ['type', 'integrationHttpMethod'],
    rule: 'For Lambda integrations the integration method must be POST.',
    source: 'https://docs.aws.amazon.com/apigateway/latest/api/API_PutIntegration.html',
    emulator: 'forgives', // moto requires some integration method for AWS_PROXY, not POST
    check: `${AUDIT}: API Gateway: a greedy {proxy+} resource, ANY with a valid authorization type, a Lambda proxy integration by POST within the integration timeout`,
  },
  {
    subject: 'apigateway/Integration',
    fields: ['uriSelector'],
    rule: 'An AWS_PROXY integration URI is an API Gateway service ARN, for Lambda arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function ARN>/invocations.',
    source: 'https://docs.aws.amazon.com/apigateway/latest/api/API_PutIntegration.html',
    emulator: 'enforces', // moto put_integration: InvalidIntegrationArn unless arn:...:apigateway:<region>:<service>:(path|action)/
    check: 'test/composition.test.ts: every reference selector selects a resource of the kind the provider resolves it to',
  },
  {
    subject: 'apigateway/Integration',
    fields: ['timeoutInMillis'],
    rule: 'Integration timeout 50 milliseconds to 29 seconds, the default 29 seconds (Regional and private REST APIs may raise it past 29 s by quota request, possibly lowering the account throttle quota).',
    source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html',
    emulator: 'forgives', // moto takes any timeoutInMillis; the front only fills the 29,000 ms default
    check: `${AUDIT}: API Gateway: a greedy {proxy+} resource, ANY with a valid authorization type, a Lambda proxy integration by POST within the integration timeout`,
  },
  {
    subject: 'apigateway/Deployment',
    fields: ['restApiIdSelector', 'description'],
    rule: 'A deployment that a stage points to cannot be deleted ("Active stages pointing to this deployment must be moved or deleted"): a new snapshot is a new deployment the stage moves to first.',
    source: 'https://docs.aws.amazon.com/apigateway/latest/api/API_DeleteDeployment.html',
    emulator: 'enforces', // scripts/emulator.py 1e (moto checked only the stage the deployment was created with)
    check: 'test/composition.test.ts: the API deployment takes nothing from the claim, is named after the API definition, and the stage uses it',
  },
  {
    subject: 'apigateway/Deployment',
    fields: ['restApiIdSelector'],
    rule: 'A deployment snapshots the API\'s methods: CreateDeployment of a REST API without methods is refused ("The REST API doesn\'t contain any methods"), and of a method without an integration ("No integration defined for method").',
    source: 'https://docs.aws.amazon.com/apigateway/latest/api/API_CreateDeployment.html',
    emulator: 'enforces', // moto create_deployment: BadRequestException without methods
    check: 'test/render.test.ts: the API deployment waits for the integration, the Vault Lock for the vault (held back on the first pass)',
    finding: 'fixed: the deployment is composed only once the integration reports its id, i.e. exists in AWS (a function-cel-filter condition, src/composition/edge.ts), and kept from then on. Found by npm run e2e:aws (2026-12-07): the REST API reference resolved first, AWS refused the create, and the provider\'s failed async create left external-create-pending behind (crossplane/upjet#561), so staging\'s deployment stayed Synced False until a person removed it.',
  },

  // apigateway/Stage
  {
    subject: 'apigateway/Stage',
    fields: ['accessLogSettings.format', 'accessLogSettings.destinationArn'],
    rule: 'To preserve uniqueness of each log, the access log format must include $context.requestId, on one line; the destination is a log group ARN.',
    source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html',
    emulator: 'forgives', // moto stores accessLogSettings unread
    check: `${AUDIT}: API Gateway: the stage access log format has $context.requestId on one line and goes to the composed log group`,
  },
  {
    subject: 'apigateway/Stage',
    fields: ['accessLogSettings'],
    rule: 'CloudWatch logging (access or execution) needs the account\'s API Gateway cloudWatchRoleArn set, per account and Region, to a role apigateway.amazonaws.com assumes with AmazonAPIGatewayPushToCloudWatchLogs ("CloudWatch Logs role ARN must be set in account settings to enable logging").',
    source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html',
    emulator: 'enforces', // scripts/emulator.py section 6 refuses stage logging until the account names a CloudWatch Logs role (moto had no account-settings check)
    check: 'test/emulator.test.ts: API Gateway refuses stage logging until the account names a CloudWatch Logs role (aws-account.yaml)',
    finding: 'fixed: dist/bootstrap/aws-account.yaml (src/bootstrap/iam.ts accountTemplate) sets the Region\'s API Gateway account CloudWatch role, and the emulator refuses stage logging without it (test/emulator.test.ts: API Gateway refuses stage logging until the account names a CloudWatch Logs role (aws-account.yaml); test/iam-bootstrap.test.ts: the environment template creates nothing account-wide; the account template holds the trail and API Gateway\'s CloudWatch role). '
      + 'Nothing set the account\'s cloudWatchRoleArn, so on a fresh account the stage with accessLogSettings was refused; it is one setting per account and Region, shared by every environment there, hence in the per-account template.',
  },

  // apigateway/MethodSettings
  {
    subject: 'apigateway/MethodSettings',
    fields: ['stageName', 'methodPath'],
    rule: 'Method settings belong to an existing stage of the API, keyed {resource_path}/{http_method} (*/* for all methods).',
    source: 'https://docs.aws.amazon.com/apigateway/latest/api/API_UpdateStage.html',
    emulator: 'enforces', // moto update_stage: StageNotFoundException for a stage that does not exist
    check: `${AUDIT}: API Gateway: method settings and the base path mapping name the composed stage of the API`,
  },
  {
    subject: 'apigateway/MethodSettings',
    fields: ['settings.loggingLevel', 'settings.metricsEnabled'],
    rule: 'Execution logging (loggingLevel ERROR or INFO) needs the account\'s API Gateway CloudWatch Logs role ARN set in account settings.',
    source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html',
    emulator: 'enforces', // scripts/emulator.py section 6: a method's logging level is refused like the stage's access log
    check: 'test/emulator.test.ts: API Gateway refuses stage logging until the account names a CloudWatch Logs role (aws-account.yaml)',
    finding: 'fixed: the same account CloudWatch role in dist/bootstrap/aws-account.yaml (src/bootstrap/iam.ts accountTemplate; test/iam-bootstrap.test.ts: the environment template creates nothing account-wide; the account template holds the trail and API Gateway\'s CloudWatch role). '
      + 'loggingLevel ERROR on */* was refused by UpdateStage while no account-level cloudWatchRoleArn existed.',
  },
  {
    subject: 'apigateway/MethodSettings',
    fields: ['settings.throttlingBurstLimit'],
    rule: 'Stage and method throttling is bounded by the account-level limits, even when set higher: a burst of 5,000 requests per account and Region across all APIs (set by API Gateway, not requestable).',
    source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html',
    emulator: 'not-applicable', // AWS accepts a higher burst too and caps it: nothing is refused
    check: THROTTLING,
    finding: 'fixed: prod\'s burst is 5,000, the account burst (src/policy.ts apiBurstLimit; test/audit-compute.test.ts: API Gateway: every stage throttles within the account limits of 10,000 requests per second and a burst of 5,000). '
      + 'It was 20,000: accepted by AWS, but never the limit clients met.',
  },
  {
    subject: 'apigateway/MethodSettings',
    fields: ['settings.throttlingRateLimit'],
    rule: 'Stage and method throttling is bounded by the account-level limits, even when set higher: 10,000 requests per second per account and Region across all APIs by default (a quota that can be raised on request).',
    source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html',
    emulator: 'not-applicable', // AWS accepts the values too and caps them: nothing is refused
    check: THROTTLING,
    finding: 'documented: prod\'s rate of 10,000 is the whole default account quota, which dev (100) and staging (1,000) share while SETTINGS.accounts puts all three in one account: give prod its own account (SETTINGS.accounts, SETTINGS.isolatedTiers) or request a higher quota through Service Quotas (docs/aws.md, What AWS enforces). '
      + 'Each stage\'s rate is within the quota; their sum in one account is not.',
  },

  // apigateway/DomainName, apigateway/BasePathMapping
  {
    subject: 'apigateway/DomainName',
    fields: ['regionalCertificateArn', 'endpointConfiguration.types', 'domainName'],
    rule: 'A Regional custom domain name takes an ACM certificate in the same Region as the API (regionalCertificateArn, not certificateArn) that covers the custom domain name.',
    source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-specify-certificate-for-custom-domain-name.html',
    emulator: 'forgives', // moto create_domain_name stores the ARN without looking at ACM
    check: `${AUDIT}: API Gateway: the Regional custom domain takes a certificate of the API region that covers the domain`,
  },
  {
    subject: 'apigateway/DomainName',
    fields: ['regionalCertificateArn', 'domainName'],
    rule: 'The custom domain is a registered internet domain and its certificate is signed by a publicly trusted CA and issued (a registered owner of the domain consents before ACM issues it).',
    source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-custom-domains-prerequisites.html',
    emulator: 'enforces', // scripts/emulator.py: CreateDomainName refuses a certificate that is not ISSUED (moto never read it)
    check: 'test/emulator.test.ts: ACM issues a DNS-validated certificate only once Route 53 holds its validation record; a listener refuses it before',
    finding: 'fixed: certificate validation is composed: a route53 Record per name of the certificate (\'certificate-validation-record\' and \'certificate-validation-record-1\', for apiDomain and app.<apiDomain>) in the hosted zone SETTINGS.dnsZones names (claim annotation paymentenv.io/dns-zone-id) and an acm CertificateValidation \'certificate-validation\' whose status.atProvider.certificateArn is the XR\'s status.certificateArn the listener and the domain wait for (src/composition/compute.ts); apiDomain must be a public name (src/schema.ts; test/cases.ts \'apiDomain never public (ACM cannot validate it)\'). '
      + 'regionalCertificateArn was the Certificate\'s ARN before it was issued, and the committed apiDomain values were under .internal, which no public DNS resolves, so ACM could never validate them.',
  },
  {
    subject: 'apigateway/BasePathMapping',
    fields: ['stageName', 'apiIdSelector', 'domainNameSelector'],
    rule: 'A base path mapping names an existing stage of the API it maps.',
    source: 'https://docs.aws.amazon.com/apigateway/latest/api/API_CreateBasePathMapping.html',
    emulator: 'enforces', // moto create_base_path_mapping: InvalidStageException for a stage the API lacks
    check: `${AUDIT}: API Gateway: method settings and the base path mapping name the composed stage of the API`,
  },

  // acm/Certificate
  {
    subject: 'acm/Certificate',
    fields: ['validationMethod', 'domainName', 'subjectAlternativeNames'],
    rule: 'With DNS validation ACM gives one CNAME record per domain name to add to the domain\'s DNS; until then the certificate is Pending validation, and after 72 hours without it the status becomes Validation timed out (a new certificate must be requested).',
    source: 'https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html',
    emulator: 'enforces', // scripts/emulator.py: ISSUED only once Route 53 holds the CNAME (moto issued any certificate after 60 s)
    check: 'test/emulator.test.ts: ACM issues a DNS-validated certificate only once Route 53 holds its validation record; a listener refuses it before',
    finding: 'fixed: certificate validation is composed: a route53 Record per name of the certificate (\'certificate-validation-record\' and \'certificate-validation-record-1\', for apiDomain and app.<apiDomain>) in the hosted zone SETTINGS.dnsZones names (claim annotation paymentenv.io/dns-zone-id) and an acm CertificateValidation \'certificate-validation\' whose status.atProvider.certificateArn is the XR\'s status.certificateArn the listener and domain wait for (src/composition/compute.ts). '
      + 'The emulator issues a certificate only once Route 53 holds its CNAME and refuses a listener on a pending certificate (test/emulator.test.ts: ACM issues a DNS-validated certificate only once Route 53 holds its validation record; a listener refuses it before). '
      + 'The Certificate was composed alone, its ARN went to status.certificateArn at once, and nothing wrote the validation record. An apiDomain in no zone of SETTINGS.dnsZones waits for someone to add the records in status.certificate.validationRecords (README, With a real cluster). Found later by npm run e2e:aws (2026-12-07), where the emulator issues only once every name has its record: one record was composed, for the first validation option only, so the certificate stayed PENDING_VALIDATION for its app.<apiDomain> name and CertificateValidation never became Ready; now one record per validation option (test/audit-compute.test.ts: ACM: a validation record in the zone for every name of the certificate, from its own validation option).',
  },
  {
    subject: 'acm/CertificateValidation',
    fields: ['certificateArnSelector'],
    rule: 'ACM issues a DNS-validated certificate only after it finds the CNAME record it named; a resource that deploys the certificate (an HTTPS listener, a custom domain name) takes only an ISSUED one.',
    source: 'https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html',
    emulator: 'enforces', // scripts/emulator.py: PENDING_VALIDATION until Route 53 holds the record
    check: 'test/emulator.test.ts: ACM issues a DNS-validated certificate only once Route 53 holds its validation record; a listener refuses it before',
  },
  {
    subject: 'route53/Record',
    fields: ['zoneId', 'name', 'type', 'records'],
    rule: 'The validation records are the CNAMEs ACM names for the certificate, one per domain name (each name and value from its DomainValidationOptions ResourceRecord), in the public hosted zone of the domain.',
    source: 'https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html',
    emulator: 'enforces', // scripts/emulator.py reads every name's CNAME from Route 53's zones before it issues
    check: `${AUDIT}: ACM: a validation record in the zone for every name of the certificate, from its own validation option`,
  },
  {
    subject: 'route53/Record',
    fields: ['zoneId'],
    rule: 'ChangeResourceRecordSets is authorized on the hosted zone (arn:aws:route53:::hostedzone/<id>); the deployer may change records in the zones of SETTINGS.dnsZones only.',
    source: 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonroute53.html',
    emulator: 'not-applicable', // the emulator evaluates no IAM policy
    check: 'test/iam-bootstrap.test.ts: the deployer changes records only in the configured hosted zones',
  },
  {
    subject: 'acm/Certificate',
    fields: ['domainName'],
    rule: 'The domain name (the Common Name) cannot exceed 64 octets including periods; longer names go in the Subject Alternative Names (up to 253 octets).',
    source: 'https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html',
    emulator: 'enforces', // moto builds the certificate with cryptography, which raises for a Common Name over 64 characters (a 500, not AWS's ValidationException)
    check: 'validation: apiDomain',
    finding: 'fixed: apiDomain has maxLength 64, and a rule refuses the never-public suffixes (.internal and the like) ACM cannot validate (src/schema.ts; test/cases.ts \'apiDomain never public (ACM cannot validate it)\'). '
      + 'src/schema.ts gave apiDomain maxLength 253, so payenv validate and the XRD accepted an apiDomain of 65-253 characters that RequestCertificate refuses.',
  },

  // wafv2/WebACL, wafv2/WebACLAssociation
  {
    subject: 'wafv2/WebACL',
    fields: ['ruleJson'],
    rule: 'A web ACL\'s rules count web ACL capacity units: the base price covers 1,500 WCUs (5,000 at most); CommonRuleSet 700, KnownBadInputsRuleSet 200, SQLiRuleSet 200, a rate-based rule 2; rule priorities must all be different.',
    source: 'https://docs.aws.amazon.com/waf/latest/developerguide/aws-waf-capacity-units.html',
    emulator: 'forgives', // moto gives every web ACL a fixed capacity and never counts or compares rules
    check: `${AUDIT}: WAF: the web ACL rules stay within the 1,500 WCUs of the base price, with distinct names and priorities`,
  },
  {
    subject: 'wafv2/WebACL',
    fields: ['scope'],
    rule: 'Application Load Balancers and API Gateway REST API stages take a REGIONAL web ACL (CLOUDFRONT scope is for distributions).',
    source: 'https://docs.aws.amazon.com/waf/latest/developerguide/waf-chapter.html',
    emulator: 'forgives', // moto associates a web ACL of either scope
    check: `${AWS_RULES}: WAF: a REGIONAL web ACL, associated with the ALB and the API stage (prod)`,
  },
  {
    subject: 'wafv2/WebACLAssociation',
    fields: ['resourceArn', 'webAclArnSelector'],
    rule: 'The web ACL and any AWS WAF resources it uses must be in the Region where the associated resource is.',
    source: 'https://docs.aws.amazon.com/waf/latest/developerguide/how-aws-waf-works-resources.html',
    emulator: 'forgives', // moto checks only that the web ACL ARN exists
    check: `${AUDIT}: WAF: each association joins the web ACL to a resource of its own region`,
  },
];
