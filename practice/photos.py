"""Profile photos: what an upload must be, how it is cleaned, and the links that open it.

An upload is accepted only when Pillow recognises it, from its bytes, as JPEG, PNG or WebP
(the file name and the declared content type are ignored). Its dimensions are read from the
header and checked against ``PROFILE_PHOTO_MAX_PIXELS`` before a single pixel is decoded, so a
small file declaring a huge image (a decompression bomb) costs nothing. The first frame is then
decoded, turned upright (EXIF orientation), shrunk to ``PROFILE_PHOTO_MAX_DIMENSION`` and
encoded anew in the same format: EXIF (GPS, camera, time), ICC, XMP, text chunks and anything
appended to the file (a polyglot's ZIP or HTML) are not carried over.

An ``<img>`` tag sends no bearer token, so ``profile_photo_url`` carries a signed link: the
user, their current photo and an expiry time, signed with the secret key. A new or removed
photo invalidates every earlier link. Links are issued only in responses to members of the
photo owner's practice."""

import io
import time
import warnings
from dataclasses import dataclass
from typing import IO
from uuid import UUID

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import ErrorCode, PayloadTooLargeError, PhotoError, ValidationFailed

FIELD = "photo"


@dataclass(frozen=True)
class PhotoFormat:
    pillow_format: str
    content_type: str
    extension: str
    save_options: dict


#: Accepted formats, by the name Pillow identifies them with; a multi-picture JPEG (MPO, as
#: phones write) is kept as a plain JPEG.
FORMATS = {
    "JPEG": PhotoFormat("JPEG", "image/jpeg", ".jpg", {"quality": 85, "optimize": True}),
    "PNG": PhotoFormat("PNG", "image/png", ".png", {"optimize": True}),
    "WEBP": PhotoFormat("WEBP", "image/webp", ".webp", {"quality": 85, "method": 4}),
}
FORMATS["MPO"] = FORMATS["JPEG"]
#: The only decoders Pillow may try (the MPO reader is the JPEG decoder's).
OPENED_FORMATS = ["JPEG", "PNG", "WEBP"]
CONTENT_TYPES = {photo_format.extension: photo_format.content_type for photo_format in FORMATS.values()}


@dataclass(frozen=True)
class ProcessedPhoto:
    content: bytes
    format: PhotoFormat
    width: int
    height: int


def _unsupported() -> ValidationFailed:
    return ValidationFailed.for_field(
        FIELD, gettext("The photo must be a JPEG, PNG or WebP image."), code=PhotoError.UNSUPPORTED_TYPE
    )


def _unreadable() -> ValidationFailed:
    return ValidationFailed.for_field(FIELD, gettext("The image could not be read."), code=PhotoError.UNREADABLE)


def _too_many_pixels(max_pixels: int) -> ValidationFailed:
    return ValidationFailed.for_field(
        FIELD,
        gettext("The image may have at most %(max_pixels)s pixels (width x height).")
        % {"max_pixels": format(max_pixels, ",")},
        code=PhotoError.TOO_MANY_PIXELS,
    )


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (image.mode == "P" and "transparency" in image.info)


def profile_photo_process(
    upload: IO[bytes],
    *,
    size: int,
    max_bytes: int | None = None,
    max_pixels: int | None = None,
    max_dimension: int | None = None,
) -> ProcessedPhoto:
    """Check and re-encode an uploaded photo of ``size`` bytes (see the module docstring).
    Raises ``ValidationFailed`` (field ``photo``) or ``PayloadTooLargeError``."""
    max_bytes = settings.PROFILE_PHOTO_MAX_BYTES if max_bytes is None else max_bytes
    max_pixels = settings.PROFILE_PHOTO_MAX_PIXELS if max_pixels is None else max_pixels
    max_dimension = settings.PROFILE_PHOTO_MAX_DIMENSION if max_dimension is None else max_dimension
    if size <= 0:
        raise ValidationFailed.for_field(FIELD, gettext("The photo is empty."), code=PhotoError.EMPTY)
    if size > max_bytes:
        message = gettext("The photo may be at most %(value)s MB.") % {"value": max_bytes // (1024 * 1024)}
        raise PayloadTooLargeError(ErrorCode.PAYLOAD_TOO_LARGE, message, errors=[{"field": FIELD, "message": message}])
    upload.seek(0)
    with warnings.catch_warnings():
        # Pillow's own bomb guard warns (and, far above our limit, raises) on open.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(upload, formats=OPENED_FORMATS)
        except Image.DecompressionBombError as exc:
            raise _too_many_pixels(max_pixels) from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise _unsupported() from exc
    with image:
        photo_format = FORMATS.get(image.format or "")
        if photo_format is None:
            raise _unsupported()
        width, height = image.size
        if width <= 0 or height <= 0 or width * height > max_pixels:
            raise _too_many_pixels(max_pixels)
        try:
            image.seek(0)  # an animated image keeps its first frame
            image.load()
            image = ImageOps.exif_transpose(image)
            alpha = photo_format.pillow_format != "JPEG" and _has_alpha(image)
            image = image.convert("RGBA" if alpha else "RGB")
        except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as exc:
            raise _unreadable() from exc
        image.thumbnail((max_dimension, max_dimension), Image.Resampling.LANCZOS)
        # Nothing of the original's metadata is written back (exif, icc_profile, xmp, text).
        image.info = {}
        buffer = io.BytesIO()
        image.save(buffer, format=photo_format.pillow_format, **photo_format.save_options)
        return ProcessedPhoto(buffer.getvalue(), photo_format, image.width, image.height)


def photo_content_type(name: str) -> str:
    """The content type of a stored photo, from the extension the upload service gave it."""
    for extension, content_type in CONTENT_TYPES.items():
        if name.endswith(extension):
            return content_type
    return "application/octet-stream"


# --- Links -----------------------------------------------------------------------------------

_signer = signing.Signer(salt="practice.profile-photo-link")


def _link_value(user_id: UUID | str, photo_name: str, expires: int) -> str:
    return f"{user_id}:{photo_name}:{expires}"


def photo_link_expiry(now: float | None = None) -> int:
    """When a link issued now expires: the end of the next whole lifetime window, so a link
    stays the same (and the browser's cached copy usable) for a while, and valid for at least
    ``PROFILE_PHOTO_LINK_LIFETIME`` seconds."""
    lifetime = max(int(settings.PROFILE_PHOTO_LINK_LIFETIME), 1)
    now = time.time() if now is None else now
    return (int(now) // lifetime + 2) * lifetime


def photo_link_signature(*, user_id: UUID | str, photo_name: str, expires: int) -> str:
    return _signer.signature(_link_value(user_id, photo_name, expires))


def photo_link_is_valid(*, user_id: UUID | str, photo_name: str, expires: str | None, signature: str | None) -> bool:
    """Whether ``expires`` and ``signature`` are a link issued for this user's current photo
    that has not expired."""
    if not photo_name or not expires or not signature or not expires.isdigit() or len(expires) > 12:
        return False
    if int(expires) < time.time():
        return False
    expected = photo_link_signature(user_id=user_id, photo_name=photo_name, expires=int(expires))
    return constant_time_compare(expected, signature)
