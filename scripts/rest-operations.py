#!/usr/bin/env python3
"""Writes test/fixtures/rest-operations.json: the REST operations of the services e2e:aws points
at the emulator, spelled as scripts/emulator.py's operation() records them, so test/replay.ts can
name the API operation (and so the IAM action) of every recorded "METHOD /path" call without
Python at test time.

Regenerate (after moto/botocore or SERVICES change):
  .tools/moto/bin/python scripts/rest-operations.py > test/fixtures/rest-operations.json

Source: botocore's service models in the moto virtualenv (each operation's http.method and
http.requestUri, and its input's querystring members). The services are the botocore names of
src/dev/e2e-aws.ts SERVICES; only the REST ones (rest-json, rest-xml) are written, keyed by the
SigV4 signing name the emulator records calls under (S3 Control signs as "s3", so it is listed
with S3).

- "rest": the emulator's ID regex is applied to each requestUri's path exactly as operation()
  applies it to the request's path (ID.sub('/{id}', path), imported from the emulator itself), so
  a literal like /2015-03-31 becomes /{id} on both sides; {Placeholders} are left for the test to
  match. Operations whose keys collapse to the same string are listed together.
- "s3": operation() records S3 (and S3 Control) as "METHOD bucket|object[?sorted query keys]",
  without x-id; each operation is given the same way: depth from its path, "query" the keys it
  always sends (requestUri's own and required querystring members), "optional" the others.
"""
import json
import os
import sys
from collections import defaultdict
from urllib.parse import parse_qs

import botocore
import botocore.session

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from emulator import ID  # noqa: E402  the very regex operation() strips ids with

# botocore names of src/dev/e2e-aws.ts SERVICES (Terraform endpoint names appautoscaling -> application-autoscaling).
SERVICES = ["acm", "apigateway", "application-autoscaling", "backup", "cloudwatch", "dynamodb", "ec2", "ecs", "elbv2", "events",
            "iam", "kms", "lambda", "logs", "rds", "route53", "s3", "s3control", "secretsmanager", "sns", "sqs", "ssm", "sts", "wafv2"]


def querystring_members(op):
    shape = op.input_shape
    if shape is None:
        return {}, set()
    names = {m.serialization.get("name", n): n for n, m in shape.members.items() if m.serialization.get("location") == "querystring"}
    required = {loc for loc, n in names.items() if n in shape.required_members}
    return names, required


def main():
    session = botocore.session.get_session()
    rest = defaultdict(lambda: defaultdict(list))
    s3 = []
    services = {}
    for name in SERVICES:
        model = session.get_service_model(name)
        protocol = model.metadata["protocol"]
        services[name] = {"signingName": model.signing_name, "protocol": protocol}
        if not protocol.startswith("rest-"):
            continue
        for op_name in model.operation_names:
            op = model.operation_model(op_name)
            method, uri = op.http["method"], op.http["requestUri"]
            path, _, query = uri.partition("?")
            if model.signing_name == "s3":
                fixed = set(parse_qs(query, keep_blank_values=True)) - {"x-id"}
                members, required = querystring_members(op)
                s3.append({
                    "service": name, "operation": op_name, "method": method,
                    # operation()'s depth: path.strip("/").count("/") >= 1 is an object
                    "depth": "object" if path.strip("/").count("/") >= 1 else "bucket",
                    "query": sorted(fixed | required), "optional": sorted(set(members) - required - fixed),
                })
                continue
            stripped = ID.sub("/{id}", path)
            if stripped.count("{") - stripped.count("{id}") != path.count("{") or "{id}" in path:
                sys.exit(f"{name} {op_name}: {path}: the id regex ate a placeholder, or the model names one {{id}}")
            rest[model.signing_name][f"{method} {stripped}"].append(op_name)
    out = {
        "generatedBy": ".tools/moto/bin/python scripts/rest-operations.py > test/fixtures/rest-operations.json",
        "botocore": botocore.__version__,
        "idRegex": ID.pattern,
        "services": services,
        "rest": {svc: [{"key": k, "operations": sorted(ops)} for k, ops in sorted(keys.items())] for svc, keys in sorted(rest.items())},
        "s3": sorted(s3, key=lambda o: (o["service"], o["operation"])),
    }
    # One entry a line: a regenerated table diffs by operation.
    lines = []
    for k, v in out.items():
        if isinstance(v, dict) and k == "rest":
            inner = [f" {json.dumps(svc)}: [\n" + ",\n".join(f"  {json.dumps(e)}" for e in entries) + "\n ]" for svc, entries in v.items()]
            lines.append(f"{json.dumps(k)}: {{\n" + ",\n".join(inner) + "\n}")
        elif isinstance(v, list):
            lines.append(f"{json.dumps(k)}: [\n" + ",\n".join(f" {json.dumps(e)}" for e in v) + "\n]")
        else:
            lines.append(f"{json.dumps(k)}: {json.dumps(v)}")
    sys.stdout.write("{\n" + ",\n".join(lines) + "\n}\n")


if __name__ == "__main__":
    main()
