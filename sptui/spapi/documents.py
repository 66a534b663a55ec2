"""Proof-of-fulfillment documents: check, encrypt, upload, and the reference to attach.

Amazon's flow: createServiceDocumentUploadDestination answers a URL, headers and an AES key and
IV; the file is encrypted with AES-CBC (PKCS#7 padding) on our side and PUT to the URL; the
``uploadDestinationId`` and the base64 SHA-256 of the file then go into
setAppointmentFulfillmentData. Length, MD5 and SHA-256 describe the document itself, before
encryption, which is what the upload service checks after decrypting.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import stat
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from .endpoints import EndpointError, check_url
from .errors import InvalidInputError, SpApiError, error_from_response
from .models import DocumentContentType, FulfillmentDocument, ServiceUploadDocument

if TYPE_CHECKING:
    from .client import ServicesClient

MAX_BYTES = 5 * 1024 * 1024
CHUNK = 64 * 1024
UPLOAD = "uploadDocument"

_BY_SUFFIX = {
    ".tif": DocumentContentType.TIFF,
    ".tiff": DocumentContentType.TIFF,
    ".jpg": DocumentContentType.JPG,
    ".jpeg": DocumentContentType.JPEG,
    ".png": DocumentContentType.PNG,
    ".gif": DocumentContentType.GIF,
    ".pdf": DocumentContentType.PDF,
}
SUFFIXES = tuple(_BY_SUFFIX)
"""The file name endings Amazon takes for a proof document."""

_MAGIC: dict[DocumentContentType, tuple[bytes, ...]] = {
    DocumentContentType.TIFF: (b"II*\x00", b"MM\x00*"),
    DocumentContentType.JPG: (b"\xff\xd8\xff",),
    DocumentContentType.JPEG: (b"\xff\xd8\xff",),
    DocumentContentType.PNG: (b"\x89PNG\r\n\x1a\n",),
    DocumentContentType.GIF: (b"GIF87a", b"GIF89a"),
    DocumentContentType.PDF: (b"%PDF-",),
}

Progress = Callable[[int, int], None]
"""Called with (bytes sent, bytes in all) as the upload goes."""


class DocumentError(InvalidInputError):
    """A file that cannot be a proof document; nothing was sent."""

    def __init__(self, message: str) -> None:
        super().__init__(message, operation=UPLOAD)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@dataclass(frozen=True)
class PreparedDocument:
    name: str
    content_type: DocumentContentType
    data: bytes = field(repr=False)

    @property
    def md5(self) -> str:
        return _b64(hashlib.md5(self.data, usedforsecurity=False).digest())

    @property
    def sha256(self) -> str:
        return _b64(hashlib.sha256(self.data).digest())

    def upload_request(self) -> ServiceUploadDocument:
        return ServiceUploadDocument(
            content_type=self.content_type, content_length=len(self.data), content_md5=self.md5
        )


def prepare(path: str | Path) -> PreparedDocument:
    """Read and check a file before any request: type by name and content, 1 B to 5 MiB.

    Only a regular file is read (a link to one is followed), and never more than 5 MiB + 1
    bytes: a link to ``/dev/zero``, a FIFO or a file still growing can neither exhaust memory
    nor hang the caller. It blocks on the disk, so the console calls ``prepare_async``.
    """
    file = Path(path).expanduser()
    kind = _BY_SUFFIX.get(file.suffix.lower())
    if kind is None:
        allowed = ", ".join(sorted(_BY_SUFFIX))
        raise DocumentError(f"{file.name}: not a document type Amazon takes ({allowed})")
    data = _read_regular_file(file)
    if not data:
        raise DocumentError(f"{file.name}: the file is empty")
    if len(data) > MAX_BYTES:
        raise DocumentError(f"{file.name}: over Amazon's 5 MiB limit")
    if not data.startswith(_MAGIC[kind]):
        raise DocumentError(f"{file.name}: the content is not a {kind.value} file")
    return PreparedDocument(file.name, kind, data)


async def prepare_async(path: str | Path) -> PreparedDocument:
    """``prepare`` in a worker thread, off the event loop."""
    return await asyncio.to_thread(prepare, path)


def _read_regular_file(file: Path) -> bytes:
    """At most MAX_BYTES + 1 bytes of a regular file; anything else is refused unread."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer that never comes.
        descriptor = os.open(file, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise DocumentError(f"{file}: no such file") from None
    except IsADirectoryError:
        raise DocumentError(f"{file}: is a directory") from None
    except PermissionError:
        raise DocumentError(f"{file}: not readable (permission denied)") from None
    except OSError as error:
        raise DocumentError(f"{file}: cannot be opened ({error.strerror})") from None
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise DocumentError(f"{file}: is a directory")
        if not stat.S_ISREG(mode):
            raise DocumentError(f"{file}: not a regular file (a device, pipe or socket)")
        size = os.fstat(descriptor).st_size
        if size > MAX_BYTES:
            raise DocumentError(f"{file.name}: {size:,} bytes is over Amazon's 5 MiB limit")
        chunks: list[bytes] = []
        left = MAX_BYTES + 1
        while left > 0:
            chunk = os.read(descriptor, min(CHUNK, left))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    except OSError as error:
        raise DocumentError(f"{file}: could not be read ({error.strerror})") from None
    finally:
        os.close(descriptor)


def _cipher(key_b64: str, iv_b64: str) -> Cipher[modes.CBC]:
    """AES-CBC from base64 key and IV; ValueError when either is missing or malformed."""
    key = base64.b64decode(key_b64, validate=True)
    iv = base64.b64decode(iv_b64, validate=True)
    return Cipher(algorithms.AES(key), modes.CBC(iv))


def encrypt(data: bytes, key_b64: str, iv_b64: str) -> bytes:
    padder = padding.PKCS7(128).padder()
    padded = padder.update(data) + padder.finalize()
    encryptor = _cipher(key_b64, iv_b64).encryptor()
    return encryptor.update(padded) + encryptor.finalize()


def decrypt(data: bytes, key_b64: str, iv_b64: str) -> bytes:
    decryptor = _cipher(key_b64, iv_b64).decryptor()
    padded = decryptor.update(data) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    return unpadder.update(padded) + unpadder.finalize()


async def _chunks(data: bytes, progress: Progress | None) -> AsyncIterator[bytes]:
    total = len(data)
    for start in range(0, total, CHUNK):
        chunk = data[start : start + CHUNK]
        yield chunk
        if progress:
            progress(min(start + CHUNK, total), total)


async def upload_document(
    client: ServicesClient,
    source: str | Path | PreparedDocument,
    *,
    progress: Progress | None = None,
) -> FulfillmentDocument:
    """Upload one proof document; returns what setAppointmentFulfillmentData needs.

    A document already checked (``prepare``) is sent as it was read, so a file changed on disk
    after the user saw it checked cannot slip through.
    """
    document = source if isinstance(source, PreparedDocument) else await prepare_async(source)
    answer = await client.create_service_document_upload_destination(document.upload_request())
    destination = answer.payload
    if destination is None or not destination.url or not destination.encryption_details:
        raise SpApiError(
            "the upload destination came back incomplete",
            operation="createServiceDocumentUploadDestination",
            request_id=answer.request_id,
        )
    try:
        url = check_url(destination.url, "upload URL")
    except EndpointError as error:
        raise SpApiError(str(error), operation=UPLOAD) from None
    details = destination.encryption_details
    try:
        body = encrypt(document.data, details.key or "", details.initialization_vector or "")
    except ValueError:  # binascii.Error too: not base64, or a key or IV of the wrong length
        raise SpApiError(
            "the upload destination's encryption key or IV is missing or malformed; "
            "nothing was uploaded",
            operation="createServiceDocumentUploadDestination",
            request_id=answer.request_id,
        ) from None
    headers = {str(k): str(v) for k, v in (destination.headers or {}).items()}
    headers["content-length"] = str(len(body))
    try:
        response = await client.plain_http.put(
            url, content=_chunks(body, progress), headers=headers
        )
    except httpx.HTTPError as exc:
        raise SpApiError(
            f"the upload did not complete ({type(exc).__name__}); upload the file again",
            operation=UPLOAD,
        ) from None
    if not response.is_success:
        raise error_from_response(UPLOAD, response)
    return FulfillmentDocument(
        upload_destination_id=destination.upload_destination_id, content_sha256=document.sha256
    )
