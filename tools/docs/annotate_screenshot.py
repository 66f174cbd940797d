#!/usr/bin/python3
"""Numbers the parts of a window screenshot for the user guide: red discs with white numbers.

usage: annotate_screenshot.py IN.png OUT.png X,Y [X,Y ...]   (the discs are numbered 1, 2, ... in order)
"""
import sys

from PIL import Image, ImageDraw, ImageFont

RADIUS = 14
RED = (200, 24, 40)


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    image = Image.open(argv[1]).convert("RGB")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 17)
    for number, spec in enumerate(argv[3:], start=1):
        x, y = (int(v) for v in spec.split(","))
        draw.ellipse((x - RADIUS, y - RADIUS, x + RADIUS, y + RADIUS), fill=RED, outline=(255, 255, 255), width=2)
        draw.text((x, y), str(number), fill=(255, 255, 255), font=font, anchor="mm")
    image.save(argv[2])


if __name__ == "__main__":
    main(sys.argv)
