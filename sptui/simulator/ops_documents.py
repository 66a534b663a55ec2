"""Upload destinations, and the upload URL itself (Amazon's is an S3 URL; ours is served here)."""

from __future__ import annotations

import base64
import hashlib
import os
from datetime import timedelta

from sptui.spapi.models import ServiceUploadDocument

from .calls import ApiFault, Call
from .registry import Answer, answers
from .world import Upload, World

UPLOAD_PATH = "/_uploads/"


@answers("createServiceDocumentUploadDestination")
async def create_destination(call: Call) -> Answer:
    body = call.body if isinstance(call.body, dict) else {}
    kind = body.get("contentType")
    if kind is not None and kind not in {"TIFF", "JPG", "PNG", "JPEG", "GIF", "PDF"}:
        raise ApiFault(
            422,
            "contentType parameter is invalid. Use one of ['TIFF', 'JPG', 'PNG', 'JPEG', 'GIF', 'PDF']",
        )
    # This one operation ends its sentence with a full stop (see the model's sandbox cases).
    request = call.parse(ServiceUploadDocument, body, end=".")
    destination_id = call.world.next_id("UPLOAD-")
    key = base64.b64encode(os.urandom(32)).decode()
    iv = base64.b64encode(os.urandom(16)).decode()
    ttl = timedelta(seconds=call.settings.get("upload_ttl_seconds", 300))
    call.world.uploads[destination_id] = Upload(
        destination_id=destination_id,
        key=key,
        iv=iv,
        content_type=str(request.content_type),
        content_length=int(request.content_length or 0),
        content_md5=request.content_md5,
        expires_at=call.world.clock() + ttl,
    )
    return Answer(
        200,
        {
            "payload": {
                "uploadDestinationId": destination_id,
                "url": f"{call.base_url}{UPLOAD_PATH}{destination_id}",
                "encryptionDetails": {"standard": "AES", "initializationVector": iv, "key": key},
                "headers": {"Content-Type": "application/octet-stream"},
            }
        },
    )


def upload_refusal(world: World, destination_id: str) -> tuple[int, str] | None:
    """Why S3 would refuse an upload to this destination before reading a byte of it."""
    upload = world.uploads.get(destination_id)
    if upload is None:
        return 404, "NoSuchUpload: no such upload destination"
    if upload.expires_at < world.clock():
        return 403, "AccessDenied: Request has expired"
    return None


def receive_upload(world: World, destination_id: str, body: bytes) -> tuple[int, str]:
    """Store an uploaded document as S3 would; returns (status, message)."""
    refused = upload_refusal(world, destination_id)
    if refused is not None:
        return refused
    upload = world.uploads[destination_id]
    try:
        from sptui.spapi.documents import decrypt  # cryptography loads with the first upload

        plain = decrypt(body, upload.key, upload.iv)
    except ValueError:
        upload.problem = (
            "Document failed to decrypt or decipher. Please review the uploaded document"
        )
        return 200, "stored"
    md5 = base64.b64encode(hashlib.md5(plain, usedforsecurity=False).digest()).decode()
    if len(plain) != upload.content_length:
        upload.problem = (
            "Document failed to meet content length restrictions. Please review document uploaded"
        )
    elif upload.content_md5 and md5 != upload.content_md5:
        upload.problem = "Document failed to meet sanity check. Please review document uploaded"
    else:
        upload.problem = None
    upload.sha256 = base64.b64encode(hashlib.sha256(plain).digest()).decode()
    return 200, "stored"
