"""An S3-compatible endpoint on loopback (moto's server, a separate process speaking the S3 HTTP API), and the
settings that point the portal's two storages at fresh buckets on it. Used by the object-storage tests."""

import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import boto3
import pytest
from django.utils.functional import empty

from apps.core.storage import private_storage

CREDENTIALS = {"aws_access_key_id": "ocop-test", "aws_secret_access_key": "ocop-test-secret"}  # noqa: S105 — moto's


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = _free_port()
    moto = Path(sys.executable).with_name("moto_server")
    process = subprocess.Popen(  # noqa: S603 — our own virtualenv's moto_server, fixed arguments
        [str(moto), "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("moto_server did not start")
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def s3(s3_endpoint, settings, monkeypatch):
    """Media and private files on two new buckets; returns a boto3 client and the bucket names."""
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name.upper(), value)
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", **CREDENTIALS)
    media, private = f"media-{uuid.uuid4().hex[:12]}", f"private-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=media)
    client.create_bucket(Bucket=private)
    common = {
        "endpoint_url": s3_endpoint,
        "region_name": "us-east-1",
        "file_overwrite": False,
        "signature_version": "s3v4",
        "addressing_style": "path",
    }
    settings.OCOP_FILE_STORAGE = "s3"
    settings.OCOP_S3_PRIVATE_OPTIONS = {
        **common,
        "bucket_name": private,
        "default_acl": "private",
        "querystring_auth": True,
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**common, "bucket_name": media, "querystring_auth": False, "default_acl": "public-read"},
        },
    }
    private_storage._wrapped = empty
    yield type("S3", (), {"client": client, "media": media, "private": private, "endpoint": s3_endpoint})
    private_storage._wrapped = empty


def keys(client, bucket):
    return sorted(o["Key"] for o in client.list_objects_v2(Bucket=bucket).get("Contents", []))
