"""Uploads in S3-compatible object storage (django-storages), configured from the environment.

Several web nodes must see the same uploaded files (product images, Wagtail images and
documents, renditions, sorl thumbnails, POS QRIS images); a node's own disk cannot give
them that. The variables keep the names django-storages itself reads:

  AWS_STORAGE_BUCKET_NAME   the bucket; unset means the local disk (MEDIA_ROOT), as before
  AWS_S3_ENDPOINT_URL       another S3-compatible server (MinIO, Ceph, a cloud's S3 API)
  AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY
                            unset: boto3 finds credentials itself (instance role, ~/.aws)
  AWS_S3_REGION_NAME        the bucket's region
  AWS_QUERYSTRING_AUTH      true (default): signed URLs that expire after
                            AWS_QUERYSTRING_EXPIRE seconds, so the bucket can stay private
  AWS_S3_CUSTOM_DOMAIN      a public host (CDN) in front of a public-read bucket; implies
                            unsigned URLs
  AWS_LOCATION              a folder inside the bucket (default "media")

Kept apart from production.py so that the tests configure the storage exactly as production
does, against a local S3-compatible server (tests/ops/conftest.py).
"""

from typing import Any


def object_storage_settings(env) -> dict[str, Any]:
    """The settings that put uploads in the bucket named by the environment, or {} when
    no bucket is named (uploads stay on the local disk)."""
    bucket = env("AWS_STORAGE_BUCKET_NAME", default="")
    if not bucket:
        return {}
    custom_domain = env("AWS_S3_CUSTOM_DOMAIN", default="") or None
    return {
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": env("AWS_S3_ENDPOINT_URL", default="") or None,
        "AWS_ACCESS_KEY_ID": env("AWS_ACCESS_KEY_ID", default="") or None,
        "AWS_SECRET_ACCESS_KEY": env("AWS_SECRET_ACCESS_KEY", default="") or None,
        "AWS_S3_REGION_NAME": env("AWS_S3_REGION_NAME", default="") or None,
        "AWS_S3_CUSTOM_DOMAIN": custom_domain,
        # A public CDN host cannot carry a signature; otherwise sign by default, so QRIS
        # images and unpublished product photos are not readable by anyone who guesses.
        "AWS_QUERYSTRING_AUTH": env.bool("AWS_QUERYSTRING_AUTH", default=not custom_domain),
        "AWS_QUERYSTRING_EXPIRE": env.int("AWS_QUERYSTRING_EXPIRE", default=6 * 3600),
        "AWS_S3_SIGNATURE_VERSION": "s3v4",
        # MinIO and most self-hosted servers want bucket names in the path, not the host.
        "AWS_S3_ADDRESSING_STYLE": env("AWS_S3_ADDRESSING_STYLE", default="") or None,
        "AWS_LOCATION": env("AWS_LOCATION", default="media"),
        # Access is the bucket policy's business; no per-object ACL (many servers refuse them).
        "AWS_DEFAULT_ACL": None,
        # Two uploads of "photo.jpg" must not overwrite each other (Django's disk storage
        # renames the second one too).
        "AWS_S3_FILE_OVERWRITE": False,
        # Browsers and the CDN may keep images a day; a changed image gets a new name.
        "AWS_S3_OBJECT_PARAMETERS": {"CacheControl": "max-age=86400"},
    }


def object_storage_backend() -> dict[str, Any]:
    return {"BACKEND": "storages.backends.s3.S3Storage"}
