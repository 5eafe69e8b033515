#!/usr/bin/env python3
"""The local AWS of `npm run e2e:aws`: moto's own server app (moto pinned in the README)
behind a small front. Usage: emulator.py HOST PORT

The front does four things, the first three because AWS does them and moto 5.2.5 does not:
  1. API Gateway GetIntegration of a method without an integration answers 404
     NotFoundException, as AWS documents ("Errors: NotFoundException, HTTP 404",
     https://docs.aws.amazon.com/apigateway/latest/api/API_GetIntegration.html);
     moto answers 200 "{}", so the provider believed the integration existed and
     never called PutIntegration. UpdateIntegration exists, and timeoutInMillis
     defaults to 29,000 ms as PutIntegration documents. Tags of a REST API and of a custom
     domain name change (moto tags stages only; see apigateway_tags). A missing deployment
     is 404, and one a stage points to cannot be deleted (1e).
  2. CloudWatch speaks Smithy RPC v2 CBOR to the Go SDK the providers use
     (https://smithy.io/2.0/additional-specs/protocols/smithy-rpc-v2.html;
     CloudWatch's service model lists it first), which moto does not serve
     (getmoto/moto#9195). CBOR requests are translated to the AWS JSON 1.0 request
     moto serves, and the answer back to CBOR (timestamps as tag 1, errors by
     shape name with the query-compatible code header).
  3. Application Auto Scaling tag operations, which moto lacks (see autoscaling_tags), AWS
     Backup selections and ListTags without its trailing slash, and the Tagging API's
     GetResources for RDS event subscriptions and Backup plans (see tagged_resources).
  AWS's documented defaults where a caller leaves a parameter out (KMS KeyUsage, a NAT
  gateway's ConnectivityType), which moto omits on read: see kms_key_init, nat_gateway_init;
  and SetQueueAttributes changing only what it is given (moto dropped the Policy): sqs_set_attributes.
  Test fixture, not AWS behaviour: POST /_emulator/vpc {"id", "cidr"} seeds a VPC with a
  given id, standing for what exists before an environment peers with it (adminPeering).
  4. Counts every call by caller (the access key: one per environment), service
     (the SigV4 credential scope), operation and read/write, for the steady-state
     figures: GET /_emulator/calls reads them, DELETE resets them.
  5. Faults for `npm run e2e:faults` (see Faults): a call's answer withheld after AWS acted,
     throttling as each protocol spells it, and STS refusing a role that does not exist.
"""
import base64
import datetime
import json
import re
import sys
import os
import threading
import time
import uuid
from collections import Counter
from io import BytesIO
from urllib.parse import parse_qs, unquote

# Every AWS account has the AWS managed policies (the account bootstrap attaches
# AmazonAPIGatewayPushToCloudWatchLogs); moto loads them only when asked, before it is imported.
os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")

import botocore.session
import cbor2
from werkzeug.serving import run_simple

from moto.apigateway.exceptions import DeploymentNotFoundException, NoIntegrationDefined, StageStillActive
from moto.acm.models import CertBundle, acm_backends
from moto.apigateway.exceptions import BadRequestException as ApigwBadRequest
from moto.elbv2.exceptions import ELBClientError
from moto.elbv2.models import ELBv2Backend
from moto.route53.models import route53_backends
from moto.apigateway.models import APIGatewayBackend, RestAPI, apigateway_backends
from moto.core import DEFAULT_ACCOUNT_ID
from moto.backup.models import backup_backends
from moto.ec2 import ec2_backends
from moto.ecs.models import Service as EcsService
from moto.ecs.responses import EC2ContainerServiceResponse as EcsResponse
from moto.events.utils import EventTemplateParser
from moto.ec2.models import vpcs as vpcs_module
from moto.ec2.models.nat_gateways import NatGateway
from moto.sqs.models import Queue as SqsQueue
from moto.iam.models import iam_backends
from moto.apigateway.responses import APIGatewayResponse
from moto.awslambda.exceptions import InvalidParameterValueException as LambdaInvalidParameterValue
from moto.awslambda.models import LambdaFunction
from moto.core.responses import ActionResult
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.responses import DynamoHandler
from moto.kms.models import Key as KmsKey
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from moto.rds.models import RDSBackend, rds_backends
from moto.s3.responses import S3Response
from moto.s3.models import FakeBucket

# 1. GetIntegration: 404 when the method has no integration (moto: 200 "{}").
_get_integration = APIGatewayResponse.get_integration


def get_integration(self):
    parts = self.path.split("/")
    if self.backend.get_integration(parts[2], parts[4], parts[6]) is None:
        raise NoIntegrationDefined()
    return _get_integration(self)


APIGatewayResponse.get_integration = get_integration

# 1b. UpdateIntegration, which moto lacks (https://docs.aws.amazon.com/apigateway/latest/api/API_UpdateIntegration.html):
# the patch operations on an integration's fields; and timeoutInMillis defaults to
# 29,000 as PutIntegration documents (moto keeps null, which reads as a change).
INTEGRATION_FIELDS = {
    "/uri": "uri", "/httpMethod": "http_method", "/timeoutInMillis": "timeout_in_millis",
    "/passthroughBehavior": "passthrough_behaviour", "/contentHandling": "content_handling",
    "/credentials": "credentials", "/connectionType": "connection_type", "/cacheNamespace": "cache_namespace",
}


def update_integration(self):
    parts = self.path.split("/")
    integration = self.backend.get_integration(parts[2], parts[4], parts[6])
    if integration is None:
        raise NoIntegrationDefined()
    for op in self._get_param("patchOperations") or []:
        path, value = op.get("path", ""), op.get("value")
        if path in INTEGRATION_FIELDS:
            if path == "/timeoutInMillis" and value is not None:
                value = int(value)  # an integer in AWS's model; patch values are strings
            setattr(integration, INTEGRATION_FIELDS[path], None if op["op"] == "remove" else value)
        elif path.startswith(("/requestTemplates/", "/requestParameters/")):
            attr = "request_templates" if path.startswith("/requestTemplates/") else "request_parameters"
            key = path.split("/", 2)[2].replace("~1", "/")
            current = dict(getattr(integration, attr) or {})
            if op["op"] == "remove":
                current.pop(key, None)
            else:
                current[key] = value
            setattr(integration, attr, current)
    return json.dumps(integration.to_json())


APIGatewayResponse.update_integration = update_integration
_put_integration = APIGatewayResponse.put_integration


def put_integration(self):
    status, headers, body = _put_integration(self)
    parts = self.path.split("/")
    integration = self.backend.get_integration(parts[2], parts[4], parts[6])
    if integration is not None and integration.timeout_in_millis is None:
        integration.timeout_in_millis = 29000
        body = json.dumps(integration.to_json())
    return status, headers, body


APIGatewayResponse.put_integration = put_integration

# 1e. Deployments: GetDeployment of one that does not exist answers 404 NotFoundException and
# DeleteDeployment refuses while a stage points to it (BadRequestException "Active stages
# pointing to this deployment must be moved or deleted"), as AWS documents
# (https://docs.aws.amazon.com/apigateway/latest/api/API_GetDeployment.html, API_DeleteDeployment.html).
# moto 5.2.5 raises KeyError (HTTP 500) for the first (and 400 for a missing one it deletes) and checks only the stage the deployment
# was created with, so it deleted one a stage had moved to and the provider never saw it gone.
_get_deployment = RestAPI.get_deployment
_delete_deployment = RestAPI.delete_deployment


class DeploymentNotFound(DeploymentNotFoundException):
    code = 404  # moto's answers 400; NotFoundException is HTTP 404 in AWS's model


def get_deployment(self, deployment_id):
    if deployment_id not in self.deployments:
        raise DeploymentNotFound()
    return _get_deployment(self, deployment_id)


def delete_deployment(self, deployment_id):
    if deployment_id not in self.deployments:
        raise DeploymentNotFound()
    if any(stage.deployment_id == deployment_id for stage in self.stages.values()):
        raise StageStillActive()
    return _delete_deployment(self, deployment_id)


RestAPI.get_deployment = get_deployment
RestAPI.delete_deployment = delete_deployment

# 1c. Values moto 5.2.5 drops, each of which made a provider update forever (seen in e2e:aws's
# steady-state call counts), answered as AWS's API references document them:
# - DynamoDB TagResource overwrites a key that exists (moto appended a second one):
#   https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TagResource.html
# - DynamoDB ListTagsOfResource: moto pages at 10 tags ("to make testing easier"); AWS documents
#   no page size and allows 50 tags per resource. The provider reads one page, so with 11 tags
#   one was always missing and it re-tagged every poll (seen in e2e:aws call counts):
#   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html (tags per resource)
# - Lambda returns the function's LoggingConfig (LogFormat, LogGroup; defaults Text and /aws/lambda/<name>):
#   https://docs.aws.amazon.com/lambda/latest/api/API_FunctionConfiguration.html
# - RDS keeps PerformanceInsightsEnabled of CreateDBInstance / ModifyDBInstance:
#   https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBInstance.html
# - an Aurora instance is in its cluster's DB subnet group, which DescribeDBInstances returns
#   (DBInstance.DBSubnetGroup; CreateDBInstance: "the DB subnet group is managed by the DB
#   cluster"); moto left it out, so scanners read the instance as outside any VPC:
#   https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html
# - KMS DescribeKey always returns KeyMetadata.MultiRegion (false unless asked for); moto kept
#   None when CreateKey had no MultiRegion and dropped the field, which stopped scanners reading keys:
#   https://docs.aws.amazon.com/kms/latest/APIReference/API_KeyMetadata.html
# - S3 PutBucketLogging accepts a target bucket whose policy also has statements for "Principal": "*"
#   (moto crashed reading them; AWS grants log delivery by the logging service's statement):
#   https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
# - S3 GetBucketReplication returns each rule's DeleteMarkerReplication, Filter and
#   SourceSelectionCriteria as put (moto answered fixed values), an empty <Filter/> included: moto
#   dropped it, the provider (which sends filter {prefix: ""} as an empty Filter) read no filter
#   back and put the configuration again on every reconcile (~7 writes/s in prod):
#   https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketReplication.html
def dynamodb_tag_resource(self, arn, tags):
    for table in self.tables.values():
        if table.table_arn == arn:
            kept = [t for t in table.tags if t["Key"] not in tags]
            table.tags = kept + [{"Key": k, "Value": v} for k, v in tags.items()]


DynamoDBBackend.tag_resource = dynamodb_tag_resource


def dynamodb_list_tags_of_resource(self):
    tags = self.dynamodb_backend.list_tags_of_resource(self.body["ResourceArn"])
    return ActionResult({"Tags": tags[:50]})


DynamoHandler.list_tags_of_resource = dynamodb_list_tags_of_resource

_lambda_config = LambdaFunction.get_configuration
_lambda_update = LambdaFunction.update_configuration


def lambda_get_configuration(self, *args, **kwargs):
    config = _lambda_config(self, *args, **kwargs)
    given = getattr(self, "logging_config", None) or self.spec_logging_config()
    config["LoggingConfig"] = {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{self.function_name}", **given}
    return config


def lambda_spec_logging_config(self):
    return (getattr(self, "_spec", None) or {}).get("LoggingConfig") or {}


def lambda_update_configuration(self, updates):
    if "LoggingConfig" in updates:
        self.logging_config = {**(getattr(self, "logging_config", None) or self.spec_logging_config()), **updates["LoggingConfig"]}
    return _lambda_update(self, updates)


_lambda_init = LambdaFunction.__init__


def lambda_init(self, account_id, spec, *args, **kwargs):
    _lambda_init(self, account_id, spec, *args, **kwargs)
    self._spec = spec


LambdaFunction.__init__ = lambda_init
LambdaFunction.spec_logging_config = lambda_spec_logging_config
LambdaFunction.get_configuration = lambda_get_configuration
LambdaFunction.update_configuration = lambda_update_configuration

_rds_create, _rds_modify = RDSBackend.create_db_instance, RDSBackend.modify_db_instance


def rds_keep_insights(db, kwargs):
    if "enable_performance_insights" in kwargs:
        db.performance_insights_enabled = str(kwargs["enable_performance_insights"]).lower() == "true"
    return db


RDSBackend.create_db_instance = lambda self, kw: rds_keep_insights(_rds_create(self, kw), kw)
RDSBackend.modify_db_instance = lambda self, ident, kw: rds_keep_insights(_rds_modify(self, ident, kw), kw)

_rds_describe_instances = RDSBackend.describe_db_instances


def rds_describe_db_instances(self, *args, **kwargs):
    found = _rds_describe_instances(self, *args, **kwargs)
    for db in found:
        cluster = getattr(db, "cluster", None)
        # Always the cluster's (seen: one run's dev instances kept none, and scanners read them as outside any VPC).
        if cluster is not None and cluster.db_subnet_group_name not in (None, "default") and getattr(db, "_db_subnet_group_name", None) != cluster.db_subnet_group_name:
            db.db_subnet_group_name = cluster.db_subnet_group_name
    return found


RDSBackend.describe_db_instances = rds_describe_db_instances

_kms_key_init = KmsKey.__init__


def kms_key_init(self, *args, **kwargs):
    _kms_key_init(self, *args, **kwargs)
    self.multi_region = bool(self.multi_region)
    # CreateKey without KeyUsage: AWS makes it ENCRYPT_DECRYPT and DescribeKey says so
    # (https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html, KeyUsage
    # "Default: ENCRYPT_DECRYPT"); moto 5.2.5 stores None and omits it, so a key another tool
    # made read as key_usage "" and adopting it asked for a replacement.
    self.key_usage = self.key_usage or "ENCRYPT_DECRYPT"


KmsKey.__init__ = kms_key_init

_nat_gateway_init = NatGateway.__init__


def nat_gateway_init(self, backend, subnet_id, allocation_id, tags=None, connectivity_type=None):
    # CreateNatGateway without ConnectivityType: AWS makes it public and DescribeNatGateways
    # says so (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNatGateway.html,
    # ConnectivityType "Default: public"); moto 5.2.5 passes the missing parameter on as None.
    _nat_gateway_init(self, backend, subnet_id, allocation_id, tags, connectivity_type or "public")


NatGateway.__init__ = nat_gateway_init

_sqs_set_attributes = SqsQueue._set_attributes


def sqs_set_attributes(self, attributes, now=None):
    # SetQueueAttributes changes only the attributes it is given
    # (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html);
    # moto 5.2.5 sets Policy to None on every call without one, so writing a queue's other
    # attributes (the Queue, its redrive policy) removed the QueuePolicy's policy, and Terraform's
    # wait for six equal reads of it never ended: drift-queue-policy sat in Creating for minutes.
    kept = getattr(self, "policy", None)
    _sqs_set_attributes(self, attributes, now)
    if "Policy" not in attributes:
        self.policy = kept


SqsQueue._set_attributes = sqs_set_attributes

_s3_get_replication = S3Response.get_bucket_replication


def s3_get_bucket_replication(self):
    answer = _s3_get_replication(self)  # raises ReplicationConfigurationNotFoundError as AWS does
    stored = self.backend.get_bucket_replication(self.bucket_name)
    rules = stored["Rule"] if isinstance(stored["Rule"], list) else [stored["Rule"]]
    out = []
    for rule in rules:
        r = {"ID": rule["ID"], "Priority": rule["Priority"], "Status": rule["Status"], "Destination": rule["Destination"]}
        for k in ("DeleteMarkerReplication", "Filter", "SourceSelectionCriteria"):
            if k in rule:
                r[k] = rule[k]
        if "Filter" in rule and rule["Filter"] is None:
            r["Filter"] = {}  # <Filter></Filter>: the rule applies to every object, and S3 keeps the element
        if isinstance(r.get("Filter"), dict) and "Prefix" in r["Filter"] and r["Filter"]["Prefix"] is None:
            r["Filter"] = {**r["Filter"], "Prefix": ""}  # XML <Prefix></Prefix> is the empty prefix
        out.append(r)
    return self.serialized(ActionResult({"ReplicationConfiguration": {"Role": stored["Role"], "Rules": out}}))


S3Response.get_bucket_replication = s3_get_bucket_replication

_s3_log_policy = FakeBucket._log_permissions_enabled_policy


def s3_log_permissions_enabled_policy(target_bucket, target_prefix):
    # moto reads every statement's Principal as an object; "Principal": "*" (a TLS-only Deny) made
    # PutBucketLogging fail with a 500. Only the statements naming the logging service count.
    policy = target_bucket.policy
    if not policy:
        return False
    doc = json.loads(policy.decode())
    kept = [st for st in doc.get("Statement", []) if isinstance(st.get("Principal"), dict)]
    original = target_bucket.policy
    target_bucket.policy = json.dumps({**doc, "Statement": kept}).encode()
    try:
        return _s3_log_policy(target_bucket, target_prefix)
    finally:
        target_bucket.policy = original


FakeBucket._log_permissions_enabled_policy = staticmethod(s3_log_permissions_enabled_policy)

# - ECS keeps a service's deploymentConfiguration (CreateService, UpdateService) and answers it
#   with AWS's defaults for what was not given (maximumPercent 200, minimumHealthyPercent 100, the
#   circuit breaker off, strategy ROLLING: "ROLLING is the default"). moto dropped it, so the
#   provider read no deployment_configuration (Optional + Computed), planned it unknown after every
#   read and "updated" each service in a loop that called DescribeServices ~4 times a second and
#   nothing else (e2e:aws --debug ecs: "Diff detected ... deployment_configuration.#: NewComputed"):
#   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html,
#   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html
ECS_DEPLOYMENT_DEFAULTS = {"deploymentCircuitBreaker": {"enable": False, "rollback": False}, "maximumPercent": 200,
                           "minimumHealthyPercent": 100, "strategy": "ROLLING"}


def ecs_deployment_configuration(self):
    return {**ECS_DEPLOYMENT_DEFAULTS, **(getattr(self, "_deployment_configuration", None) or {})}


def ecs_set_deployment_configuration(self, value):
    # UpdateService names what changes; the rest stays as it was (moto's update_service sets each given attribute).
    self._deployment_configuration = {**(getattr(self, "_deployment_configuration", None) or {}), **(value or {})}


EcsService.deployment_configuration = property(ecs_deployment_configuration, ecs_set_deployment_configuration)
_ecs_create_service = EcsResponse.create_service


def ecs_create_service(self):
    result = _ecs_create_service(self)
    result.result["service"].deployment_configuration = self._get_param("deploymentConfiguration")
    return result


EcsResponse.create_service = ecs_create_service


# ListTaskDefinitions with sort DESC lists the newest revision first, as AWS documents
# (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListTaskDefinitions.html);
# moto 5.2.5 ignores sort, so "the newest ACTIVE revision" of e2e:faults was the oldest.
def ecs_list_task_definitions(self):
    arns = self.ecs_backend.list_task_definitions(self._get_param("familyPrefix"), self._get_param("status", "ACTIVE"))
    return ActionResult({"taskDefinitionArns": arns[::-1] if self._get_param("sort") == "DESC" else arns})


EcsResponse.list_task_definitions = ecs_list_task_definitions

# - EventBridge delivers the whole event to a target without an input transformer, "account"
#   included (a top-level field of every event: https://docs.aws.amazon.com/eventbridge/latest/ref/events-structure.html);
#   moto's default template left it out, so an SQS target received events without their account.
EventTemplateParser.DEFAULT_EVENT_INPUT_TEMPLATE = (
    '{"id": "<id>", "time": <time>, "version": "0", "detail-type": "<detail-type>", "source": "<source>", '
    '"account": "<account>", "region": "<region>", "resources": <resources>, "detail": <detail>}')

# 6. What AWS refuses and moto 5.2.5 accepts, found by the real-account audit (docs/aws.md "What AWS
#    enforces"): the product must meet these, so e2e:aws refuses what AWS would.
# - Lambda runs container images from Amazon ECR private repositories in the function's Region only
#   (any account; not ecr-fips): https://docs.aws.amazon.com/lambda/latest/dg/images-create.html.
#   moto stubs ECR and takes any ImageUri (MOTO_LAMBDA_STUB_ECR).
ECR_IMAGE = r"^\d{12}\.dkr\.ecr\.%s\.amazonaws\.com/[^\s]+$"


def lambda_check_image(region, code):
    uri = (code or {}).get("ImageUri")
    if uri is not None and not re.match(ECR_IMAGE % re.escape(region), uri):
        raise LambdaInvalidParameterValue(f"Source image {uri} is not valid. Provide a valid source image.")


def lambda_init_checked(self, account_id, spec, region, *args, **kwargs):
    lambda_check_image(region, spec.get("Code"))
    lambda_init(self, account_id, spec, region, *args, **kwargs)


_lambda_update_code = LambdaFunction.update_function_code


def lambda_update_code_checked(self, updated_spec):
    lambda_check_image(self.region, updated_spec)
    return _lambda_update_code(self, updated_spec)


LambdaFunction.__init__ = lambda_init_checked
LambdaFunction.update_function_code = lambda_update_code_checked

# - API Gateway logs a stage (access log settings, a method's logging level) only once the account's
#   setting names a CloudWatch Logs role for the Region: until then UpdateStage is refused
#   ("CloudWatch Logs role ARN must be set in account settings to enable logging"):
#   https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html. The bootstrap's
#   aws-account.yaml sets it (e2e:aws does what that stack does: aws-drift.py account-bootstrap).
_apigw_update_stage = APIGatewayBackend.update_stage


def apigw_update_stage_checked(self, function_id, stage_name, patch_operations):
    enables_logging = any(
        op.get("op") == "replace" and (op["path"].startswith("/accessLogSettings/") or (op["path"].endswith("/logging/loglevel") and str(op.get("value")).upper() != "OFF"))
        for op in patch_operations or [])
    if enables_logging and not self.account.cloudwatch_role_arn:
        raise ApigwBadRequest("CloudWatch Logs role ARN must be set in account settings to enable logging")
    return _apigw_update_stage(self, function_id, stage_name, patch_operations)


APIGatewayBackend.update_stage = apigw_update_stage_checked

# - ACM issues a DNS-validated certificate only once the CNAME it names is in public DNS, and
#   waits for it up to 72 hours (https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html);
#   moto marks it ISSUED after 60 s whatever DNS holds. Here: ISSUED once Route 53 (this account's
#   zones) holds each validation record, PENDING_VALIDATION until then.
def acm_validated(cert):
    names = set(cert.sans + ([cert.common_name] if cert.common_name else []))
    want = {(f"_d930b28be6c5927595552b219965053e.{n[2:] if n.startswith('*.') else n}.".lower(), ACM_RECORD_VALUE) for n in names}
    have = set()
    for zone in route53_backends[cert.arn.split(":")[4]]["global"].zones.values():
        for rr in zone.rrsets:
            if rr.type == "CNAME":
                for v in rr.records:
                    value = v.get("Value") if isinstance(v, dict) else v
                    have.add(((rr.name if rr.name.endswith(".") else rr.name + ".").lower(), str(value).rstrip(".") + "."))
    return want <= have


ACM_RECORD_VALUE = "_c9edd76ee4a0e2a74388032f3861cc50.ykybfrwcxw.acm-validations.aws."
_acm_check = CertBundle.check


def acm_check(self):
    _acm_check(self)
    if self.type == "AMAZON_ISSUED" and self.status == "ISSUED" and not getattr(self, "_validated", False):
        self.status = "ISSUED" if acm_validated(self) else "PENDING_VALIDATION"
        self._validated = self.status == "ISSUED"


CertBundle.check = acm_check

# - A listener (ELB) or a custom domain (API Gateway) takes only an issued certificate; one still
#   pending validation is refused (ELB CreateListener's CertificateNotFound, API Gateway's
#   BadRequestException; AWS's pages name the errors, not this case's wording).
def acm_issued(arn):
    try:
        region, account = arn.split(":")[3], arn.split(":")[4]
        cert = acm_backends[account][region].describe_certificate(arn)
    except Exception:
        return False
    return cert.status == "ISSUED"


_elb_create_listener = ELBv2Backend.create_listener


# - One listener per load balancer and port. CreateListener "is idempotent ... If you attempt to
#   create multiple listeners with the same settings, each call succeeds" (the same listener), and a
#   port in use with other settings is refused with DuplicateListener:
#   https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateListener.html.
#   moto 5.2.5 keys listeners by ARN but looks for the port among the keys, so it never matched and
#   made a second listener on the port (found by payenv adopt --lookup: two port-80 listeners after
#   an async create's answer was lost, crossplane/upjet#561).
LISTENER_ARGS = ["load_balancer_arn", "protocol", "port", "ssl_policy", "certificate", "actions"]


def elb_create_listener_checked(self, *args, **kwargs):
    given = {**dict(zip(LISTENER_ARGS, args)), **kwargs}
    certificate = given.get("certificate")
    if certificate and not acm_issued(certificate):
        raise ELBClientError("CertificateNotFound", f"Certificate '{certificate}' not found")
    balancer = self.load_balancers.get(given.get("load_balancer_arn"))
    for listener in (balancer.listeners.values() if balancer else []):
        if str(listener.port) != str(given.get("port")):
            continue
        same = (listener.protocol == given.get("protocol") and (listener.certificate or None) == (certificate or None)
                and json.dumps([a.data for a in listener.default_actions], sort_keys=True, default=str)
                == json.dumps(list(given.get("actions") or []), sort_keys=True, default=str))
        if same:
            return listener
        raise ELBClientError("DuplicateListener", "A listener with the specified port already exists.")
    return _elb_create_listener(self, *args, **kwargs)


ELBv2Backend.create_listener = elb_create_listener_checked
_apigw_create_domain = APIGatewayBackend.create_domain_name


DOMAIN_ARGS = ["domain_name", "certificate_name", "tags", "certificate_arn", "certificate_body", "certificate_private_key",
               "certificate_chain", "regional_certificate_name", "regional_certificate_arn"]


def apigw_create_domain_checked(self, *args, **kwargs):
    given = {**dict(zip(DOMAIN_ARGS, args)), **kwargs}
    arn = given.get("regional_certificate_arn") or given.get("certificate_arn")
    if arn and not acm_issued(arn):
        raise ApigwBadRequest(f"Certificate {arn} in account {arn.split(':')[4]} not yet issued")
    return _apigw_create_domain(self, *args, **kwargs)


APIGatewayBackend.create_domain_name = apigw_create_domain_checked

# 2. CloudWatch over Smithy RPC v2 CBOR.
CW = botocore.session.get_session().get_service_model("cloudwatch")
CBOR_PATH = re.compile(r"^/service/(?P<service>[^/]+)/operation/(?P<op>[^/]+)$")


def to_json_value(v):
    """CBOR request values as AWS JSON 1.0 carries them."""
    if isinstance(v, datetime.datetime):
        return v.timestamp()
    if isinstance(v, bytes):
        return base64.b64encode(v).decode()
    if isinstance(v, dict):
        return {k: to_json_value(x) for k, x in v.items()}
    if isinstance(v, list):
        return [to_json_value(x) for x in v]
    return v


def to_cbor_value(v, shape):
    """A JSON answer as CBOR carries it: timestamps become tag 1, blobs bytes."""
    if v is None or shape is None:
        return v
    t = shape.type_name
    if t == "structure":
        return {k: to_cbor_value(x, shape.members.get(k)) for k, x in v.items()}
    if t == "list":
        return [to_cbor_value(x, shape.member) for x in v]
    if t == "map":
        return {k: to_cbor_value(x, shape.value) for k, x in v.items()}
    if t == "timestamp":
        if isinstance(v, str):
            try:
                v = float(v)
            except ValueError:
                return cbor2.CBORTag(1, datetime.datetime.fromisoformat(v.replace("Z", "+00:00")).timestamp())
        return cbor2.CBORTag(1, v)
    if t == "blob" and isinstance(v, str):
        return base64.b64decode(v)
    return v


def error_shape(op_name, code):
    """The error shape of an operation whose name or query-compatible code is `code`."""
    op = CW.operation_model(op_name)
    for s in op.error_shapes:
        if s.name == code or s.metadata.get("error", {}).get("code") == code:
            return s
    return None


class Front:
    def __init__(self, app):
        self.app = app
        self.calls = Counter()
        self.tags = {}
        self.selections = {}
        self.account = os.environ.get("MOTO_ACCOUNT_ID", DEFAULT_ACCOUNT_ID)
        self.lock = threading.Lock()
        self.faults = Faults(self.account)

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/_emulator/calls":
            return self.report(environ, start_response)
        if path == "/_emulator/vpc" and environ["REQUEST_METHOD"] == "POST":
            return self.seed_vpc(environ, start_response)
        if path == "/_emulator/hosted-zone" and environ["REQUEST_METHOD"] == "POST":
            return self.seed_hosted_zone(environ, start_response)
        if path == "/_emulator/faults":
            return self.faults.control(environ, start_response)
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = BytesIO(body)
        caller, service = credential(environ)
        cbor_call = environ.get("HTTP_SMITHY_PROTOCOL") == "rpc-v2-cbor"
        op = operation(environ, body, service)
        with self.lock:
            self.calls[(caller, service, op, kind(environ["REQUEST_METHOD"], op, service))] += 1
        refused = self.faults.refuse(environ, body, caller, service, op, cbor_call)
        if refused:
            status, headers, data = refused
            start_response(status, headers + [("Content-Length", str(len(data)))])
            return [data]
        if self.faults.holds(caller, service, op):
            captured = {}
            answer = self.forward(environ, captured)
            self.faults.hold(caller, service, op, captured["status"])
            start_response(captured["status"], captured["headers"])
            return [answer]
        if cbor_call:
            return self.cbor(environ, body, start_response)
        if service == "application-autoscaling" and op in AUTOSCALING_TAG_OPS:
            return self.autoscaling_tags(op, body, start_response)
        if service == "application-autoscaling" and op == "RegisterScalableTarget":
            return self.register_with_tags(environ, body, start_response)
        if service == "backup" and environ["REQUEST_METHOD"] == "GET" and BACKUP_TAGS.match(environ.get("PATH_INFO", "")):
            # 3c. AWS Backup ListTags as the Go SDK sends it, GET /tags/{arn} without the API
            # reference's trailing slash (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_ListTags.html);
            # moto takes the ARN from the second-to-last path segment, read the tags of "tags"
            # (none) and the provider re-tagged every vault and plan on every poll.
            environ["PATH_INFO"] += "/"
            for raw in ("REQUEST_URI", "RAW_URI"):
                if raw in environ:
                    path, _, query = environ[raw].partition("?")
                    environ[raw] = f"{path}/{'?' + query if query else ''}"
        if service == "tagging" and op == "GetResources":
            return self.tagged_resources(environ, body, start_response)
        if service == "apigateway" and path.startswith("/tags/arn:"):
            return self.apigateway_tags(environ, body, start_response)
        m = BACKUP_SELECTIONS.match(environ.get("PATH_INFO", ""))
        if service == "backup" and m:
            return self.backup_selections(environ["REQUEST_METHOD"], m.group("plan"), m.group("id"), body, start_response)
        return self.app(environ, start_response)

    # 3d. Resource Groups Tagging API GetResources also returns RDS event subscriptions and AWS
    # Backup plans, as AWS does (both are taggable resources of the Tagging API,
    # https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/supported-services.html);
    # moto 5.2.5 leaves them out, so a scan scoped by tag (Prowler --resource-tag) saw no event
    # subscription and no backup plan and failed the checks that read them.
    def tagged_resources(self, environ, body, start_response):
        captured = {}
        answer = self.forward(environ, captured)
        req = json.loads(body or b"{}")
        if not captured["status"].startswith("2") or req.get("PaginationToken"):
            start_response(captured["status"], captured["headers"])
            return [answer]
        out = json.loads(answer or b"{}")
        have = {r["ResourceARN"] for r in out.get("ResourceTagMappingList", [])}
        scope = SCOPE_REGION.search(environ.get("HTTP_AUTHORIZATION", ""))
        region = scope.group(1) if scope else "us-east-1"
        filters = req.get("TagFilters", [])

        def matches(tags):
            return all(any(t["Key"] == f["Key"] and (not f.get("Values") or t["Value"] in f["Values"]) for t in tags) for f in filters)

        extra = []
        rds = rds_backends[self.account][region]
        for sub in rds.event_subscriptions.values():
            arn = sub.arn
            extra.append((arn, rds.list_tags_for_resource(arn)))
        backup = backup_backends[self.account][region]
        for plan in backup.plans.values():
            if plan.deletion_date is None:
                extra.append((plan.backup_plan_arn, [{"Key": k, "Value": v} for k, v in backup.list_tags(plan.backup_plan_arn).items()]))
        for arn, tags in extra:
            if arn not in have and tags and matches(tags):
                out.setdefault("ResourceTagMappingList", []).append({"ResourceARN": arn, "Tags": tags})
        data = json.dumps(out).encode()
        start_response(captured["status"], [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"] + [("Content-Length", str(len(data)))])
        return [data]

    # 1d. API Gateway tags of a REST API and of a custom domain name (TagResource, UntagResource,
    # GetTags take any taggable resource's ARN: https://docs.aws.amazon.com/apigateway/latest/api/API_TagResource.html,
    # and GetRestApi / GetDomainName return the tags: API_RestApi.html, API_DomainName.html).
    # moto 5.2.5 reads every tagged ARN as a stage's, so a REST API or a domain name kept the tags
    # it was created with and the provider re-tagged both every ~30 s once a tag changed (dev's
    # ConfigHash after the commit phase of npm run e2e:aws: 41 PUT /tags in ten minutes).
    def apigateway_tags(self, environ, body, start_response):
        def answer(status, out=None):
            return json_answer(start_response, status, out)

        m = APIGW_TAGGED.match(unquote(environ["PATH_INFO"][len("/tags/"):]))
        if not m:
            return self.app(environ, start_response)
        backend = apigateway_backends[self.account][m.group("region")]
        try:
            if m.group("domain"):
                target = backend.get_domain_name(m.group("domain"))
            elif m.group("stage"):
                target = backend.get_stage(m.group("api"), m.group("stage"))
            else:
                target = backend.get_rest_api(m.group("api"))
        except Exception as e:  # moto's NotFound errors of each kind
            return answer("404 Not Found", {"__type": "NotFoundException", "message": str(e)})
        method = environ["REQUEST_METHOD"]
        with self.lock:
            tags = dict(target.tags or {})
            if method == "PUT":
                tags.update(json.loads(body or b"{}").get("tags") or {})
            elif method == "DELETE":
                for k in parse_qs(environ.get("QUERY_STRING", "")).get("tagKeys", []):
                    tags.pop(k, None)
            target.tags = tags
        return answer("200 OK", {"tags": tags}) if method == "GET" else answer("204 No Content")

    # 3b. AWS Backup selections, which moto 5.2.5 lacks (its plan route swallowed the path):
    # CreateBackupSelection (PUT /backup/plans/{id}/selections/), GetBackupSelection,
    # ListBackupSelections and DeleteBackupSelection as the AWS Backup API reference documents
    # them (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_GetBackupSelection.html).
    # Get returns Conditions with its four empty lists when none were given, as AWS does.
    def backup_selections(self, method, plan, selection_id, body, start_response):
        def answer(status, out):
            return json_answer(start_response, status, out)

        with self.lock:
            plan_selections = self.selections.setdefault(plan, {})
            if method == "PUT" and not selection_id:
                req = json.loads(body or b"{}")
                sel = dict(req.get("BackupSelection", {}))
                sel.setdefault("Resources", [])
                sel.setdefault("NotResources", [])
                sel.setdefault("ListOfTags", [])
                conditions = sel.get("Conditions") or {}
                sel["Conditions"] = {k: conditions.get(k, []) for k in ("StringEquals", "StringNotEquals", "StringLike", "StringNotLike")}
                new_id = str(uuid.uuid4())
                created = datetime.datetime.now(datetime.timezone.utc).timestamp()
                plan_selections[new_id] = {"BackupSelection": sel, "CreationDate": created, "CreatorRequestId": req.get("CreatorRequestId"), "SelectionId": new_id, "BackupPlanId": plan}
                return answer("200 OK", {"BackupPlanId": plan, "CreationDate": created, "SelectionId": new_id})
            if method == "GET" and not selection_id:
                rows = [{"BackupPlanId": plan, "CreationDate": x["CreationDate"], "CreatorRequestId": x["CreatorRequestId"], "IamRoleArn": x["BackupSelection"].get("IamRoleArn"),
                         "SelectionId": i, "SelectionName": x["BackupSelection"].get("SelectionName")} for i, x in plan_selections.items()]
                return answer("200 OK", {"BackupSelectionsList": rows})
            found = plan_selections.get(selection_id)
            if found is None:
                return answer("404 Not Found", {"__type": "ResourceNotFoundException", "Message": f"Selection {selection_id} not found for plan {plan}"})
            if method == "DELETE":
                del plan_selections[selection_id]
                return answer("200 OK", {})
            return answer("200 OK", {k: v for k, v in found.items() if v is not None})

    # 3. Application Auto Scaling tags (TagResource, UntagResource, ListTagsForResource and the
    # Tags of RegisterScalableTarget: https://docs.aws.amazon.com/autoscaling/application/APIReference/API_ListTagsForResource.html),
    # which moto lacks: the provider's first read of a target failed with a 500.
    def autoscaling_tags(self, op, body, start_response):
        req = json.loads(body or b"{}")
        with self.lock:
            tags = self.tags.setdefault(req.get("ResourceARN", ""), {})
            if op == "TagResource":
                tags.update(req.get("Tags", {}))
                out = {}
            elif op == "UntagResource":
                for k in req.get("TagKeys", []):
                    tags.pop(k, None)
                out = {}
            else:
                out = {"Tags": dict(tags)}
        data = json.dumps(out).encode()
        start_response("200 OK", [("Content-Type", "application/x-amz-json-1.1"), ("Content-Length", str(len(data)))])
        return [data]

    def register_with_tags(self, environ, body, start_response):
        captured = {}
        answer = self.forward(environ, captured)
        if captured["status"].startswith("2"):
            arn = json.loads(answer or b"{}").get("ScalableTargetARN")
            tags = json.loads(body or b"{}").get("Tags")
            if arn and tags:
                with self.lock:
                    self.tags.setdefault(arn, {}).update(tags)
        start_response(captured["status"], captured["headers"])
        return [answer]

    def forward(self, environ, captured):
        """moto's answer to a request, its status and headers into captured (for fronts that amend it)."""
        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers

        return b"".join(self.app(environ, capture))

    def seed_vpc(self, environ, start_response):
        """A VPC with a given id: what exists in AWS before an environment peers with it (adminPeering)."""
        req = json.loads(environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)) or b"{}")
        backend = ec2_backends[req.get("account", DEFAULT_ACCOUNT_ID)][req.get("region", "us-east-1")]
        with self.lock:
            if req["id"] not in backend.vpcs:
                original = vpcs_module.random_vpc_id
                vpcs_module.random_vpc_id = lambda: req["id"]
                try:
                    backend.create_vpc(req["cidr"])
                finally:
                    vpcs_module.random_vpc_id = original
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps({"VpcId": req["id"]}).encode()]

    def seed_hosted_zone(self, environ, start_response):
        """A public hosted zone with a given id: the team's zone SETTINGS.dnsZones names, which exists
        before any environment (the id AWS gave it is in the settings)."""
        req = json.loads(environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)) or b"{}")
        backend = route53_backends[req.get("account", DEFAULT_ACCOUNT_ID)]["global"]
        with self.lock:
            if req["id"] not in backend.zones:
                zone = backend.create_hosted_zone(req["name"], private_zone=False)
                del backend.zones[zone.resource_id]
                zone.resource_id = req["id"]
                backend.zones[req["id"]] = zone
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps({"Id": f"/hostedzone/{req['id']}"}).encode()]

    def report(self, environ, start_response):
        with self.lock:
            rows = [{"caller": c, "service": s, "operation": o, "kind": k, "count": n} for (c, s, o, k), n in sorted(self.calls.items())]
            if environ["REQUEST_METHOD"] == "DELETE":
                self.calls.clear()
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps(rows).encode()]

    def cbor(self, environ, body, start_response):
        m = CBOR_PATH.match(environ["PATH_INFO"])
        op_name = m.group("op")
        payload = to_json_value(cbor2.loads(body)) if body else {}
        environ = dict(environ)
        environ["PATH_INFO"] = "/"
        environ["CONTENT_TYPE"] = "application/x-amz-json-1.0"
        environ["HTTP_X_AMZ_TARGET"] = f"{m.group('service')}.{op_name}"
        environ.pop("HTTP_SMITHY_PROTOCOL", None)
        raw = json.dumps(payload).encode()
        environ["wsgi.input"] = BytesIO(raw)
        environ["CONTENT_LENGTH"] = str(len(raw))
        captured = {}
        answer = self.forward(environ, captured)
        status = captured["status"]
        headers = [("smithy-protocol", "rpc-v2-cbor"), ("Content-Type", "application/cbor")]
        data = json.loads(answer) if answer.strip().startswith(b"{") else {}
        if status.startswith("2"):
            out = to_cbor_value(data, CW.operation_model(op_name).output_shape) if data else {}
        else:
            code = str(data.get("__type", "")).split("#")[-1] or "InternalFailure"
            shape = error_shape(op_name, code)
            out = {"__type": f"com.amazonaws.cloudwatch#{shape.name if shape else code}", "message": data.get("message", "")}
            if shape is not None:
                headers.append(("x-amzn-query-error", f"{shape.metadata.get('error', {}).get('code', code)};Sender"))
        encoded = cbor2.dumps(out)
        headers.append(("Content-Length", str(len(encoded))))
        start_response(status, headers)
        return [encoded]


class Faults:
    """5. Faults for the AWS cases of `npm run e2e:faults`, set with POST /_emulator/faults and
    read with GET (DELETE clears them and releases a held answer):

    {"hold": {"service": "sqs", "operation": "CreateQueue", "caller": "dev"}}
        The next matching call is carried out by moto (AWS acted) and its answer withheld
        until released, so the caller can be killed after AWS acted and before it learnt the
        result (the gap Crossplane's external-create-pending annotation guards). GET shows
        {"held": {...,"status"}} once it happened.
    {"throttle": {"share": 0.3, "seconds": 600}}
        That share of calls (every n-th, deterministic) is refused the way each protocol
        refuses a call over its rate, as the AWS SDKs' retryers recognise it: JSON protocols
        400 ThrottlingException; EC2 503 RequestLimitExceeded; the other query protocols 400
        Throttling; REST-JSON 429 TooManyRequestsException; S3 503 SlowDown. CloudWatch's
        CBOR calls are not throttled (the CBOR error path is translated, not served).
    {"strictAssumeRole": true}
        STS AssumeRole of a role the account does not have is refused with AccessDenied, as
        AWS refuses it; moto hands out credentials for any role ARN. Off by default because
        e2e:aws does not create the bootstrap's per-environment roles in the emulator.
    An outage needs no mode: the harness stops the emulator process (SIGSTOP), so calls connect
    and get no answer, and continues it (SIGCONT).
    """

    def __init__(self, account):
        self.account = account
        self.lock = threading.Lock()
        self.clear()

    def clear(self):
        with self.lock:
            self.hold_match, self.held, self.released = None, None, threading.Event()
            self.throttle_share, self.throttle_until, self.throttle_seen, self.throttled = 0.0, 0.0, 0, Counter()
            self.strict_assume_role, self.refused_roles = False, Counter()

    def control(self, environ, start_response):
        method = environ["REQUEST_METHOD"]
        if method == "POST":
            req = json.loads(environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)) or b"{}")
            with self.lock:
                if "hold" in req:
                    self.hold_match, self.held = req["hold"], None
                    self.released = threading.Event()
                if "throttle" in req:
                    t = req["throttle"]
                    self.throttle_share = float(t.get("share", 0))
                    self.throttle_until = time.time() + float(t.get("seconds", 0))
                    self.throttle_seen = 0
                if "strictAssumeRole" in req:
                    self.strict_assume_role = bool(req["strictAssumeRole"])
        elif method == "DELETE":
            self.released.set()
            self.clear()
        with self.lock:
            state = {
                "hold": self.hold_match, "held": self.held,
                "throttle": {"share": self.throttle_share, "remainingSeconds": max(0, round(self.throttle_until - time.time())),
                             "refused": [{"service": s, "operation": o, "count": n} for (s, o), n in sorted(self.throttled.items())]},
                "strictAssumeRole": self.strict_assume_role, "refusedRoles": dict(self.refused_roles),
            }
        data = json.dumps(state).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
        return [data]

    def holds(self, caller, service, op):
        with self.lock:
            m = self.hold_match
            return bool(m) and self.held is None and all(m.get(k) in (None, v) for k, v in (("caller", caller), ("service", service), ("operation", op)))

    def hold(self, caller, service, op, status):
        with self.lock:
            self.held = {"caller": caller, "service": service, "operation": op, "status": status, "at": time.time()}
            released = self.released
        released.wait(600)

    def refuse(self, environ, body, caller, service, op, cbor_call):
        """(status, headers, body) when a fault refuses this call, else None."""
        if service == "sts" and op == "AssumeRole" and self.strict_assume_role:
            role = (parse_qs(body.decode(errors="replace")).get("RoleArn") or [""])[0] if not environ.get("HTTP_X_AMZ_TARGET") else json.loads(body or b"{}").get("RoleArn", "")
            if not role_exists(role):
                with self.lock:
                    self.refused_roles[role] += 1
                msg = f"User: arn:aws:iam::{self.account}:user/{caller} is not authorized to perform: sts:AssumeRole on resource: {role}"
                return query_error("403 Forbidden", "AccessDenied", msg, "ErrorResponse")
        with self.lock:
            if cbor_call or self.throttle_share <= 0 or time.time() >= self.throttle_until:
                return None
            self.throttle_seen += 1
            n = self.throttle_seen
            if int(n * self.throttle_share) == int((n - 1) * self.throttle_share):
                return None
            self.throttled[(service, op)] += 1
        return throttled(environ, service)


ROLE_ARN = re.compile(r"^arn:aws:iam::(?P<account>\d{12}):role/(?:.*/)?(?P<name>[^/]+)$")


def role_exists(arn):
    """Whether the account of a role ARN holds that role (any path)."""
    m = ROLE_ARN.match(arn)
    return bool(m) and any(r.name == m.group("name") for r in iam_backends[m.group("account")]["aws"].roles.values())


def query_error(status, code, message, root):
    rid = str(uuid.uuid4())
    if root == "Response":  # EC2's own query protocol
        xml = f"<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors><RequestID>{rid}</RequestID></Response>"
    else:
        xml = f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>{rid}</RequestId></ErrorResponse>"
    return status, [("Content-Type", "text/xml")], xml.encode()


REST_JSON = ("lambda", "apigateway", "backup")


def throttled(environ, service):
    """A call refused for its rate, as the service's protocol answers it."""
    if environ.get("HTTP_X_AMZ_TARGET"):
        data = json.dumps({"__type": "ThrottlingException", "message": "Rate exceeded"}).encode()
        return "400 Bad Request", [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-ErrorType", "ThrottlingException")], data
    if service == "ec2":
        return query_error("503 Service Unavailable", "RequestLimitExceeded", "Request limit exceeded.", "Response")
    if service in ("s3", "s3control"):
        xml = f"<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>{uuid.uuid4()}</RequestId></Error>"
        return "503 Slow Down", [("Content-Type", "application/xml")], xml.encode()
    if service in REST_JSON:
        data = json.dumps({"message": "Rate exceeded"}).encode()
        return "429 Too Many Requests", [("Content-Type", "application/json"), ("x-amzn-ErrorType", "TooManyRequestsException")], data
    return query_error("400 Bad Request", "Throttling", "Rate exceeded", "ErrorResponse")


AUTOSCALING_TAG_OPS = ("TagResource", "UntagResource", "ListTagsForResource")
SCOPE_REGION = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/")
def json_answer(start_response, status, out=None):
    """A JSON answer of the front's own (no body when out is None, e.g. 204)."""
    data = json.dumps(out).encode() if out is not None else b""
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


APIGW_TAGGED = re.compile(r"^arn:[^:]+:apigateway:(?P<region>[^:]+)::/(?:restapis/(?P<api>[^/]+)(?:/stages/(?P<stage>[^/]+))?|domainnames/(?P<domain>[^/]+))$")
BACKUP_TAGS = re.compile(r"^/tags/arn:[^/]+$")
BACKUP_SELECTIONS = re.compile(r"^/backup/plans/(?P<plan>[^/]+)/selections/?(?P<id>[^/]*)/?$")

SCOPE = re.compile(r"Credential=([^/]+)/\d{8}/[^/]+/([^/]+)/aws4_request")


def credential(environ):
    m = SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
    return (m.group(1), m.group(2)) if m else ("anonymous", "unknown")


ID = re.compile(r"/(?=[^/]*\d)[^/]{6,}")


def operation(environ, body, service):
    """The API operation: X-Amz-Target, Action=, the CBOR path, or METHOD + REST path without ids."""
    target = environ.get("HTTP_X_AMZ_TARGET")
    if target:
        return target.split(".")[-1]
    m = CBOR_PATH.match(environ.get("PATH_INFO", ""))
    if m:
        return m.group("op")
    query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    if "Action" in query:
        return query["Action"][0]
    if environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded") and body:
        form = parse_qs(body.decode(errors="replace"))
        if "Action" in form:
            return form["Action"][0]
    path = environ.get("PATH_INFO", "")
    if service == "s3":
        sub = ",".join(sorted(k for k in query if k not in ("x-id",)))
        # S3 Control (TagResource is POST /v20180820/tags/<arn>, UntagResource the same with
        # DELETE ?tagKeys=...): its REST path and query keys name the operation. S3 is
        # path-style, /<bucket>[/<key>]?<subresource>: the subresource names the operation.
        where = ID.sub("/{id}", path) if path.startswith("/v20180820/") else "object" if path.strip("/").count("/") >= 1 else "bucket"
        return f"{environ['REQUEST_METHOD']} {where}{'?' + sub if sub else ''}"
    return f"{environ['REQUEST_METHOD']} {ID.sub('/{id}', path)}"


READ = re.compile(r"^(Describe|Get|List|Head|Check|Lookup|Search|Query|Scan|BatchGet)")


def kind(method, op, service):
    """read or write, as AWS's own access levels split them."""
    if " " in op:  # REST: the method decides
        return "read" if op.split(" ")[0] in ("GET", "HEAD") else "write"
    return "read" if READ.match(op) else "write"


if __name__ == "__main__":
    host, port = sys.argv[1], int(sys.argv[2])
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(host, port, Front(app), threaded=True, request_handler=MotoRequestHandler)
