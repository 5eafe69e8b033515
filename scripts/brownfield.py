#!/usr/bin/env python3
"""An environment built outside this platform, the way a CDK app would have built it (issue 38).

Used by `npm run e2e:faults -- --aws --cases brownfield` (src/dev/brownfield-aws.ts) with the
boto3 of .tools/moto, against the local AWS emulator:

  brownfield.py ENDPOINT PLAN.json

PLAN.json is the Composition's render of the claim to adopt: {"env": ..., "resources": {component:
{"kind": ..., "forProvider": {...}}}}. What is built takes the Composition's identity where a team
adopting the platform would have matched it (the VPC's and subnets' CIDR blocks, the data stores'
names, the key's alias) and its own elsewhere, as CDK does:
  - its own tags (Name: LegacyStack/...; no Environment tag, no crossplane-* tags);
  - security groups with CDK's generated names (LegacyStack-AlbSg...): they cannot be found by the
    Composition's names, so they are created beside these (the way out: move what uses them);
  - the transactions table under CDK's name (LegacyStack-TransactionsTable...): the Composition
    names it payment-transactions-<env>, so it cannot be adopted (the way out: copy its items);
  - settings that differ from the tier's policy: point-in-time recovery off on the sessions table,
    the queue's retention 4 days, the queue unencrypted.
Prints JSON: {"built": {component: id}, "cannotAdopt": {component: [what was built, why]}}.
"""
import json
import sys

import boto3
from botocore.config import Config

CALLER = "cdk"


def client(endpoint, service, region):
    return boto3.client(service, endpoint_url=endpoint, region_name=region, aws_access_key_id=CALLER, aws_secret_access_key="testing",
                        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))


def tags(name):
    return [{"Key": "Name", "Value": f"LegacyStack/{name}"}, {"Key": "aws-cdk:stack", "Value": "LegacyStack"}]


def build(endpoint, plan):
    res = plan["resources"]
    fp = lambda c: res[c]["forProvider"]
    region = fp("vpc")["region"]
    ec2 = client(endpoint, "ec2", region)
    built, cannot = {}, {}

    vpc = ec2.create_vpc(CidrBlock=fp("vpc")["cidrBlock"], TagSpecifications=[{"ResourceType": "vpc", "Tags": tags("Vpc")}])["Vpc"]["VpcId"]
    built["vpc"] = vpc
    subnets = sorted(c for c, r in res.items() if r["kind"] == "Subnet")
    for c in subnets:
        built[c] = ec2.create_subnet(VpcId=vpc, CidrBlock=fp(c)["cidrBlock"], AvailabilityZoneId=fp(c).get("availabilityZoneId", "use1-az1"),
                                     TagSpecifications=[{"ResourceType": "subnet", "Tags": tags(c)}])["Subnet"]["SubnetId"]
    igw = ec2.create_internet_gateway(TagSpecifications=[{"ResourceType": "internet-gateway", "Tags": tags("Igw")}])["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    built["igw"] = igw
    # Route tables as the Composition lays them out (one public, one per private subnet), CDK-tagged.
    for c, r in res.items():
        if r["kind"] != "RouteTableAssociation":
            continue
        table = r["forProvider"]["routeTableIdSelector"]["matchLabels"]["paymentenv.io/component"]
        subnet = r["forProvider"]["subnetIdSelector"]["matchLabels"]["paymentenv.io/component"]
        if table not in built:
            built[table] = ec2.create_route_table(VpcId=vpc, TagSpecifications=[{"ResourceType": "route-table", "Tags": tags(table)}])["RouteTable"]["RouteTableId"]
        built[c] = ec2.associate_route_table(RouteTableId=built[table], SubnetId=built[subnet])["AssociationId"]
    if "rt-public" in built:
        ec2.create_route(RouteTableId=built["rt-public"], DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    # One NAT gateway in the first public subnet, the private tables' default route through it.
    if "eip-nat-a" in res:
        built["eip-nat-a"] = ec2.allocate_address(Domain="vpc", TagSpecifications=[{"ResourceType": "elastic-ip", "Tags": tags("NatEip")}])["AllocationId"]
        built["nat-a"] = ec2.create_nat_gateway(SubnetId=built["subnet-public-a"], AllocationId=built["eip-nat-a"],
                                                TagSpecifications=[{"ResourceType": "natgateway", "Tags": tags("Nat")}])["NatGateway"]["NatGatewayId"]
        for table in [t for t in built if t.startswith("rt-private-")]:
            ec2.create_route(RouteTableId=built[table], DestinationCidrBlock="0.0.0.0/0", NatGatewayId=built["nat-a"])
    for c, r in res.items():
        if r["kind"] == "SecurityGroup":
            name = f"LegacyStack-{c.replace('sg-', '').capitalize()}SecurityGroup-1A2B3C"
            ec2.create_security_group(GroupName=name, Description=f"LegacyStack/{c}", VpcId=vpc)
            cannot[c] = [name, f"a security group's name cannot change and the Composition names it {r['forProvider']['name']}: a new group is created beside it; move what uses {name} to it, then delete {name}"]

    kms = client(endpoint, "kms", region)
    key = kms.create_key(Description="LegacyStack key")["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName=f"alias/{plan['names']['kms-alias']}", TargetKeyId=key)
    built["kms-key"] = key

    ddb = client(endpoint, "dynamodb", region)
    for c in ("table-sessions", "table-transactions"):
        name = plan["names"][c] if c == "table-sessions" else "LegacyStack-TransactionsTable-9F8E7D"
        ddb.create_table(TableName=name, AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                         KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
        ddb.put_item(TableName=name, Item={"id": {"S": "txn-0001"}, "amount": {"N": "4200"}})
        if c == "table-sessions":
            built[c] = name
        else:
            cannot[c] = [name, f"a table's name cannot change and the Composition names it {plan['names'][c]}: that table is created empty; copy the items (export to S3 and import, or a scan-and-write job) before the application moves to it"]

    sqs = client(endpoint, "sqs", region)
    for c in ("dlq", "queue"):
        attrs = {"MessageRetentionSeconds": str(345600 if c == "queue" else fp(c)["messageRetentionSeconds"]), "VisibilityTimeout": str(fp(c)["visibilityTimeoutSeconds"])}
        built[c] = sqs.create_queue(QueueName=fp(c)["name"], Attributes=attrs)["QueueUrl"]
    return {"built": built, "cannotAdopt": cannot}


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    with open(sys.argv[2]) as f:
        print(json.dumps(build(sys.argv[1], json.load(f))))
