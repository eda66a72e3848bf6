"""Upload validation shared by every app: the type is decided by the file's content, never by its name."""

import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

# Magic numbers of the only types the portal accepts.
_SIGNATURES = {
    "application/pdf": [b"%PDF-"],
    "image/jpeg": [b"\xff\xd8\xff"],
    "image/png": [b"\x89PNG\r\n\x1a\n"],
}
DOCUMENT_TYPES = ("application/pdf", "image/jpeg", "image/png")
# The one extension for each accepted type: stored and downloaded names take it from the sniffed content,
# never from the uploader's file name (a PDF named "giay-phep.hta" is stored and served as ".pdf").
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
IMAGE_TYPES = ("image/jpeg", "image/png")
# A photo field names only the image types: a PDF is never a photo.
IMAGE_TYPE_ERROR = _("This file is not a genuine JPEG or PNG image. Its content does not match an accepted type.")
TYPE_ERROR = _("This file is not a genuine PDF, JPEG or PNG file. Its content does not match an accepted type.")


def sniff_content_type(uploaded):
    """Return the MIME type read from the first bytes of ``uploaded`` or None."""
    pos = uploaded.tell() if hasattr(uploaded, "tell") else 0
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(pos)
    for content_type, signatures in _SIGNATURES.items():
        if any(head.startswith(sig) for sig in signatures):
            return content_type
    return None


def validate_upload(uploaded, *, allowed=DOCUMENT_TYPES, max_bytes=None):
    """Refuse files that are too large or whose content is not one of ``allowed``. Returns the sniffed type."""
    max_bytes = max_bytes or settings.OCOP_MAX_UPLOAD_BYTES
    if uploaded.size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB."),
            code="too_large",
            params={"size": round(uploaded.size / 1_048_576, 1), "limit": round(max_bytes / 1_048_576, 1)},
        )
    content_type = sniff_content_type(uploaded)
    if content_type not in allowed:
        raise ValidationError(IMAGE_TYPE_ERROR if set(allowed) <= set(IMAGE_TYPES) else TYPE_ERROR, code="bad_type")
    if content_type in IMAGE_TYPES:
        validate_image_pixels(uploaded)
    return content_type


def validate_image_pixels(uploaded, *, max_pixels=None):
    """Refuse a damaged image and a decompression bomb (a small file that unpacks to a huge picture).

    Only the header is read: the pixel count is checked before any pixel is decoded, and Pillow's own bomb
    warning and error are turned into the same clear message.
    """

    max_pixels = max_pixels or settings.OCOP_MAX_IMAGE_PIXELS
    too_large = ValidationError(
        _("The image is too large in pixels (at most %(limit)s megapixels); please resize it first."),
        code="too_many_pixels",
        params={"limit": max_pixels // 1_000_000},
    )
    try:
        uploaded.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(uploaded) as img:
                width, height = img.size
                if width * height > max_pixels:
                    raise too_large
                img.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise too_large from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(_("The image file is damaged or not a real image."), code="bad_image") from exc
    finally:
        uploaded.seek(0)


def extension_for(content_type):
    """The extension for a sniffed content type ("bin" for anything else, which is never served inline)."""
    return EXTENSIONS.get(content_type, "bin")
