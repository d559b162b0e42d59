"""Draws the POS app icons (static/pos/icons/*.png) with Pillow: the Karya mark of
static/img/karya-mark.svg with "POS" under it. Run once after changing the design:

    .venv/bin/python scripts/pos_icons.py

The PNGs are committed, so neither the server nor the build needs to draw them.
"""

import sys
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere: find the project's packages

from shop.apps.core.imaging import font  # noqa: E402

INDIGO = "#1f3a5f"  # --karya-indigo in static/css/karya.css
CREAM = "#f4ead5"
# The "K" of static/img/karya-mark.svg, in its 64×64 box.
K_MARK = [(20, 14), (27, 14), (27, 29), (40, 14), (49, 14), (35, 30), (50, 50), (41, 50),
          (30, 35), (27, 38), (27, 50), (20, 50)]  # fmt: skip
OUT = ROOT / "static" / "pos" / "icons"


def draw_icon(size: int, *, maskable: bool) -> Image.Image:
    # A maskable icon is cropped to a circle by some launchers: fill the whole square
    # and keep the mark inside the central 80 % "safe zone".
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        draw.rectangle((0, 0, size, size), fill=INDIGO)
        box, offset = size * 0.62, size * 0.15
    else:
        draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=size * 14 / 64, fill=INDIGO)
        box, offset = size * 0.86, size * 0.03
    scale = box / 64
    left = (size - box) / 2
    draw.polygon([(left + x * scale, offset + y * scale) for x, y in K_MARK], fill=CREAM)
    label_font = font(int(size * (0.14 if maskable else 0.17)))
    label_top = offset + 53 * scale
    draw.text((size / 2, label_top), "POS", font=label_font, fill=CREAM, anchor="mt")
    return image


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    draw_icon(192, maskable=False).save(OUT / "icon-192.png", optimize=True)
    draw_icon(512, maskable=False).save(OUT / "icon-512.png", optimize=True)
    draw_icon(512, maskable=True).save(OUT / "icon-maskable-512.png", optimize=True)


if __name__ == "__main__":
    main()
