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

import collections
import os
import sys
import threading

from .errors import InputError, StorageError

# The largest input forecasts reads: an import file (a million forecasts of JSON Lines is about
# 300 MB), and an article or a drafts file. A larger file, or an endless stream such as
# /dev/zero, is refused once this much is read, so memory stays bounded.
MAX_IMPORT_BYTES = 1 << 30
MAX_ARTICLE_BYTES = 64 << 20
READ_CHUNK = 1 << 20

SQLITE_HEADER = b"SQLite format 3\x00"
WAL_HEADERS = (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83")


# The database files this process has a Store open on, by (device, inode), with how many: closing
# any descriptor of a file drops every POSIX lock the process holds on it, SQLite's included, so
# a file open here is never opened again with open() (Store.open's header check skips it).
_OPEN_DATABASES = collections.Counter()
_OPEN_LOCK = threading.Lock()


def _file_key(path):
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def open_here(path) -> bool:
    """Whether a Store of this process has the database file ``path`` open."""
    key = _file_key(path)
    with _OPEN_LOCK:
        return key is not None and _OPEN_DATABASES[key] > 0


def note_open(path):
    """Count a Store open on ``path``; returns the key to give ``note_closed``."""
    key = _file_key(path) if path != ":memory:" else None
    if key:
        with _OPEN_LOCK:
            _OPEN_DATABASES[key] += 1
    return key


def note_closed(key) -> None:
    if key:
        with _OPEN_LOCK:
            _OPEN_DATABASES[key] -= 1
            if _OPEN_DATABASES[key] <= 0:
                del _OPEN_DATABASES[key]


def _same_file(a, b):
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _looks_like_sqlite(path):
    if not os.path.isfile(path):  # opening a named pipe to look would wait for a writer
        return False
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


def _size_words(n):
    return f"{n >> 30} GB" if n >= 1 << 30 else f"{n >> 20} MB" if n >= 1 << 20 else f"{n} bytes"


def read_input(path, what: str, limit: int = MAX_IMPORT_BYTES, text: bool = True,
               error=InputError) -> bytes:
    """The bytes of ``path`` ("-" is standard input), read in chunks and refused with one line
    (as ``error``) past ``limit`` bytes; with ``text``, a NUL byte means it is not a text file
    (so /dev/zero is refused at its first chunk).

    >>> read_input("/dev/zero", "an import file")
    Traceback (most recent call last):
    forecasts.errors.InputError: /dev/zero holds NUL bytes: it is not a text file, so not an import file
    """  # noqa: E501
    return b"".join(checked_chunks(path, what, limit, text, error))


def checked_chunks(path, what: str, limit: int = MAX_IMPORT_BYTES, text: bool = True,
                   error=InputError):
    """The bytes of ``path`` ("-" is standard input) a chunk at a time, checked as
    ``read_input`` checks them: a folder, an unreadable file, more than ``limit`` bytes and
    (with ``text``) a NUL byte are each refused with one line, as ``error``."""
    name = "standard input" if path == "-" else os.fspath(path)
    size = 0
    try:
        stream = sys.stdin.buffer if path == "-" else open(path, "rb")
    except IsADirectoryError:
        raise error(f"{name} is a folder, not {what}") from None
    except OSError as problem:
        raise error(f"cannot read {name}: {problem.strerror}") from None
    try:
        if path != "-" and os.path.isfile(path) and os.path.getsize(path) > limit:
            raise error(f"{name} is larger than {_size_words(limit)}, the most forecasts reads as"
                        f" {what}")
        while True:
            try:
                chunk = stream.read(min(READ_CHUNK, limit + 1 - size))
            except IsADirectoryError:
                raise error(f"{name} is a folder, not {what}") from None
            except OSError as problem:
                raise error(f"cannot read {name}: {problem.strerror}") from None
            if not chunk:
                return
            if text and b"\x00" in chunk:
                raise error(f"{name} holds NUL bytes: it is not a text file, so not {what}")
            size += len(chunk)
            if size > limit:
                raise error(f"{name} is larger than {_size_words(limit)}, the most forecasts"
                            f" reads as {what}")
            yield chunk
    finally:
        if path != "-":
            stream.close()


def decode_text(data: bytes, name: str, what: str, error=InputError) -> str:
    """UTF-8 ``data`` as text (a byte-order mark dropped), or one line saying it is not."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        raise _not_utf8(name, what, problem, 0, error) from None


def read_input_text(path, what: str, limit: int = MAX_IMPORT_BYTES, error=InputError) -> str:
    """The UTF-8 text of ``path`` ("-" is standard input), bounded as :func:`read_input`."""
    name = "standard input" if path == "-" else os.fspath(path)
    return decode_text(read_input(path, what, limit, error=error), name, what, error)


def split_lines(text):
    r"""Split text on newlines only (a quote may hold other line separators), each line's final
    carriage return dropped.

    >>> split_lines('{"a": "x\u2028y"}\r\n{"b": 1}\n')
    ['{"a": "x\u2028y"}', '{"b": 1}']
    """
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def input_lines(path, what: str, limit: int = MAX_IMPORT_BYTES, error=InputError):
    r"""``(count, lines)``: how many lines the UTF-8 text file ``path`` has, and an iterator over
    them as ``split_lines`` splits them (a byte-order mark dropped).

    The file is checked first, as ``read_input_text`` checks it (its size, NUL bytes, UTF-8), in
    one pass that keeps nothing; the lines are then read a chunk at a time, so a file of a million
    records is never in memory whole. What cannot be read twice is read once, into memory:
    standard input ("-"), and a pipe or device given by path (``<(command)``, a named pipe).

    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile("wb", suffix=".jsonl", delete=False) as f:
    ...     _ = f.write(b'\xef\xbb\xbf{"a": 1}\r\n{"b": 2}')
    >>> count, lines = input_lines(f.name, "an import file")
    >>> count, list(lines)
    (2, ['{"a": 1}', '{"b": 2}'])
    """
    if path == "-" or (os.path.exists(path) and not os.path.isdir(path)
                       and not os.path.isfile(path)):
        lines = split_lines(read_input_text(path, what, limit, error))
        return len(lines), iter(lines)
    name = os.fspath(path)
    count, bom = _check_text_file(path, name, what, limit, error)
    return count, _read_lines(path, name, what, limit, bom, error)


def _check_text_file(path, name, what, limit, error):
    """The number of lines of ``path``, and whether it opens with a byte-order mark, once it is
    checked as ``read_input_text`` checks a file (each problem refused with one line, as
    ``error``), keeping nothing."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    newlines, size, last, bom = 0, 0, b"", False
    for chunk in checked_chunks(path, what, limit, error=error):
        if not size:
            bom = chunk.startswith(codecs.BOM_UTF8)
        pending = len(decoder.getstate()[0])
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as problem:
            raise _not_utf8(name, what, problem, size - pending, error) from None
        newlines += chunk.count(b"\n")
        size += len(chunk)
        last = chunk[-1:]
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as problem:
        raise _not_utf8(name, what, problem, size - len(problem.object), error) from None
    if size == 3 and bom:
        return 0, bom
    return newlines + (last not in (b"", b"\n")), bom


def _not_utf8(name, what, problem, offset, error):
    """The error for text that is not UTF-8, ``problem`` found ``offset`` bytes into it."""
    return error(f"{name} is not UTF-8 text ({problem.reason} at byte {offset + problem.start}),"
                 f" so not {what}")


def _read_lines(path, name, what, limit, bom, error):
    """The lines of a file ``_check_text_file`` has checked, a chunk at a time (each chunk's
    whole lines decoded together)."""
    rest = b""
    for chunk in checked_chunks(path, what, limit, error=error):
        data = rest + chunk
        if bom:  # the first chunk's byte-order mark
            data, bom = data[3:], False
        cut = data.rfind(b"\n") + 1
        rest = data[cut:]
        if cut:
            yield from split_lines(_decoded(data[:cut], name, what, error))
    if rest:
        yield from split_lines(_decoded(rest, name, what, error))


def _decoded(data, name, what, error):
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:  # the file changed since it was checked
        raise error(f"{name} is no longer UTF-8 text, so not {what}") from None


def bounded_int(digits: str) -> int:
    """An integer of JSON text, refused past 30 digits (``json.loads(..., parse_int=...)``):
    Python would spend time on, or refuse with a traceback, a number no field needs.

    >>> bounded_int("42")
    42
    >>> bounded_int("9" * 5000)
    Traceback (most recent call last):
    ValueError: a number with 5000 digits is longer than any value forecasts reads
    """
    if len(digits) > 31:
        raise ValueError(f"a number with {len(digits.lstrip('-'))} digits is longer than any"
                         " value forecasts reads")
    return int(digits)


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


def _write_through(path, write, error, text):
    """``write(file)`` straight into ``path``, a device or a pipe."""
    try:
        with (open(path, "w", encoding="utf-8", newline="") if text else
              open(path, "wb")) as opened:
            return write(opened)
    except OSError as problem:
        raise error(f"cannot write {path}: {problem.strerror}") from None


def write_atomically(path, write, *, database=None, error=StorageError, text=False):
    """Write ``path`` through ``write(file)``: into a temporary file beside it, then renamed into
    place, so that a failure never leaves half a file or a stray temporary one. The file gets the
    permissions a new file gets (a temporary file is private; an output is not). ``database`` is
    refused as the target (see :func:`check_not_database`); OS errors become ``error``. Returns
    what ``write`` returns.

    A symbolic link keeps pointing where it did: the file it points to is the one replaced. A
    device or a pipe (``/dev/stdout``, a named pipe) cannot be replaced, and is written to
    directly, as a shell's ``>`` would."""
    path = os.fspath(path)
    check_not_database(path, database)
    if os.path.exists(path) and not os.path.isfile(path) and not os.path.isdir(path):
        return _write_through(path, write, error, text)
    if os.path.islink(path):
        path = os.path.realpath(path)
        check_not_database(path, database)
    check_writable_folder(path, error)
    folder = os.path.dirname(os.path.abspath(path))
    import tempfile  # here: the reports, which write no file, need not load it (3 ms)

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
