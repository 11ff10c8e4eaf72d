"""The S3-compatible backend (AWS S3, MinIO, Ceph, Garage, ...), through boto3: objects at
<S3_PREFIX><area>/<key> in S3_BUCKET.

A PUT is atomic (the object is visible whole or not at all, and S3 is read-after-write consistent), so
staging writes the object under its final key and publishing has nothing left to do; the rows decide
which objects are wanted, and `storage.sweep` removes the rest once older than the grace period (by the
object's LastModified, so the servers' clocks must roughly agree: minutes within a one-hour grace).

Deleting removes the current object. In a bucket with versioning on, older versions keep the bytes:
leave versioning off for this bucket, or expire non-current versions with a lifecycle rule, or a file
withdrawn in the service still exists in the bucket.

Credentials: S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY when set, otherwise boto3's own chain
(AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a shared credentials file, an instance or task role).
"""

from __future__ import annotations

import errno
from typing import BinaryIO

import boto3
from botocore.config import Config as BotoConfig
from botocore.exceptions import BotoCoreError, ClientError
from flask import Flask

from .backend import Entry, NotFound, StoreUnavailable, check_key, is_key

_MISSING = {"NoSuchKey", "404", "NotFound"}
_REFUSED = {"AccessDenied", "AllAccessDisabled", "InvalidAccessKeyId", "SignatureDoesNotMatch"}
_CLIENTS = "storage_s3_clients"


def _unavailable(error: Exception) -> StoreUnavailable:
    if isinstance(error, ClientError) and error.response.get("Error", {}).get("Code") in _REFUSED:
        return StoreUnavailable("read_only", error)
    return StoreUnavailable("unavailable", error)


def _missing(error: Exception) -> bool:
    return isinstance(error, ClientError) and str(error.response.get("Error", {}).get("Code")) in _MISSING


def client_for(app: Flask):
    """One boto3 client per app and settings (boto3 clients are thread-safe): made on first use."""
    config = app.config
    settings = (
        config.get("S3_ENDPOINT_URL") or None,
        config.get("S3_REGION") or None,
        config.get("S3_ACCESS_KEY_ID") or None,
        config.get("S3_SECRET_ACCESS_KEY") or None,
        config.get("S3_ADDRESSING_STYLE") or ("path" if config.get("S3_ENDPOINT_URL") else "auto"),
        float(config.get("S3_CONNECT_TIMEOUT_S", 5)),
        float(config.get("S3_READ_TIMEOUT_S", 10)),
    )
    clients = app.extensions.setdefault(_CLIENTS, {})
    if settings not in clients:
        endpoint, region, key_id, secret, style, connect, read = settings
        clients[settings] = boto3.session.Session().client(
            "s3",
            endpoint_url=endpoint,
            region_name=region,
            aws_access_key_id=key_id,
            aws_secret_access_key=secret,
            config=BotoConfig(
                # Well under gunicorn's 30 s worker timeout, so a store that does not answer ends the request
                # with the service's own message rather than a killed worker.
                connect_timeout=connect,
                read_timeout=read,
                retries={"max_attempts": 2, "mode": "standard"},
                s3={"addressing_style": style},
            ),
        )
    return clients[settings]


class S3Backend:
    def __init__(self, client, bucket: str, base: str) -> None:
        self.client = client
        self.bucket = bucket
        self.base = base

    @classmethod
    def for_app(cls, app: Flask, area: str) -> S3Backend:
        return cls(client_for(app), app.config["S3_BUCKET"], f"{app.config.get('S3_PREFIX') or ''}{area}/")

    def describe(self) -> str:
        return f"s3://{self.bucket}/{self.base}"

    def _object(self, key: str) -> str:
        return self.base + check_key(key)

    def put_staged(self, key: str, data: bytes) -> None:
        try:
            self.client.put_object(Bucket=self.bucket, Key=self._object(key), Body=data)
        except (BotoCoreError, ClientError) as error:
            raise _unavailable(error) from error

    def publish(self, key: str) -> None:
        check_key(key)  # the PUT made the object whole: nothing to rename

    def discard(self, key: str) -> None:
        self.delete(key)

    def open(self, key: str) -> BinaryIO:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._object(key))["Body"]
        except (BotoCoreError, ClientError) as error:
            if _missing(error):
                raise NotFound(errno.ENOENT, f"No stored file {key}") from error
            raise _unavailable(error) from error

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._object(key))
        except (BotoCoreError, ClientError) as error:
            if _missing(error):
                return False
            raise _unavailable(error) from error
        return True

    def delete(self, key: str) -> None:
        try:
            self.client.delete_object(Bucket=self.bucket, Key=self._object(key))  # no error when absent
        except (BotoCoreError, ClientError) as error:
            raise _unavailable(error) from error

    def entries(self, prefix: str = "") -> list[Entry]:
        found = []
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.base + prefix)
        try:
            for page in pages:
                for item in page.get("Contents", []):
                    key = item["Key"][len(self.base) :]
                    if is_key(key):  # anything else is not ours: leave it for a person to look at
                        found.append(Entry(key, key, staged=False, modified=item["LastModified"].timestamp()))
        except (BotoCoreError, ClientError) as error:
            raise _unavailable(error) from error
        return found

    def open_entry(self, entry: Entry) -> BinaryIO:
        return self.open(entry.key)

    def put_entry(self, entry: Entry, data: bytes) -> None:
        self.put_staged(entry.key, data)

    def remove(self, entry: Entry) -> None:
        self.delete(entry.key)
