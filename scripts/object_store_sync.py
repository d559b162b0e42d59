#!/usr/bin/env python3
"""Copy the uploads between the S3-compatible bucket and a local folder, with boto3 only (no
AWS CLI needed): `pull DIR` downloads what is new or changed in the bucket, `push DIR` uploads
what is new or changed in the folder. Nothing is ever deleted on either side, so a backup
folder only grows and a restore never removes an upload made since.

The bucket is named by the same variables as the production settings
(shop/settings/object_storage.py): AWS_STORAGE_BUCKET_NAME, AWS_S3_ENDPOINT_URL,
AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_S3_REGION_NAME, AWS_LOCATION (default
"media", the folder inside the bucket). Paths in DIR are relative to AWS_LOCATION, as in
MEDIA_ROOT, so a pulled folder can also serve as MEDIA_ROOT of a single machine.
"""

import argparse
import os
import sys
from pathlib import Path


def bucket_client():
    import boto3

    bucket = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
    if not bucket:
        sys.exit("AWS_STORAGE_BUCKET_NAME is not set: there is no bucket to sync.")
    client = boto3.client(
        "s3",
        endpoint_url=os.environ.get("AWS_S3_ENDPOINT_URL") or None,
        aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID") or None,
        aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
        region_name=os.environ.get("AWS_S3_REGION_NAME") or None,
    )
    return client, bucket


def prefix() -> str:
    location = os.environ.get("AWS_LOCATION", "media").strip("/")
    return f"{location}/" if location else ""


def remote_objects(client, bucket) -> dict[str, int]:
    """Key (relative to AWS_LOCATION) -> size, for every object under AWS_LOCATION."""
    objects = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix()):
        for obj in page.get("Contents", []):
            objects[obj["Key"][len(prefix()) :]] = obj["Size"]
    return objects


def pull(folder: Path) -> int:
    client, bucket = bucket_client()
    copied = 0
    for name, size in sorted(remote_objects(client, bucket).items()):
        target = folder / name
        if target.is_file() and target.stat().st_size == size:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        client.download_file(bucket, prefix() + name, str(target))
        copied += 1
    return copied


def push(folder: Path) -> int:
    client, bucket = bucket_client()
    present = remote_objects(client, bucket)
    copied = 0
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        if present.get(name) == path.stat().st_size:
            continue
        client.upload_file(str(path), bucket, prefix() + name)
        copied += 1
    return copied


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("direction", choices=("pull", "push"))
    parser.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    if args.direction == "push" and not args.folder.is_dir():
        sys.exit(f"{args.folder}: no such folder")
    args.folder.mkdir(parents=True, exist_ok=True)
    copied = (pull if args.direction == "pull" else push)(args.folder)
    print(f"object store {args.direction}: {copied} file(s) copied")
    return 0


if __name__ == "__main__":
    sys.exit(main())
