#!/usr/bin/env python3
"""A person changing AWS by hand, against the local AWS emulator (moto's server).

Used by `npm run e2e:aws` (src/dev/e2e-aws.ts) with the boto3 of .tools/moto:

  aws-drift.py ENDPOINT inventory
  aws-drift.py ENDPOINT inject versioning BUCKET    turn bucket versioning off (Suspended)
  aws-drift.py ENDPOINT inject retention QUEUE_URL  set the queue's retention to 60 s
  aws-drift.py ENDPOINT inject table TABLE          delete the DynamoDB table
  aws-drift.py ENDPOINT inject rotation KEY_ID      disable KMS key rotation

`inject` reads the state the claim asked for, makes the change, then polls every
250 ms until the emulator shows the claimed state again (Crossplane's provider
put it back) or the timeout passes. It prints one JSON line: before, injected,
after and restoredMs (null when not restored in time).
"""
import json
import sys
import time

import boto3
from botocore.config import Config

REGION = "us-east-1"


def client(endpoint, service):
    return boto3.client(
        service, endpoint_url=endpoint, region_name=REGION,
        aws_access_key_id="testing", aws_secret_access_key="testing",
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
    )


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


CHANGES = {"versioning": versioning, "retention": retention, "table": table, "rotation": rotation}


def inject(endpoint, kind, ident, timeout_s):
    read, change = CHANGES[kind](endpoint, ident)
    before = read()
    change()
    t0 = time.monotonic()
    injected = read()
    after, restored_ms = injected, None
    while time.monotonic() - t0 < timeout_s:
        after = read()
        if after == before:
            restored_ms = round((time.monotonic() - t0) * 1000)
            break
        time.sleep(0.25)
    return {"kind": kind, "id": ident, "before": before, "injected": injected, "after": after, "restoredMs": restored_ms}


def inventory(endpoint):
    return {
        "buckets": [b["Name"] for b in client(endpoint, "s3").list_buckets()["Buckets"]],
        "queues": client(endpoint, "sqs").list_queues().get("QueueUrls", []),
        "tables": client(endpoint, "dynamodb").list_tables()["TableNames"],
        # Customer keys by alias (the emulator also makes AWS-managed keys, alias/aws/*).
        "keys": {a["AliasName"]: a["TargetKeyId"] for a in client(endpoint, "kms").list_aliases()["Aliases"] if not a["AliasName"].startswith("alias/aws/")},
        "vpcs": [v["VpcId"] for v in client(endpoint, "ec2").describe_vpcs()["Vpcs"] if not v.get("IsDefault")],
    }


def main(argv):
    if len(argv) >= 2 and argv[1] == "inventory":
        print(json.dumps(inventory(argv[0])))
        return 0
    if len(argv) >= 4 and argv[1] == "inject" and argv[2] in CHANGES:
        timeout_s = float(argv[4]) if len(argv) > 4 else 180
        print(json.dumps(inject(argv[0], argv[2], argv[3], timeout_s)))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
