"""Colours: Okabe–Ito based, colour-blind safe, each mark ≥ 3:1 against white (text ≥ 4.5:1).

Meaning is never carried by colour alone: every coloured mark also has a shape, a dash or a label.
"""

MUNICIPALITY = "#005A87"  # dark blue, 7.4:1
COMPARISON = "#B34700"  # dark vermillion, 5.3:1
EXTRA = ["#6A3D9A", "#00785A", "#8C6D00", "#A4457A", "#4D4D4D", "#0072B2", "#7A5230", "#3F7F00"]
GIRLS = "#A4457A"  # reddish purple, 5.9:1
BOYS = "#00785A"  # bluish green, 5.4:1
BETTER = "#0072B2"
WORSE = "#C04E00"
SIMILAR = "#6B6B6B"
# Local notes on a trend chart (a dark violet, apart from the series colours and the series-break grey).
NOTE = "#5B2A86"
# The strategy's baseline and start year on a trend chart (near-black, apart from notes and series breaks).
MILESTONE = "#27313B"
CHANGED = "#1B1B1B"  # the ring around a new or revised value ("Nytt sedan …")
NO_TEST = "#FFFFFF"
SUPPRESSED_FILL = [190, 190, 190, 255]
MISSING_FILL = [255, 255, 255, 255]
OUTLINE = [60, 60, 60, 255]
# Sequential, colour-blind safe (viridis, 5 classes), light to dark.
SEQUENTIAL = ["#FDE725", "#5EC962", "#21918C", "#3B528B", "#440154"]


def hex_to_rgba(hex_colour: str, alpha: int = 255) -> list[int]:
    h = hex_colour.lstrip("#")
    return [int(h[i:i + 2], 16) for i in (0, 2, 4)] + [alpha]
