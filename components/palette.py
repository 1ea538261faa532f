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
# Map classes by the indicator's polarity (issue #30): from the worse end to the better end, orange to blue
# like WORSE/BETTER (an orange–blue diverging scale stays apart for every kind of colour blindness; both ends
# dark, the middle light). A neutral indicator gets one hue, light (low) to dark (high): no end is better.
WORSE_TO_BETTER = ["#B35806", "#F1A340", "#EFE9DF", "#8CB8DC", "#1F5F9E"]
NEUTRAL_SCALE = ["#EFEDF5", "#CBC9E2", "#9E9AC8", "#756BB1", "#54278F"]
# Peers beside the chosen municipality in Jämför → Utveckling: grey tones, each ≥ 3:1 against white (their
# lines differ by dash and point shape too, and are named in the legend and tooltip).
PEERS = ["#5E5E5E", "#7A7A7A", "#4A4A4A", "#8A8A8A"]
CHOSEN_OUTLINE = [0, 0, 0, 255]  # the chosen municipality or district on a map
PEER_OUTLINE = [27, 27, 27, 255]  # its comparison municipalities (a thinner line)


def hex_to_rgba(hex_colour: str, alpha: int = 255) -> list[int]:
    h = hex_colour.lstrip("#")
    return [int(h[i:i + 2], 16) for i in (0, 2, 4)] + [alpha]
