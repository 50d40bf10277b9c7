"""Images, audio and video in a raw row: thinkmill generates from text, so the model never sees them.

A row whose question is about its picture ("What is the name of the colony shown?", ScienceQA with its `image`
column, MMMU's `<image 1>`) cannot become a text task: the model would answer without the picture, and an answer
that passes by chance (an MCQ letter, a small number) would train the fine-tune to answer questions about pictures it
was never shown. Ingest quarantines such rows (`needs_image`, `needs_audio`, `needs_video`) unless
`ingest.allow_media` says the prompts do not need them; either way the media's bytes never reach `metadata`.

What counts as media (`media_kind`): Hugging Face's Image/Audio/Video encodings (`{bytes, path}`, audio's
`{array, sampling_rate}`), a PIL image, raw bytes with an image/audio/video signature, a list of those, and in a
column named for media (`image`, `image_path`, `images`, `audio`, `video`, ...) a path or URL with a media file
extension. A prompt with an `<image>` / `<image 1>` placeholder needs an image too.
"""

from __future__ import annotations

import re
from typing import Any

_EXTENSIONS = {
    "image": ("png", "jpg", "jpeg", "gif", "webp", "bmp", "tif", "tiff", "svg"),
    "audio": ("wav", "mp3", "flac", "ogg", "m4a", "opus", "aac"),
    "video": ("mp4", "mov", "avi", "mkv", "webm"),
}
_KIND_OF_EXT = {ext: kind for kind, exts in _EXTENSIONS.items() for ext in exts}
_PATH = re.compile(r"^\S+\.([A-Za-z0-9]{2,5})(?:\?\S*)?$")
# a column named for media: image, images, image_path, img_url, picture, photo, figure, diagram, audio, video, ...
_MEDIA_NAME = re.compile(
    r"(?:^|_)(image|images|img|imgs|picture|pictures|photo|photos|figure|figures|diagram|diagrams|"
    r"audio|audios|speech|sound|video|videos|clip)(?:$|_|\d)",
    re.IGNORECASE,
)
PLACEHOLDER = re.compile(r"<(image|audio|video)(?:[ _]?\d+)?>", re.IGNORECASE)


def _magic(head: bytes) -> str | None:
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM")) or head[8:12] == b"WEBP":
        return "image"
    if head.startswith((b"fLaC", b"OggS", b"ID3", b"\xff\xfb", b"\xff\xf3")) or head[8:12] == b"WAVE":
        return "audio"
    if head[4:8] == b"ftyp" or head[8:12] == b"AVI " or head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video"
    return None


def _ext_kind(path: Any) -> str | None:
    m = _PATH.match(path.strip()) if isinstance(path, str) else None
    return _KIND_OF_EXT.get(m.group(1).lower()) if m else None


def _name_kind(name: str) -> str:
    low = name.lower()
    if any(w in low for w in ("audio", "speech", "sound")):
        return "audio"
    return "video" if any(w in low for w in ("video", "clip")) else "image"


def media_kind(name: str, value: Any) -> str | None:
    """`image`, `audio` or `video` when the column `name` holds media in this row, else None (empty values too)."""
    if value is None or isinstance(value, bool | int | float):
        return None
    if isinstance(value, list | tuple):
        return next((k for v in value if (k := media_kind(name, v)) is not None), None)
    if type(value).__module__.startswith("PIL."):
        return "image"
    if isinstance(value, bytes | bytearray | memoryview):
        return _magic(bytes(value[:16]))
    if isinstance(value, dict):
        if "sampling_rate" in value and value.keys() & {"array", "bytes", "path"}:
            return "audio"
        if {"bytes", "path"} <= value.keys():
            data, path = value.get("bytes"), value.get("path")
            if not data and not path:
                return None
            by_data = _magic(bytes(data[:16])) if isinstance(data, bytes | bytearray) else None
            return by_data or _ext_kind(path) or _name_kind(name)
        return None
    if isinstance(value, str) and _MEDIA_NAME.search(name):
        return _ext_kind(value)
    return None


def is_media_column(name: str) -> bool:
    """Whether a column's name is one media is kept under (`image`, `image_path`, `audio`, ...)."""
    return _MEDIA_NAME.search(name) is not None


def find_media(record: dict[str, Any]) -> tuple[str, str] | None:
    """(column, kind) of the first column of `record` that holds media, or None."""
    for name, value in record.items():
        if value is not None and (kind := media_kind(name, value)) is not None:
            return name, kind
    return None


def media_stub(name: str, value: Any) -> Any:
    """What `metadata` keeps of a media value (`allow_media`): its kind, path and size, never its bytes."""
    if isinstance(value, list | tuple):
        return [media_stub(name, v) for v in value]
    kind = media_kind(name, value)
    if kind is None:
        return value
    if isinstance(value, dict):
        data = value.get("bytes")
        stub: dict[str, Any] = {"media": kind, "path": value.get("path")}
        if isinstance(data, bytes | bytearray):
            stub["bytes"] = len(data)
        return stub
    if isinstance(value, bytes | bytearray | memoryview):
        return {"media": kind, "bytes": len(value)}
    if isinstance(value, str):
        return value  # a path: kept as given
    return {"media": kind}


# OpenAI-style content parts that carry media (the model is sent text alone)
_MEDIA_PARTS = {
    "image_url": "image", "image": "image", "input_image": "image",
    "audio": "audio", "input_audio": "audio", "audio_url": "audio", "video": "video", "video_url": "video",
}  # fmt: skip


def media_part(content: Any) -> tuple[str, str] | None:
    """(kind, part type) of the first media part of a turn's content given as parts, or None."""
    if isinstance(content, list):
        for part in content:
            kind = _MEDIA_PARTS.get(part.get("type")) if isinstance(part, dict) else None
            if kind is not None:
                return kind, part["type"]
    return None
