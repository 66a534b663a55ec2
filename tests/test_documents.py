"""Proof documents: checked before any call, encrypted, uploaded, referenced."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
from pathlib import Path

import httpx
import pytest

from sptui.spapi import DocumentError, SpApiError, documents, upload_document
from sptui.spapi.documents import MAX_BYTES, decrypt, encrypt, prepare, prepare_async

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
    def __init__(
        self,
        url: str = "https://uploads.example.com/bucket/doc-1",
        key: str | None = KEY,
        iv: str | None = IV,
    ) -> None:
        self.url = url
        self.key, self.iv = key, iv
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
                            "initializationVector": self.iv,
                            "key": self.key,
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


# ---- files that are not what their name says -------------------------------------------------


async def refused_within_seconds(path: Path, words: str) -> None:
    """prepare_async refuses ``path`` quickly; a hang fails the test instead of stalling it."""
    with pytest.raises(DocumentError, match=words):
        await asyncio.wait_for(prepare_async(path), timeout=10)


async def test_a_link_to_dev_zero_is_refused_without_reading_it(tmp_path: Path) -> None:
    link = tmp_path / "proof.pdf"
    link.symlink_to("/dev/zero")
    await refused_within_seconds(link, "not a regular file")


async def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "scan.pdf"
    os.mkfifo(fifo)
    await refused_within_seconds(fifo, "not a regular file")


async def test_a_link_to_a_regular_file_is_read(tmp_path: Path) -> None:
    (tmp_path / "real.png").write_bytes(PNG)
    (tmp_path / "proof.png").symlink_to(tmp_path / "real.png")
    document = await prepare_async(tmp_path / "proof.png")
    assert document.data == PNG


async def test_a_file_growing_while_read_is_cut_at_the_limit_and_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "proof.pdf"
    file.write_bytes(b"%PDF-" + b"x" * (MAX_BYTES * 2))
    real_fstat, real_read = os.fstat, os.read
    read = [0]

    def small_fstat(fd: int) -> os.stat_result:  # it was small when looked at
        found = real_fstat(fd)
        return os.stat_result((*found[:6], 100, *found[7:]))

    def counted_read(fd: int, n: int) -> bytes:
        chunk = real_read(fd, n)
        read[0] += len(chunk)
        return chunk

    monkeypatch.setattr(documents.os, "fstat", small_fstat)
    monkeypatch.setattr(documents.os, "read", counted_read)
    with pytest.raises(DocumentError, match="5 MiB"):
        prepare(file)
    assert read[0] == MAX_BYTES + 1


@pytest.mark.parametrize(
    ("key", "iv"),
    [(None, IV), (KEY, None), ("not base64!", IV), (KEY, base64.b64encode(b"short").decode())],
    ids=["no-key", "no-iv", "garbled-key", "short-iv"],
)
async def test_a_destination_with_a_bad_key_or_iv_is_a_typed_error(
    tmp_path: Path, key: str | None, iv: str | None
) -> None:
    file = tmp_path / "proof.png"
    file.write_bytes(PNG)
    server = UploadServer(key=key, iv=iv)
    async with make_client(server) as client:
        with pytest.raises(SpApiError) as caught:
            await upload_document(client, file)
    assert type(caught.value) is SpApiError and "nothing was uploaded" in caught.value.message
    assert [r.method for r in server.requests] == ["POST"]  # nothing was PUT
