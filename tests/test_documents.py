"""Proof documents: checked before any call, encrypted, uploaded, referenced."""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

import httpx
import pytest

from sptui.spapi import DocumentError, SpApiError, upload_document
from sptui.spapi.documents import MAX_BYTES, decrypt, encrypt

from .fakes import make_client, ok

PNG = b"\x89PNG\r\n\x1a\n" + os.urandom(200_000)
KEY = base64.b64encode(os.urandom(32)).decode()
IV = base64.b64encode(os.urandom(16)).decode()


def test_aes_cbc_round_trip() -> None:
    for size in (1, 15, 16, 17, 100_000):
        data = os.urandom(size)
        sealed = encrypt(data, KEY, IV)
        assert len(sealed) % 16 == 0 and sealed != data
        assert decrypt(sealed, KEY, IV) == data


class UploadServer:
    def __init__(self, url: str = "https://uploads.example.com/bucket/doc-1") -> None:
        self.url = url
        self.received: bytes | None = None
        self.requests: list[httpx.Request] = []

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path == "/service/v1/documents":
            return ok(
                {
                    "payload": {
                        "uploadDestinationId": "dest-1",
                        "url": self.url,
                        "encryptionDetails": {
                            "standard": "AES",
                            "initializationVector": IV,
                            "key": KEY,
                        },
                        "headers": {"x-amz-meta-test": "1"},
                    }
                }
            )
        assert request.method == "PUT"
        assert "x-amz-access-token" not in request.headers  # the token never leaves for S3
        assert request.headers["x-amz-meta-test"] == "1"
        self.received = b"".join([request.content])
        return httpx.Response(200)


async def test_upload_encrypts_puts_and_returns_the_reference(tmp_path: Path) -> None:
    file = tmp_path / "proof.png"
    file.write_bytes(PNG)
    server = UploadServer()
    progress: list[tuple[int, int]] = []
    async with make_client(server) as client:
        reference = await upload_document(
            client, file, progress=lambda d, t: progress.append((d, t))
        )
    create = server.requests[0]
    import json

    asked = json.loads(create.content)
    assert asked["contentType"] == "PNG" and asked["contentLength"] == len(PNG)
    assert asked["contentMD5"] == base64.b64encode(hashlib.md5(PNG).digest()).decode()  # noqa: S324
    assert server.received is not None and decrypt(server.received, KEY, IV) == PNG
    assert reference.upload_destination_id == "dest-1"
    assert reference.content_sha256 == base64.b64encode(hashlib.sha256(PNG).digest()).decode()
    assert progress[-1][0] == progress[-1][1] == len(server.received)
    assert len(progress) > 1


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("proof.bmp", b"BM....", "not a document type"),
        ("proof.png", b"", "empty"),
        ("proof.png", b"%PDF-1.7 not a png", "not a PNG"),
        ("proof.pdf", b"%PDF-" + b"x" * MAX_BYTES, "5 MiB"),
    ],
)
async def test_bad_files_are_refused_before_any_call(
    tmp_path: Path, name: str, content: bytes, words: str
) -> None:
    file = tmp_path / name
    file.write_bytes(content)
    server = UploadServer()
    async with make_client(server) as client:
        with pytest.raises(DocumentError, match=words):
            await upload_document(client, file)
    assert server.requests == []


async def test_missing_file_is_refused(tmp_path: Path) -> None:
    server = UploadServer()
    async with make_client(server) as client:
        with pytest.raises(DocumentError, match="no such file"):
            await upload_document(client, tmp_path / "gone.pdf")
    assert server.requests == []


async def test_an_upload_url_over_plain_http_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "proof.png"
    file.write_bytes(PNG)
    server = UploadServer(url="http://uploads.example.com/doc")
    async with make_client(server) as client:
        with pytest.raises(SpApiError, match="https"):
            await upload_document(client, file)
    assert [r.url.path for r in server.requests] == ["/service/v1/documents"]
