"""Writing files: every file the package writes goes through :func:`atomic_output`.

A file is written whole or not at all. The content goes to a temporary file in the same
folder, with a name no other process can guess (:func:`tempfile.mkstemp`, created with
``O_EXCL``, so a symbolic link planted at some name is never followed), is flushed and
``fsync``-ed, and only then renamed over the target (:func:`os.replace`, atomic on one file
system). Whatever fails on the way (a full disk, a quota, a file-size limit, an exception in
the caller, Ctrl-C) leaves the previous file as it was and removes the temporary file.

Only a process killed outright (``kill -9``, a power cut) can leave a temporary file:
``.NAME.PID.RANDOM.part`` beside the target. The next write of the same target removes
those whose process is no longer running (:func:`remove_stale_parts`).

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_atomic(folder / "a.txt", "text\\n").read_text()
'text\\n'
>>> with atomic_output(folder / "b.csv", newline="") as f:
...     _ = f.write("id,age\\r\\n")
>>> (folder / "b.csv").read_bytes()
b'id,age\\r\\n'
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, cast

from .errors import BSAInputError
from .i18n import _, num

__all__ = ["atomic_output", "write_atomic", "remove_stale_parts", "temporary_prefix"]

_SUFFIX = ".part"


def temporary_prefix(path: Path) -> str:
    """The start of the name of a temporary file for ``path``: ``.NAME.PID.``."""
    return f".{path.name}.{os.getpid()}."


def _process_is_running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # another user's process, or not a pid we can ask about: keep it
    return True


def remove_stale_parts(path: str | os.PathLike) -> list[Path]:
    """Remove the temporary files of writes of ``path`` whose process has died.

    Only files named ``.NAME.PID.RANDOM.part`` for this target's NAME, in its folder,
    whose PID is not a running process, and which are regular files or links (never a
    folder). Returns the files removed.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    pattern = re.compile(re.escape(f".{path.name}.") + r"(\d{1,10})\.[A-Za-z0-9_]+"
                         + re.escape(_SUFFIX) + r"\Z")
    removed: list[Path] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        m = pattern.match(name)
        if m is None or _process_is_running(int(m.group(1))):
            continue
        stale = folder / name
        try:
            if stat.S_ISDIR(os.lstat(stale).st_mode):
                continue
            os.unlink(stale)
            removed.append(stale)
        except OSError:
            pass  # gone already, or not ours to remove
    return removed


def _umask() -> int:
    """The process's umask, read without changing it (os.umask would race other threads)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o077  # unknown: the safest guess, owner only


class _AtomicFile:
    """The temporary file, as the caller writes to it: write errors name the target."""

    def __init__(self, raw: IO, target: str) -> None:
        self._raw = raw
        self._target = target

    def write(self, data: Any) -> int:
        try:
            return self._raw.write(data)
        except OSError as exc:
            raise _write_error(self._target, exc) from None
        except UnicodeEncodeError as exc:
            raise _unicode_error(self._target, exc) from None

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


def _target(path: Path, what: str | None) -> str:
    return _("{what} to {path}").format(what=what, path=path) if what else str(path)


def _unicode_error(target: str, exc: UnicodeEncodeError) -> BSAInputError:
    return BSAInputError(_("cannot write {target}: the text is not valid Unicode ({reason} "
                           "at character {at}); nothing was written").format(
        target=target, reason=exc.reason, at=num(exc.start + 1)))


def _write_error(target: str, exc: OSError) -> BSAInputError:
    reason = exc.strerror or str(exc) or type(exc).__name__
    return BSAInputError(_("cannot write {target}: {reason}; the previous file, if any, is "
                           "unchanged").format(target=target, reason=reason))


@contextmanager
def atomic_output(path: str | os.PathLike, mode: str = "w", *, encoding: str | None = "utf-8",
                  newline: str | None = None, what: str | None = None) -> Iterator[IO]:
    """Open ``path`` for writing, whole or not at all; yields a file object.

    Parameters
    ----------
    path : str or path-like
        The file to write. Its folder must exist.
    mode : {"w", "wb"}, optional
        Text (default) or bytes.
    encoding : str, optional
        For text. Default UTF-8.
    newline : str, optional
        As for :func:`open` (``""`` for the :mod:`csv` module).
    what : str, optional
        What the file is, for error messages: ``"the map"`` gives "cannot write the map to
        PATH: ...".

    Yields
    ------
    file object
        Write the content to it; the target is replaced when the ``with`` block ends
        without an exception.

    Raises
    ------
    BSAInputError
        If the file cannot be written (no such folder, no permission, disk full, ...),
        naming the path and the reason. The previous file, if any, is unchanged and no
        temporary file is left. An exception raised inside the block propagates unchanged,
        after the same clean-up.

    Notes
    -----
    The new file gets the permissions of the file it replaces, or those a new file gets
    (``0o666`` less the umask). A symbolic link at ``path`` is replaced, not followed.
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_output writes with mode 'w' or 'wb', not {mode!r}")
    path = Path(path)
    target = _target(path, what)
    if path.is_dir():
        raise BSAInputError(_("cannot write {target}: {path} is a folder").format(
            target=target, path=path))
    folder = path.parent if str(path.parent) else Path(".")
    remove_stale_parts(path)
    try:
        old = os.stat(path)
        permissions = stat.S_IMODE(old.st_mode) if stat.S_ISREG(old.st_mode) else None
    except OSError:
        permissions = None
    if permissions is None:
        permissions = 0o666 & ~_umask()
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=temporary_prefix(path), suffix=_SUFFIX,
                                        dir=folder)
    except OSError as exc:
        raise _write_error(target, exc) from None
    tmp = Path(tmp_name)
    raw = None
    try:
        try:
            raw = (os.fdopen(fd, "wb") if mode == "wb" else
                   os.fdopen(fd, "w", encoding=encoding, newline=newline))
        except BaseException:
            os.close(fd)
            raise
        yield cast(IO, _AtomicFile(raw, target))  # a file object that names the target
        try:
            raw.flush()
            os.fsync(raw.fileno())
            raw.close()
            os.chmod(tmp, permissions)
            os.replace(tmp, path)
        except OSError as exc:
            raise _write_error(target, exc) from None
    except BaseException:
        if raw is not None:
            try:
                raw.close()  # may fail again flushing what a full disk refused
            except OSError:
                pass
        tmp.unlink(missing_ok=True)
        raise
    _sync_folder(folder)


def _sync_folder(folder: Path) -> None:
    """Make the rename durable; not every system can open a folder, which is no error."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomic(path: str | os.PathLike, data: bytes | str, *, encoding: str = "utf-8",
                 what: str | None = None) -> Path:
    """Write ``data`` to ``path`` whole or not at all (see :func:`atomic_output`).

    Parameters
    ----------
    path : str or path-like
    data : bytes or str
        Text is encoded with ``encoding`` and written without newline translation.
    encoding : str, optional
        Default UTF-8.
    what : str, optional
        What the file is, for error messages (``"the map"``).

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    BSAInputError
        If it cannot be written; the previous file is unchanged.
    """
    if isinstance(data, str):
        try:
            data = data.encode(encoding)
        except UnicodeEncodeError as exc:
            raise _unicode_error(_target(Path(path), what), exc) from None
    with atomic_output(path, "wb", what=what) as f:
        f.write(data)
    return Path(path)
