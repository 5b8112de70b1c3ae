"""Renditions: the resized and cropped copies of a stored original, made once and reused.

Each image field keeps a manifest (a JSON column next to it) of the renditions it owns:

    {"source": "articles/2026/11/3f2a.jpg", "bytes": 812345,
     "renditions": [{"key": "640w", "group": "scaled", "width": 640, "height": 360,
                     "webp": "renditions/articles/2026/11/3f2a/640w.webp",
                     "jpeg": "renditions/articles/2026/11/3f2a/640w.jpg"}, ...]}

Pages build `<picture>` markup, and feeds their enclosures (`bytes` is the original's
length), from the manifest alone: no query, no file access.
A rendition's key names its size and, for crops, the focal point, so moving the focal
point makes new crops and leaves the widths alone.
"""

import io
import math
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image

from newsroom.images.uploads import flatten

SCALED = "scaled"
WEBP_QUALITY = 80
JPEG_QUALITY = 82


@dataclass(frozen=True)
class Spec:
    """What to make from one kind of image."""

    min_size_setting: str
    widths: tuple[int, ...] = ()
    # Named groups of fixed-size crops, steered by the focal point.
    crops: dict[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)

    @property
    def min_size(self):
        return getattr(settings, self.min_size_setting)

    def plan(self, size, focus):
        """The renditions an original of `size` (width, height) gets, never upscaled."""
        width, height = size
        planned = [
            Planned(f"{w}w", SCALED, (0, 0, width, height), (w, max(1, round(height * w / width))))
            for w in sorted({min(w, width) for w in self.widths})
        ]
        for group, sizes in self.crops.items():
            outputs = set()
            for crop_width, crop_height in sizes:
                box = focal_box(size, crop_width / crop_height, focus)
                box_width = box[2] - box[0]
                scale = min(1, crop_width / box_width)
                out = (max(1, round(box_width * scale)), max(1, round((box[3] - box[1]) * scale)))
                if out in outputs:
                    continue  # a small original: larger crops would repeat this one
                outputs.add(out)
                key = f"{group}-{crop_width}x{crop_height}-f{focus[0]}-{focus[1]}"
                planned.append(Planned(key, group, box, out))
        return planned


@dataclass(frozen=True)
class Planned:
    key: str
    group: str
    box: tuple[int, int, int, int]
    size: tuple[int, int]


SPECS = {
    # One library image may be a lead image, a figure and an author photo at once.
    "library": Spec(
        min_size_setting="NEWSROOM_IMAGE_MIN_SIZE",
        widths=(320, 640, 960, 1280, 1920),
        crops={
            # Teasers in lists show a 3:2 thumbnail, 160 or 240 CSS pixels wide.
            "teaser": ((240, 160), (480, 320)),
            # Author photos.
            "square": ((160, 160), (320, 320), (640, 640)),
            "social": ((1200, 630),),
        },
    ),
}


def focal_box(size, ratio, focus):
    """The largest box of aspect `ratio` inside `size`, centred as near the focal point
    (percentages from the top left) as the edges allow."""
    width, height = size
    if width / height > ratio:
        box_width, box_height = round(height * ratio), height
    else:
        box_width, box_height = width, round(width / ratio)
    centre_x, centre_y = width * focus[0] / 100, height * focus[1] / 100
    left = min(max(0, round(centre_x - box_width / 2)), width - box_width)
    top = min(max(0, round(centre_y - box_height / 2)), height - box_height)
    return (left, top, left + box_width, top + box_height)


def reusable(field_file, previous, *, verify=False):
    """The renditions of `previous` (a manifest) that still fit `field_file`, by key;
    with `verify`, only those whose files are still in storage."""
    if not previous or previous.get("source") != field_file.name:
        return {}
    made = {entry["key"]: entry for entry in previous.get("renditions", [])}
    if verify:
        storage = field_file.storage
        made = {
            key: entry
            for key, entry in made.items()
            if storage.exists(entry["webp"]) and storage.exists(entry["jpeg"])
        }
    return made


def plan_for(field_file):
    """The renditions of `field_file`, whose size its row must know (`store_dimensions`)."""
    size = field_file.original_size
    if not all(size):
        raise ValueError(f"{field_file.name}: the original's size is unknown (file unreadable)")
    return field_file.field.spec.plan(size, field_file.focus)


def missing(field_file, previous, *, verify=False):
    """The keys of the renditions `build` would make."""
    made = reusable(field_file, previous, verify=verify)
    return [planned.key for planned in plan_for(field_file) if planned.key not in made]


def build(field_file, previous=None, *, reuse=True, verify=False):
    """The manifest for `field_file`, making only the renditions not already made.

    `previous` is the current manifest: its renditions of the same original are reused
    unless `reuse` is off (see `reusable` for `verify`).
    """
    storage = field_file.storage
    made = reusable(field_file, previous, verify=verify) if reuse else {}
    plan = plan_for(field_file)
    missing = [planned for planned in plan if planned.key not in made]
    if missing:
        folder = PurePosixPath("renditions") / PurePosixPath(field_file.name).with_suffix("")
        with field_file.open("rb") as source, Image.open(source) as original:
            size = original.size
            # A JPEG is decoded at 1/2, 1/4 or 1/8 scale when the renditions need no more.
            scale = max(p.size[0] / (p.box[2] - p.box[0]) for p in missing)
            original.draft(None, (math.ceil(size[0] * scale), math.ceil(size[1] * scale)))
            original.load()
            mode = "RGBA" if "A" in original.getbands() else "RGB"
            pixels = original if original.mode == mode else original.convert(mode)
            # Boxes are planned on the stored size; the decoded one may be smaller.
            ratio = pixels.width / size[0]
            for planned in missing:
                made[planned.key] = render(storage, pixels, planned, folder, ratio)
    known = previous and previous.get("source") == field_file.name and previous.get("bytes")
    return {
        "source": field_file.name,
        "bytes": known or storage.size(field_file.name),
        "renditions": [made[planned.key] for planned in plan],
    }


def render(storage, pixels, planned, folder, ratio=1):
    box = tuple(edge * ratio for edge in planned.box)
    # reducing_gap: large reductions first average whole blocks, then resample (much faster).
    image = pixels.resize(planned.size, Image.Resampling.LANCZOS, box=box, reducing_gap=3.0)
    entry = {
        "key": planned.key,
        "group": planned.group,
        "width": planned.size[0],
        "height": planned.size[1],
    }
    for kind, extension, data in [
        ("webp", "webp", encoded(image, "WEBP", quality=WEBP_QUALITY, method=4)),
        ("jpeg", "jpg", encoded(flatten(image), "JPEG", quality=JPEG_QUALITY, progressive=True)),
    ]:
        name = str(folder / f"{planned.key}.{extension}")
        # Rebuilding writes the same names again: replace, never add a suffixed copy.
        storage.delete(name)
        entry[kind] = storage.save(name, ContentFile(data))
    return entry


def encoded(image, format_name, **options):
    buffer = io.BytesIO()
    image.save(buffer, format_name, **options)
    return buffer.getvalue()


def files_of(manifest):
    """Every stored name a manifest owns, the original included."""
    if not manifest or not manifest.get("source"):
        return set()
    names = {manifest["source"]}
    for entry in manifest.get("renditions", []):
        names.update((entry["webp"], entry["jpeg"]))
    return names


def delete_files(storage, names):
    for name in sorted(names):
        storage.delete(name)


@dataclass(frozen=True)
class Source:
    width: int
    height: int
    webp_url: str
    jpeg_url: str


class Picture:
    """What a template needs to draw one image: `srcset`s, a fallback `src` and a size.

    Built from one group of a manifest. An original without renditions (stored before
    they existed, until `rebuild_renditions` runs) is served as it is if its size is known;
    one whose file could not be read when it was stored is not shown (`of` gives None).
    """

    def __init__(self, sources, src, width, height):
        self.sources = sources
        self.src = src
        self.width = width
        self.height = height

    @classmethod
    def of(cls, field_file, group):
        manifest = field_file.manifest
        entries = []
        if manifest and manifest.get("source") == field_file.name:
            entries = [entry for entry in manifest["renditions"] if entry["group"] == group]
        if not entries:
            if not all(field_file.original_size):
                return None
            return cls([], field_file.url, *field_file.original_size)
        url = field_file.storage.url
        sources = sorted(
            (
                Source(entry["width"], entry["height"], url(entry["webp"]), url(entry["jpeg"]))
                for entry in entries
            ),
            key=lambda source: source.width,
        )
        largest = sources[-1]
        return cls(sources, largest.jpeg_url, largest.width, largest.height)

    def at_least(self, width):
        """The smallest source at least `width` wide (else the largest), for previews."""
        wide_enough = [source for source in self.sources if source.width >= width]
        return (wide_enough or self.sources)[0] if self.sources else None

    @property
    def webp_srcset(self):
        return ", ".join(f"{source.webp_url} {source.width}w" for source in self.sources)

    @property
    def jpeg_srcset(self):
        return ", ".join(f"{source.jpeg_url} {source.width}w" for source in self.sources)
