"""The running release, named in the keys of rendered pages and pickled rows kept in the cache.

A deploy that changes a template, a view or a model must not serve for up to a day what the previous code rendered
(or unpickle rows of a model that has changed). ``OCOP_RELEASE`` names the release where the deploy knows it (the
image's commit); otherwise it is a digest of the source that renders pages: the Python modules and templates of the
project and the static files' manifest. Replicas of the same code share their cache entries; the version keys, the
scan queue and the counters are not named by it, so a deploy keeps them.
"""

import functools
import hashlib
from pathlib import Path

from django.conf import settings

SOURCE_DIRS = ("apps", "templates", "ocop_portal")
SOURCE_SUFFIXES = (".py", ".html", ".txt", ".svg", ".css", ".js")


def source_digest(root: Path, dirs: tuple[str, ...] = SOURCE_DIRS) -> str:
    """A digest of the content of every source file under ``root``'s ``dirs`` (names and bytes, in a fixed order)."""
    digest = hashlib.sha256()
    for folder in dirs:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in SOURCE_SUFFIXES and path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(b"\0")
                digest.update(path.read_bytes())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:12]


@functools.cache
def release() -> str:
    return settings.OCOP_RELEASE or source_digest(Path(settings.BASE_DIR))
