"""Private file storage: outside the web root, files are served only through permission-checked views."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import LazyObject


class PrivateFileSystemStorage(FileSystemStorage):
    """Has no public URL at all, so no template can link a private file by mistake."""

    def url(self, name):
        raise ValueError("Private files have no public URL; serve them through a permission-checked view.")


class _PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = PrivateFileSystemStorage(location=settings.PRIVATE_STORAGE_ROOT)


private_storage = _PrivateStorage()


def get_private_storage():
    """Callable for FileField(storage=...) so migrations do not freeze the path."""
    return private_storage
