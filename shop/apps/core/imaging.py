"""Pillow helpers: the one check every uploaded image passes, and small helpers shared by
drawn images (demo pictures, batch labels)."""

import warnings
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageFont, UnidentifiedImageError

# A product photo from any phone is below 20 megapixels; 40 leaves room and keeps one decode
# (and every thumbnail made from it) within about 160 MB and a second.
MAX_IMAGE_PIXELS = 40_000_000
# What browsers show everywhere. Pillow is asked to open only these, so a file is judged by
# its content, never by its name: a text file called .png, an SVG, a PSD or a TIFF is refused.
UPLOAD_IMAGE_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")


def image_upload_check(file) -> None:
    """Refuse anything but a real JPEG, PNG, WebP or GIF of at most MAX_IMAGE_PIXELS
    (all frames of an animation together), decoded by Pillow. Raises ValidationError with
    a message the uploader can act on; leaves the file at its start.

    Used as a validator by every upload path: all ImageFields of all models
    (``image_fields_checked``, so Oscar's dashboard, Django's admin and Wagtail's image
    forms), and the plain form fields that take images (the POS QRIS image)."""
    if file is None:
        return
    if isinstance(file, models.fields.files.FieldFile):
        if getattr(file, "_committed", True):
            return  # already stored: it was checked when it was uploaded
        file = file.file
    start = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        with warnings.catch_warnings():
            # Pillow warns above its own limit (about 89 megapixels) and only fails at twice
            # that; ours is lower and is checked below from the header, before any decoding.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(file, formats=UPLOAD_IMAGE_FORMATS) as image:
                width, height = image.size
                frames = getattr(image, "n_frames", 1)
                _refuse_too_many_pixels(width * height * frames)
                image.load()
                for frame in range(1, frames):
                    image.seek(frame)
                    image.load()
    except Image.DecompressionBombError as exc:
        raise ValidationError(
            _(
                "This image has far too many pixels to be opened safely. Images may have "
                "at most %(limit)d megapixels."
            ),
            code="image_too_many_pixels",
            params={"limit": MAX_IMAGE_PIXELS // 1_000_000},
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ValidationError(
            _("This file is not a JPEG, PNG, WebP or GIF image, or it is damaged."),
            code="image_invalid",
        ) from exc
    finally:
        file.seek(start)


def _refuse_too_many_pixels(pixels: int) -> None:
    if pixels > MAX_IMAGE_PIXELS:
        raise ValidationError(
            _(
                "This image has %(pixels)d megapixels; at most %(limit)d are accepted. "
                "Please make it smaller and upload it again."
            ),
            code="image_too_many_pixels",
            params={"pixels": round(pixels / 1_000_000), "limit": MAX_IMAGE_PIXELS // 1_000_000},
        )


def image_fields_checked(models_to_check) -> None:
    """Add image_upload_check to every ImageField of the given models, at start-up: model
    forms run it when they validate the instance (Oscar's dashboard, Django's admin,
    Wagtail's image form). Added to the bound field's validators, not to its definition, so
    migrations do not change."""
    for model in models_to_check:
        for field in model._meta.get_fields():
            if isinstance(field, models.ImageField) and image_upload_check not in (
                field.validators
            ):
                field.validators.append(image_upload_check)


FONT_FILES = {
    True: ("DejaVuSans-Bold.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    False: ("DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
}


@lru_cache(maxsize=32)
def font(size: int, bold: bool = True):
    """DejaVu when the machine has it, else Pillow's own scalable font."""
    for name in FONT_FILES[bold]:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def wrap(draw, text: str, *, font, max_width: int) -> list[str]:
    """Split text into lines no wider than max_width (a long word keeps its own line)."""
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if draw.textlength(candidate, font=font) <= max_width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines
