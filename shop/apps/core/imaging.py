"""Small Pillow helpers shared by drawn images (demo pictures, batch labels)."""

from functools import lru_cache

from PIL import ImageFont

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
