"""Private file storage: outside the web root, files are served only through permission-checked views."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.utils.functional import LazyObject


class PrivateFileSystemStorage(FileSystemStorage):
    """Has no public URL at all, so no template can link a private file by mistake."""

    def url(self, name):
        raise ValueError("Private files have no public URL; serve them through a permission-checked view.")


def _private_s3_storage():
    from storages.backends.s3 import S3Storage  # noqa: PLC0415 — boto3 is loaded only when S3 is configured

    class PrivateS3Storage(S3Storage):
        """The private bucket: no public URL either; files go out only through the permission-checked views."""

        def url(self, name, parameters=None, expire=None, http_method=None):
            raise ValueError("Private files have no public URL; serve them through a permission-checked view.")

    return PrivateS3Storage(**settings.OCOP_S3_PRIVATE_OPTIONS)


class _PrivateStorage(LazyObject):
    def _setup(self):
        if settings.OCOP_FILE_STORAGE == "s3":
            self._wrapped = _private_s3_storage()
        else:
            self._wrapped = PrivateFileSystemStorage(location=settings.PRIVATE_STORAGE_ROOT)


private_storage = _PrivateStorage()


def get_private_storage():
    """Callable for FileField(storage=...) so migrations do not freeze the path."""
    return private_storage


def delete_file_on_commit(field_file):
    """Delete ``field_file``'s stored file once the surrounding transaction commits, never before.

    A rollback leaves the row and its file in place. A storage failure after the commit is logged (robust), not
    raised: the row is already gone, and an orphaned file is better than an error page for a completed removal.
    """
    if not field_file:
        return
    storage, name = field_file.storage, field_file.name
    transaction.on_commit(lambda: storage.delete(name), robust=True)
