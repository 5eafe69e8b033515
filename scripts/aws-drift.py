#!/usr/bin/env python3
"""A person changing AWS by hand, against the local AWS emulator (moto's server).

Used by `npm run e2e:aws` (src/dev/e2e-aws.ts) with the boto3 of .tools/moto:

  aws-drift.py ENDPOINT inventory
  aws-drift.py ENDPOINT inject versioning BUCKET    turn bucket versioning off (Suspended)
  aws-drift.py ENDPOINT inject retention QUEUE_URL  set the queue's retention to 60 s
  aws-drift.py ENDPOINT inject table TABLE          delete the DynamoDB table
  aws-drift.py ENDPOINT inject rotation KEY_ID      disable KMS key rotation

  aws-drift.py ENDPOINT inject public-access BUCKET     turn the bucket's public access block off
  aws-drift.py ENDPOINT inject sg-rule GROUP_ID:PORT     revoke the group's ingress rule on PORT
  aws-drift.py ENDPOINT inject concurrency FUNCTION      set the function's reserved concurrency to 1
  aws-drift.py ENDPOINT inject backups CLUSTER           set the Aurora cluster's backup retention to 35 days
  aws-drift.py ENDPOINT inject waf ALB_ARN               disassociate the web ACL from the load balancer
  aws-drift.py ENDPOINT inject replication BUCKET        delete the bucket's replication configuration
  aws-drift.py ENDPOINT inject role-policy ROLE:POLICY   add s3:* on * to the role's inline policy
  aws-drift.py ENDPOINT inject pitr TABLE                turn point-in-time recovery off
  aws-drift.py ENDPOINT inject redrive QUEUE_URL         remove the queue's redrive policy
  aws-drift.py ENDPOINT inject log-retention GROUP       set the log group's retention to 1 day
  aws-drift.py ENDPOINT inject parameter NAME            overwrite the SSM parameter's value

  aws-drift.py ENDPOINT service-image CLUSTER SERVICE  the image of the revision the ECS service runs
  aws-drift.py ENDPOINT function-image FUNCTION        the image URI of the Lambda function
  aws-drift.py ENDPOINT create-policy NAME FILE         a managed policy from a JSON document (the IAM bootstrap)

  aws-drift.py ENDPOINT remove queue QUEUE_URL          delete the queue (e2e:faults: the provider creates it again)
  aws-drift.py ENDPOINT remove table TABLE              delete the DynamoDB table
  aws-drift.py ENDPOINT remove log-group GROUP          delete the log group
  aws-drift.py ENDPOINT remove task-definition ARN      deregister the task definition revision (INACTIVE)
  aws-drift.py ENDPOINT count KIND NAME                 how many of it exist: queue NAME, table NAME, log-group
                                                        NAME, task-definition FAMILY (ACTIVE revisions)
  aws-drift.py ENDPOINT newest-task-definition FAMILY  the ARN of the family's newest ACTIVE revision
  aws-drift.py ENDPOINT active-task-definitions FAMILY the ARNs of the family's ACTIVE revisions (JSON list)
  aws-drift.py ENDPOINT registered-by ROLE_ARN TASK_DEFINITION_ARN
                                                        put the CloudTrail event of the RegisterTaskDefinition
                                                        that made the revision, made by ROLE_ARN (a provider's
                                                        create: CloudTrail records those too; moto emits none)

  aws-drift.py ENDPOINT unmanaged sg-rule-added GROUP_ID     add an ingress rule (22 from 203.0.113.0/24) to the group
  aws-drift.py ENDPOINT unmanaged policy-attached ROLE       attach a managed policy made by hand to the role
  aws-drift.py ENDPOINT unmanaged tagged-resource ENV:VPC    create a security group tagged Environment=ENV

--event (inject, unmanaged): also put the "AWS API Call via CloudTrail" event of each write
call on the emulator's default event bus, as CloudTrail and EventBridge would in AWS (moto
emits none itself); the environments' drift rules route it to their queues.

`inject` reads the state the claim asked for, makes the change, then polls every
250 ms until the emulator shows the claimed state again (Crossplane's provider
put it back) or the timeout passes. It prints one JSON line: before, injected,
after and restoredMs (null when not restored in time).
"""
import json
import re
import sys
import time
import urllib.request
import uuid
from collections import Counter

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

REGION = "us-east-1"


# The write calls the person made, as CloudTrail records them (for --event).
WRITES = []
PERSON = "alice"


def client(endpoint, service, region=None):
    c = boto3.client(
        service, endpoint_url=endpoint, region_name=region or REGION,
        aws_access_key_id="testing", aws_secret_access_key="testing",
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
    )
    pending = {}
    c.meta.events.register("provide-client-params", lambda params, model, **_: pending.update({model.name: dict(params)}))

    def record(model, parsed, **_):
        if not READ_ONLY.match(model.name) and "Error" not in parsed:
            WRITES.append((c.meta.service_model.endpoint_prefix, model.name, pending.pop(model.name, {}), parsed))

    c.meta.events.register("after-call", record)
    return c


READ_ONLY = re.compile(r"^(Describe|Get|List|Head)")
# Lambda's CloudTrail event names carry the API version (CloudTrail log examples in the Lambda Developer Guide).
LAMBDA_EVENT_NAMES = {"PutFunctionConcurrency": "PutFunctionConcurrency20171031"}


def camel(v, s3=False):
    """CloudTrail's requestParameters/responseElements spelling: lowerCamelCase members (S3 names the bucket bucketName)."""
    if isinstance(v, dict):
        out = {}
        for k, x in v.items():
            if k == "ResponseMetadata":
                continue
            key = "bucketName" if s3 and k == "Bucket" else k[:1].lower() + k[1:]
            out[key] = camel(x, s3)
        return out
    if isinstance(v, list):
        return [camel(x, s3) for x in v]
    return v if isinstance(v, (str, int, float, bool)) or v is None else str(v)


def cloudtrail_event(prefix, name, params, parsed, identity=None):
    """One "AWS API Call via CloudTrail" event, as EventBridge puts it on the default bus; by a
    person (an IAM user) unless identity is given.
    https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html"""
    account = "111122223333"
    return {
        "Source": f"aws.{prefix}",
        "DetailType": "AWS API Call via CloudTrail",
        "Detail": json.dumps({
            "eventVersion": "1.09",
            "userIdentity": identity or {"type": "IAMUser", "principalId": "AIDAEXAMPLE", "arn": f"arn:aws:iam::{account}:user/{PERSON}", "accountId": account, "userName": PERSON},
            "eventTime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "eventSource": f"{prefix}.amazonaws.com",
            "eventName": LAMBDA_EVENT_NAMES.get(name, name) if prefix == "lambda" else name,
            "awsRegion": REGION,
            "sourceIPAddress": "203.0.113.10",
            "requestParameters": camel(params, prefix == "s3"),
            "responseElements": camel(parsed, prefix == "s3") or None,
            "eventID": str(uuid.uuid4()),
            "readOnly": False,
            "eventType": "AwsApiCall",
            "managementEvent": True,
            "recipientAccountId": account,
            "eventCategory": "Management",
        }),
    }


def put_events(endpoint, entries):
    """Events on the emulator's default bus, ten a call (PutEvents' limit)."""
    events = boto3.client("events", endpoint_url=endpoint, region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing")
    for i in range(0, len(entries), 10):
        events.put_events(Entries=entries[i:i + 10])
    return len(entries)


def deliver(endpoint):
    """What CloudTrail and EventBridge do in AWS for the recorded writes (the emulator emits no events)."""
    delivered = put_events(endpoint, [cloudtrail_event(*w) for w in WRITES])
    WRITES.clear()
    return delivered


def versioning(endpoint, bucket):
    s3 = client(endpoint, "s3")
    read = lambda: s3.get_bucket_versioning(Bucket=bucket).get("Status", "Off")
    change = lambda: s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Suspended"})
    return read, change


def retention(endpoint, url):
    sqs = client(endpoint, "sqs")
    read = lambda: sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["MessageRetentionPeriod"])["Attributes"]["MessageRetentionPeriod"]
    change = lambda: sqs.set_queue_attributes(QueueUrl=url, Attributes={"MessageRetentionPeriod": "60"})
    return read, change


def table(endpoint, name):
    ddb = client(endpoint, "dynamodb")

    def read():
        try:
            return ddb.describe_table(TableName=name)["Table"]["TableStatus"]
        except ddb.exceptions.ResourceNotFoundException:
            return "absent"

    return read, lambda: ddb.delete_table(TableName=name)


def rotation(endpoint, key_id):
    kms = client(endpoint, "kms")
    read = lambda: kms.get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"]
    return read, lambda: kms.disable_key_rotation(KeyId=key_id)


def or_absent(read):
    """read(), or "absent" where AWS answers that the configuration does not exist."""
    def wrapped():
        try:
            return read()
        except ClientError:
            return "absent"
    return wrapped


def public_access(endpoint, bucket):
    s3 = client(endpoint, "s3")
    read = or_absent(lambda: s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"])
    return read, lambda: s3.delete_public_access_block(Bucket=bucket)


def sg_rule(endpoint, ident):
    group, port = ident.rsplit(":", 1)
    ec2 = client(endpoint, "ec2")

    def rules():
        perms = ec2.describe_security_groups(GroupIds=[group])["SecurityGroups"][0]["IpPermissions"]
        return [p for p in perms if str(p.get("FromPort")) == port]

    read = lambda: sorted((p["IpProtocol"], p["FromPort"], p["ToPort"], r["CidrIp"]) for p in rules() for r in p.get("IpRanges", []))

    def change():
        for p in rules():
            ec2.revoke_security_group_ingress(GroupId=group, IpPermissions=[p])

    return read, change


def concurrency(endpoint, name):
    lam = client(endpoint, "lambda")
    read = lambda: lam.get_function_concurrency(FunctionName=name).get("ReservedConcurrentExecutions")
    return read, lambda: lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=1)


def backups(endpoint, cluster):
    rds = client(endpoint, "rds")
    read = lambda: rds.describe_db_clusters(DBClusterIdentifier=cluster)["DBClusters"][0]["BackupRetentionPeriod"]
    return read, lambda: rds.modify_db_cluster(DBClusterIdentifier=cluster, BackupRetentionPeriod=35, ApplyImmediately=True)


def waf(endpoint, alb_arn):
    w = client(endpoint, "wafv2")

    def read():
        acl = w.get_web_acl_for_resource(ResourceArn=alb_arn).get("WebACL")
        return acl["ARN"] if acl else "none"

    return read, lambda: w.disassociate_web_acl(ResourceArn=alb_arn)


def replication(endpoint, bucket):
    s3 = client(endpoint, "s3")
    read = or_absent(lambda: [r["ID"] for r in s3.get_bucket_replication(Bucket=bucket)["ReplicationConfiguration"]["Rules"]])
    return read, lambda: s3.delete_bucket_replication(Bucket=bucket)


def role_policy(endpoint, ident):
    role, name = ident.split(":", 1)
    iam = client(endpoint, "iam")
    read = lambda: json.dumps(iam.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"], sort_keys=True)

    def change():
        doc = iam.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"]
        doc["Statement"].append({"Sid": "AddedByHand", "Effect": "Allow", "Action": "s3:*", "Resource": "*"})
        iam.put_role_policy(RoleName=role, PolicyName=name, PolicyDocument=json.dumps(doc))

    return read, change


def pitr(endpoint, name):
    ddb = client(endpoint, "dynamodb")
    read = lambda: ddb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"]
    return read, lambda: ddb.update_continuous_backups(TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": False})


def redrive(endpoint, url):
    sqs = client(endpoint, "sqs")
    read = lambda: sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["RedrivePolicy"]).get("Attributes", {}).get("RedrivePolicy", "none")
    return read, lambda: sqs.set_queue_attributes(QueueUrl=url, Attributes={"RedrivePolicy": ""})


def log_retention(endpoint, group):
    logs = client(endpoint, "logs")
    read = lambda: [g.get("retentionInDays") for g in logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"] if g["logGroupName"] == group]
    return read, lambda: logs.put_retention_policy(logGroupName=group, retentionInDays=1)


def parameter(endpoint, name):
    ssm = client(endpoint, "ssm")
    read = lambda: ssm.get_parameter(Name=name)["Parameter"]["Value"]
    return read, lambda: ssm.put_parameter(Name=name, Value="changed-by-hand", Type="String", Overwrite=True)


CHANGES = {
    "versioning": versioning, "retention": retention, "table": table, "rotation": rotation,
    "public-access": public_access, "sg-rule": sg_rule, "concurrency": concurrency, "backups": backups,
    "waf": waf, "replication": replication, "role-policy": role_policy, "pitr": pitr, "redrive": redrive,
    "log-retention": log_retention, "parameter": parameter,
}


def provider_writes(endpoint):
    """Write calls so far by every caller but this person, from the emulator's call counts."""
    with urllib.request.urlopen(f"{endpoint}/_emulator/calls") as r:
        rows = json.load(r)
    return Counter({f"{c['caller']} {c['service']} {c['operation']}": c["count"]
                    for c in rows if c["kind"] == "write" and c["caller"] != "testing"})


def inject(endpoint, kind, ident, timeout_s, event=False):
    read, change = CHANGES[kind](endpoint, ident)
    before = read()
    WRITES.clear()
    writes_before = provider_writes(endpoint)
    try:
        t0 = time.monotonic()
        change()
        service = WRITES[0][0] if WRITES else None
        # The changed state is read before the event goes out: with the drift listener the
        # change may be put back faster than a read after the delivery could see it.
        injected = read()
        read_ms = round((time.monotonic() - t0) * 1000)
        delivered = deliver(endpoint) if event else 0
    except ClientError as e:
        # AWS itself refused the person (e.g. a prod table's deletion protection): nothing drifted.
        return {"kind": kind, "id": ident, "before": before, "after": read(), "restoredMs": None,
                "refusedByAws": f"{e.response['Error']['Code']}: {e.response['Error']['Message']}"}
    if injected == before:
        # Either the change never took, or a provider already mid-update of the same resource
        # wrote the claimed state back between the change and the read: the emulator's call
        # counts say which (the providers' writes of the same service in that window).
        others = sorted((provider_writes(endpoint) - writes_before).elements())
        same = [w for w in others if service and w.split(" ")[1] == service]
        if same:
            return {"kind": kind, "id": ident, "before": before, "injected": before, "after": before,
                    "restoredMs": read_ms, "restoredBeforeRead": same, "eventsDelivered": delivered}
        return {"kind": kind, "id": ident, "before": before, "injected": before, "after": before, "restoredMs": None,
                "error": "the change did not show in the emulator", "providerWrites": others}
    after, restored_ms = injected, None
    while time.monotonic() - t0 < timeout_s:
        after = read()
        if after == before:
            restored_ms = round((time.monotonic() - t0) * 1000)
            break
        time.sleep(0.25)
    return {"kind": kind, "id": ident, "before": before, "injected": injected, "after": after, "restoredMs": restored_ms, "eventsDelivered": delivered}


def sg_rule_added(endpoint, group):
    """A rule nothing manages, added to a managed security group."""
    r = client(endpoint, "ec2").authorize_security_group_ingress(
        GroupId=group, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "203.0.113.0/24"}]}])
    return [x["SecurityGroupRuleId"] for x in r.get("SecurityGroupRules", [])]


def policy_attached(endpoint, role):
    """A managed policy made by hand, attached to an environment's role."""
    iam = client(endpoint, "iam")
    arn = iam.create_policy(PolicyName=f"hand-made-{role}-{uuid.uuid4().hex[:6]}",
                            PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}]}))["Policy"]["Arn"]
    iam.attach_role_policy(RoleName=role, PolicyArn=arn)
    return [arn]


def tagged_group(endpoint, ident):
    """A security group made by hand in the environment's VPC, tagged as the environment's."""
    env, vpc = ident.split(":", 1)
    r = client(endpoint, "ec2").create_security_group(
        GroupName=f"hand-made-{env}-{uuid.uuid4().hex[:6]}", Description="made by hand", VpcId=vpc,
        TagSpecifications=[{"ResourceType": "security-group", "Tags": [{"Key": "Environment", "Value": env}]}])
    return [r["GroupId"]]


UNMANAGED = {"sg-rule-added": sg_rule_added, "policy-attached": policy_attached, "tagged-resource": tagged_group}


def unmanaged(endpoint, kind, ident, event=False):
    """A change to what nothing manages: nothing puts it back; the drift listener reports it."""
    WRITES.clear()
    created = UNMANAGED[kind](endpoint, ident)
    return {"kind": kind, "id": ident, "created": created, "eventsDelivered": deliver(endpoint) if event else 0}


def inventory(endpoint):
    return {
        "buckets": [b["Name"] for b in client(endpoint, "s3").list_buckets()["Buckets"]],
        "queues": client(endpoint, "sqs").list_queues().get("QueueUrls", []),
        "tables": client(endpoint, "dynamodb").list_tables()["TableNames"],
        # Customer keys by alias (the emulator also makes AWS-managed keys, alias/aws/*).
        "keys": {a["AliasName"]: a["TargetKeyId"] for a in client(endpoint, "kms").list_aliases()["Aliases"] if not a["AliasName"].startswith("alias/aws/")},
        "vpcs": [v["VpcId"] for v in client(endpoint, "ec2").describe_vpcs()["Vpcs"] if not v.get("IsDefault")],
    }


def service_image(endpoint, cluster, service):
    """The image of the task definition revision an ECS service runs."""
    ecs = client(endpoint, "ecs")
    services = ecs.describe_services(cluster=cluster, services=[service]).get("services", [])
    if not services:
        return ""
    return ecs.describe_task_definition(taskDefinition=services[0]["taskDefinition"])["taskDefinition"]["containerDefinitions"][0]["image"]


REMOVE = {
    "queue": lambda endpoint, url: client(endpoint, "sqs").delete_queue(QueueUrl=url),
    "table": lambda endpoint, name: client(endpoint, "dynamodb").delete_table(TableName=name),
    "log-group": lambda endpoint, name: client(endpoint, "logs").delete_log_group(logGroupName=name),
    "task-definition": lambda endpoint, arn: client(endpoint, "ecs").deregister_task_definition(taskDefinition=arn),
}


def remove(endpoint, kind, ident, event=False):
    """A resource deleted by hand (for e2e:faults: the provider's create call that follows)."""
    WRITES.clear()
    REMOVE[kind](endpoint, ident)
    return {"kind": kind, "id": ident, "eventsDelivered": deliver(endpoint) if event else 0}


def count(endpoint, kind, name):
    """How many of a resource the emulator holds: more than one is a duplicate."""
    if kind == "queue":
        return sum(1 for u in client(endpoint, "sqs").list_queues(QueueNamePrefix=name).get("QueueUrls", []) if u.rsplit("/", 1)[-1] == name)
    if kind == "table":
        return client(endpoint, "dynamodb").list_tables()["TableNames"].count(name)
    if kind == "log-group":
        return sum(1 for g in client(endpoint, "logs").describe_log_groups(logGroupNamePrefix=name)["logGroups"] if g["logGroupName"] == name)
    if kind == "task-definition":
        return len(active(endpoint, name))
    raise ValueError(f"count: unknown kind {kind}")


def active(endpoint, family, sort="ASC"):
    """The ARNs of a task definition family's ACTIVE revisions (oldest first unless sort="DESC")."""
    return client(endpoint, "ecs").list_task_definitions(familyPrefix=family, status="ACTIVE", sort=sort).get("taskDefinitionArns", [])


def newest(endpoint, family):
    """The ARN of a task definition family's newest ACTIVE revision (what a re-registration made)."""
    arns = active(endpoint, family, sort="DESC")
    return arns[0] if arns else ""


def registered_by(endpoint, role_arn, arn):
    """The event CloudTrail records for a role's session registering this revision (userIdentity
    of an assumed role: its sessionIssuer names the role). The response is the revision as
    DescribeTaskDefinition answers it, which is what RegisterTaskDefinition answered."""
    parsed = client(endpoint, "ecs").describe_task_definition(taskDefinition=arn)
    td = parsed["taskDefinition"]
    role = role_arn.rsplit("/", 1)[-1]
    account = role_arn.split(":")[4]
    identity = {"type": "AssumedRole", "principalId": "AROAEXAMPLE:provider", "arn": f"arn:aws:sts::{account}:assumed-role/{role}/provider", "accountId": account,
                "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": "AROAEXAMPLE", "arn": role_arn, "accountId": account, "userName": role}}}
    params = {k: td[k] for k in ("family", "containerDefinitions", "taskRoleArn", "executionRoleArn", "networkMode", "cpu", "memory") if k in td}
    put_events(endpoint, [cloudtrail_event("ecs", "RegisterTaskDefinition", params, {"taskDefinition": td}, identity)])
    return arn


def create_policy(endpoint, name, document_file):
    """A customer managed policy, as the IAM bootstrap's stack creates it (idempotent)."""
    iam = client(endpoint, "iam")
    try:
        return iam.create_policy(PolicyName=name, PolicyDocument=open(document_file).read())["Policy"]["Arn"]
    except iam.exceptions.EntityAlreadyExistsException:
        return "exists"


def scale_out(endpoint, cluster, service, count, wait_s):
    """What Application Auto Scaling does on a scale-out: UpdateService desiredCount as its
    service-linked role, with that CloudTrail event; then, after wait_s (the caller forces a
    reconcile meanwhile), whether the count stayed and which ECS writes the providers made."""
    ecs = client(endpoint, "ecs")
    read = lambda: ecs.describe_services(cluster=cluster, services=[service])["services"][0]["desiredCount"]
    before = read()
    WRITES.clear()
    writes_before = provider_writes(endpoint)
    ecs.update_service(cluster=cluster, service=service, desiredCount=int(count))
    account = "111122223333"
    role = "AWSServiceRoleForApplicationAutoScaling_ECSService"
    identity = {"type": "AssumedRole", "principalId": "AROAEXAMPLE:AutoScaling", "accountId": account, "invokedBy": "application-autoscaling.amazonaws.com",
                "arn": f"arn:aws:sts::{account}:assumed-role/{role}/AutoScaling",
                "sessionContext": {"sessionIssuer": {"type": "Role", "arn": f"arn:aws:iam::{account}:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/{role}", "accountId": account, "userName": role}}}
    delivered = put_events(endpoint, [cloudtrail_event(*w, identity=identity) for w in WRITES])
    WRITES.clear()
    time.sleep(float(wait_s))
    others = provider_writes(endpoint) - writes_before
    return {"before": before, "scaledTo": int(count), "after": read(), "eventsDelivered": delivered,
            "providerEcsWrites": sorted(w for w in others.elements() if w.split(" ")[1] == "ecs")}


def account_bootstrap(endpoint, region):
    """What dist/bootstrap/aws-account.yaml creates in one account and region: API Gateway's
    CloudWatch Logs role, named in the Region's API Gateway account setting (idempotent)."""
    iam = client(endpoint, "iam")
    name = f"paymentenv-apigateway-logs-{region}"
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "apigateway.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    try:
        arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
        iam.attach_role_policy(RoleName=name, PolicyArn="arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs")
    except iam.exceptions.EntityAlreadyExistsException:
        arn = iam.get_role(RoleName=name)["Role"]["Arn"]
    client(endpoint, "apigateway", region).update_account(patchOperations=[{"op": "replace", "path": "/cloudwatchRoleArn", "value": arn}])
    return arn


def function_image(endpoint, name):
    """The image URI of a Lambda function."""
    return client(endpoint, "lambda").get_function(FunctionName=name)["Code"].get("ImageUri", "")


def main(argv):
    if len(argv) >= 4 and argv[1] == "service-image":
        print(service_image(argv[0], argv[2], argv[3]))
        return 0
    if len(argv) >= 4 and argv[1] == "registered-by":
        print(registered_by(argv[0], argv[2], argv[3]))
        return 0
    if len(argv) >= 4 and argv[1] == "create-policy":
        print(create_policy(argv[0], argv[2], argv[3]))
        return 0
    if len(argv) >= 6 and argv[1] == "scale-out":
        print(json.dumps(scale_out(argv[0], argv[2], argv[3], argv[4], argv[5])))
        return 0
    if len(argv) >= 3 and argv[1] == "account-bootstrap":
        print(account_bootstrap(argv[0], argv[2]))
        return 0
    if len(argv) >= 3 and argv[1] == "function-image":
        print(function_image(argv[0], argv[2]))
        return 0
    if len(argv) >= 2 and argv[1] == "inventory":
        print(json.dumps(inventory(argv[0])))
        return 0
    event = "--event" in argv
    argv = [a for a in argv if a != "--event"]
    if len(argv) >= 4 and argv[1] == "inject" and argv[2] in CHANGES:
        timeout_s = float(argv[4]) if len(argv) > 4 else 180
        print(json.dumps(inject(argv[0], argv[2], argv[3], timeout_s, event)))
        return 0
    if len(argv) >= 4 and argv[1] == "remove" and argv[2] in REMOVE:
        print(json.dumps(remove(argv[0], argv[2], argv[3], event)))
        return 0
    if len(argv) >= 3 and argv[1] == "active-task-definitions":
        print(json.dumps(active(argv[0], argv[2])))
        return 0
    if len(argv) >= 3 and argv[1] == "newest-task-definition":
        print(newest(argv[0], argv[2]))
        return 0
    if len(argv) >= 4 and argv[1] == "count":
        print(count(argv[0], argv[2], argv[3]))
        return 0
    if len(argv) >= 4 and argv[1] == "unmanaged" and argv[2] in UNMANAGED:
        print(json.dumps(unmanaged(argv[0], argv[2], argv[3], event)))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
