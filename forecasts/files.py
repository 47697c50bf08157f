"""Writing output files safely: whole or not at all, and never over a database.

Every file forecasts writes (an export, a report, a chart, a drafts file, a backup) goes through
:func:`write_atomically`: the content is written to a temporary file beside the target and renamed
into place, so a failure or a kill leaves the old file (or none), never half a file. A target
that is the database (or its -wal/-shm files, through any symlink or hard link), or any SQLite
database, is refused before anything is written.

Example::

    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = write_atomically(folder / "out.txt", lambda f: f.write(b"hello"))
    >>> (folder / "out.txt").read_bytes()
    b'hello'
    >>> sorted(p.name for p in folder.iterdir())
    ['out.txt']
"""

import os
import tempfile

from .errors import InputError, StorageError

SQLITE_HEADER = b"SQLite format 3\x00"
WAL_HEADERS = (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83")


def _same_file(a, b):
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _looks_like_sqlite(path):
    try:
        with open(path, "rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except OSError:
        return False
    return head == SQLITE_HEADER or head[:4] in WAL_HEADERS


def check_not_database(path, database=None):
    """Refuse ``path`` as an output file when it is ``database`` or one of its -wal/-shm files
    (however it is reached: a symlink, a hard link), or any SQLite database or journal.

    >>> check_not_database("report.html", "predictions.db")
    >>> check_not_database("predictions.db", "predictions.db")
    Traceback (most recent call last):
    forecasts.errors.InputError: predictions.db is the database: write the output to another file
    """
    path = os.fspath(path)
    if database and database != ":memory:":
        database = os.fspath(database)
        for part in (database, database + "-wal", database + "-shm"):
            same = _same_file(path, part) if os.path.exists(path) else (
                os.path.realpath(path) == os.path.realpath(part))
            if same:
                raise InputError(f"{path} is the database{'' if part == database else ' journal'}"
                                 ": write the output to another file")
    if _looks_like_sqlite(path):
        raise InputError(f"{path} is an SQLite database: forecasts does not write over one;"
                         " write the output to another file")


def check_writable_folder(path, error=StorageError):
    """Refuse ``path`` when it is a folder or its folder does not exist."""
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise error(f"cannot write {path}: it is a folder")
    if not os.path.isdir(folder):
        raise error(f"cannot write {path}: folder {folder} does not exist")


def _remove(path):
    try:
        os.remove(path)
    except OSError:
        pass


def write_atomically(path, write, *, database=None, error=StorageError, text=False):
    """Write ``path`` through ``write(file)``: into a temporary file beside it, then renamed into
    place, so that a failure never leaves half a file or a stray temporary one. The file gets the
    permissions a new file gets (a temporary file is private; an output is not). ``database`` is
    refused as the target (see :func:`check_not_database`); OS errors become ``error``. Returns
    what ``write`` returns."""
    path = os.fspath(path)
    check_not_database(path, database)
    check_writable_folder(path, error)
    folder = os.path.dirname(os.path.abspath(path))
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".forecasts-",
                                             suffix=os.path.splitext(path)[1])
    except OSError as problem:
        raise error(f"cannot write {path}: {problem.strerror}") from None
    try:
        opened = (os.fdopen(handle, "w", encoding="utf-8", newline="") if text
                  else os.fdopen(handle, "wb"))
        with opened as f:
            result = write(f)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except OSError as problem:
        _remove(temporary)
        raise error(f"cannot write {path}: {problem.strerror}") from None
    except BaseException:
        _remove(temporary)
        raise
    return result
