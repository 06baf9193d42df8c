"""Files for batch work: the input opened (a file, or standard input that may be a pipe), and the
output written (standard output, a device or FIFO directly; a regular file under a temporary name,
renamed into place only when complete, with the mode a new file gets or the old file had).
"""

import codecs
import contextlib
import io
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterator
from typing import IO, Any

from mgcalc.errors import MgcalcError, shown

#: Byte order marks, each with the codec of the text after it (a UTF-32 mark reads as UTF-16's).
BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def bom_of(head: bytes) -> tuple[int, str] | None:
    """The length of the byte order mark that ``head`` starts with, and the codec of the text after
    it; None when it starts with none. Every reader of mgcalc's input decides by this."""
    for bom, codec in BOMS:
        if head.startswith(bom):
            return len(bom), codec
    return None


def guess_format(path: str | None, given: str | None) -> str:
    """The input format: as given, else from the file name (.jsonl, .ndjson, .json), else CSV."""
    if given:
        return given
    if path and path.lower().endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if path and path.lower().endswith(".json"):
        return "json"
    return "csv"


class _Waiting(io.RawIOBase):
    """Input that is a pipe, FIFO, socket, terminal or device: read as it comes, never sought.

    ``before_wait`` runs before a read that would wait, so each result goes out as soon as the rows
    that came in are done. ``owner`` is the file object that holds the descriptor (closed with this
    one); None for standard input, whose descriptor belongs to the process.
    """

    def __init__(self, fd: int, name: str, owner: io.FileIO | None = None) -> None:
        super().__init__()
        self.fd = fd
        self.name = name
        self.owner = owner
        self.before_wait: Callable[[], None] | None = None

    def readable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self.fd

    def readinto(self, buffer: Any) -> int:
        import select

        if self.before_wait is not None and not select.select([self.fd], [], [], 0)[0]:
            self.before_wait()  # writes: its errors are the output's
        while True:
            try:
                return os.readv(self.fd, [buffer])
            except BlockingIOError:  # a descriptor left non-blocking by whoever opened it: wait for it
                select.select([self.fd], [], [])
            except OSError as exc:
                raise _unreadable(self.name, exc) from None

    def close(self) -> None:
        if self.owner is not None:
            self.owner.close()
        super().close()


@contextlib.contextmanager
def flushing_before_wait(raw: Any, flush: Callable[[], None]) -> Iterator[None]:
    """While the block runs, ``flush`` is called before a read of ``raw`` would wait, when ``raw`` is
    input open_input opened on a pipe, FIFO or terminal (so results go out as rows come in)."""
    waiting = getattr(raw, "raw", None)
    if getattr(waiting, "before_wait", False) is not None:  # a file: nothing ever waits
        yield
        return
    waiting.before_wait = flush  # type: ignore[union-attr]
    try:
        yield
    finally:
        waiting.before_wait = None  # type: ignore[union-attr]


def _unreadable(name: str, exc: OSError) -> MgcalcError:
    return MgcalcError(f"cannot read {name}: {exc.strerror or exc}")


#: Paths that name a descriptor this process already holds: /dev/stdin, /dev/fd/N (bash's process
#: substitution), /proc/self/fd/N. The descriptor is duplicated, not the path opened again, so a
#: socket works too and a regular file is read from where the shell left it.
_DESCRIPTOR_PATH = re.compile(r"/dev/(?:stdin|fd/(?P<fd>[0-9]+))|/proc/self/fd/(?P<proc>[0-9]+)")


def _held_descriptor(path: str) -> int | None:
    """The descriptor a /dev/stdin or /dev/fd/N path names, or None for any other path."""
    match = _DESCRIPTOR_PATH.fullmatch(path)
    if match is None:
        return None
    number = match["fd"] or match["proc"]
    return 0 if number is None else int(number)


def open_input(path: str | None, encoding: str | None = None) -> IO[bytes]:
    """The input as bytes: a file, or standard input for None or '-'; MgcalcError if unreadable."""
    import sys

    if path in (None, "-"):
        if sys.stdin is None:
            raise MgcalcError("standard input is closed: give a FILE, or pipe rows in")
        try:
            fd = sys.stdin.fileno()
            mode = os.fstat(fd).st_mode
        except (AttributeError, OSError, ValueError):
            return sys.stdin.buffer  # not a real descriptor (a test runner's stand-in)
        if not stat.S_ISREG(mode):  # a pipe, socket, terminal or device
            return io.BufferedReader(_Waiting(fd, "standard input"))
        return sys.stdin.buffer
    assert path is not None
    if path == "":
        raise MgcalcError("the input FILE is an empty name; give a file name, or - for standard input")
    if os.path.isdir(path):
        raise MgcalcError(f"cannot read {shown(path)}: it is a directory")
    held = _held_descriptor(path)
    try:
        if held is not None:
            raw = io.FileIO(os.dup(held), "rb")
        else:
            raw = io.FileIO(path, "rb")
    except OSError as exc:
        raise _unreadable(shown(path), exc) from None
    mode = os.fstat(raw.fileno()).st_mode
    if stat.S_ISDIR(mode):
        raw.close()
        raise MgcalcError(f"cannot read {shown(path)}: it is a directory")
    if not stat.S_ISREG(mode):  # a pipe, FIFO, socket, terminal or device: read once, in order
        return io.BufferedReader(_Waiting(raw.fileno(), shown(path), owner=raw))
    handle = io.BufferedReader(raw, buffer_size=1 << 20)
    head = handle.peek(8192)[:8192]
    marked = bom_of(head)
    bom = marked is not None and marked[1] != "utf-8"
    wide = encoding is not None and ("16" in encoding or "32" in encoding)
    # Binary (or UTF-16 without a byte order mark) has NULs everywhere; one NUL in a row is that row's error.
    nuls = head.count(b"\x00")
    if nuls and not bom and not wide and (nuls * 20 > len(head) or b"\x00" in head.split(b"\n", 1)[0]):
        handle.close()
        raise MgcalcError(f"cannot read {shown(path)}: it looks binary (NUL bytes), not CSV or JSON; "
                          "a UTF-16 file without a byte order mark needs --encoding utf-16-le")
    return handle


class Interrupted(BaseException):
    """A signal (SIGINT, SIGTERM, SIGHUP) stopped the run; the CLI exits 128 + ``signum``."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class _Encoder:
    """Text to a binary stream as UTF-8, undecodable input bytes written back as they were."""

    def __init__(self, binary: Any) -> None:
        self.binary = binary

    def write(self, text: str) -> int:
        self.binary.write(text.encode("utf-8", "surrogateescape"))
        return len(text)

    def flush(self) -> None:
        self.binary.flush()


def _is_special(path: str) -> bool:
    """Paths that name a descriptor, never a file to replace (/dev/stdout, /dev/fd/3), even when
    the descriptor is open on a regular file."""
    return os.path.abspath(path).startswith(("/dev/fd/", "/dev/std", "/proc/"))


class Output:
    """Where results go, checked before any input is read.

    Standard output (path None) and anything that is not a regular file (a FIFO, a device,
    /dev/fd/N) are written directly. A regular file or a new path is written under a temporary
    name in its directory and renamed into place by ``commit`` only when complete; ``discard``
    removes it. A new file gets the mode the umask allows; an existing one keeps its mode; a
    symbolic link keeps being a link and its target is replaced.
    """

    def __init__(self, path: str | None) -> None:
        import sys

        if path == "":
            raise MgcalcError("--output is an empty name; give a file name, e.g. -o results.csv, "
                              "or leave --output out to write to standard output")
        self.path = path
        self._temp: str | None = None
        self._target: str | None = None
        if path is None:
            if sys.stdout is None:
                raise MgcalcError("standard output is closed: give --output FILE")
            binary = getattr(sys.stdout, "buffer", None)
            sys.stdout.flush()
            self._binary: Any = binary
            self.file: Any = _Encoder(binary) if binary is not None else sys.stdout
            return
        mode: int | None = None
        try:
            info = os.stat(path)
        except FileNotFoundError:
            info = None
        except OSError as exc:
            raise MgcalcError(f"cannot write to {shown(path)}: {exc.strerror or exc}") from None
        if info is not None and stat.S_ISDIR(info.st_mode):
            raise MgcalcError(f"cannot write to {shown(path)}: it is a directory")
        if (info is not None and not stat.S_ISREG(info.st_mode)) or (info is not None and _is_special(path)):
            try:
                self._binary = open(path, "wb")  # closed by commit or discard
            except OSError as exc:
                raise MgcalcError(f"cannot write to {shown(path)}: {exc.strerror or exc}") from None
            self.file = _Encoder(self._binary)
            return
        target = os.path.realpath(path)  # a symbolic link's target (existing or not) is what is replaced
        if info is not None:
            mode = stat.S_IMODE(info.st_mode)
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        try:
            handle, self._temp = tempfile.mkstemp(prefix=".mgcalc-", suffix=".part", dir=os.path.dirname(target))
        except OSError as exc:
            raise MgcalcError(f"cannot write to {shown(path)}: {exc.strerror or exc}") from None
        os.fchmod(handle, mode)
        if info is not None:
            try:
                os.fchown(handle, info.st_uid, info.st_gid)
            except OSError:
                pass  # only root may give a file away; the mode is kept all the same
        self._target = target
        self._binary = open(handle, "wb", buffering=1 << 20)  # closed by commit or discard
        self.file = _Encoder(self._binary)

    def commit(self) -> None:
        """Everything written: flushed, and a temporary file renamed into place."""
        self.file.flush()
        if self.path is None:
            return
        self._binary.close()
        if self._temp is not None and self._target is not None:
            try:
                os.replace(self._temp, self._target)
            except OSError as exc:
                self.discard()
                raise MgcalcError(f"cannot write {shown(self.path)}: {exc.strerror or exc}") from None
            self._temp = None

    def discard(self) -> None:
        """The run failed: a temporary file is removed (a direct output keeps what it got)."""
        if self.path is None:
            return
        try:
            self._binary.close()
        except OSError:
            pass
        if self._temp is not None:
            try:
                os.unlink(self._temp)
            except FileNotFoundError:
                pass
            self._temp = None


#: The signals that stop a run (its output file removed).
_STOP_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")


@contextlib.contextmanager
def signals_stop() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP raise Interrupted while the block runs, so the run cleans up
    (the CLI exits 128 + signal)."""
    import signal

    def stop(signum: int, frame: object) -> None:
        raise Interrupted(signum)

    previous = {}
    try:
        for name in _STOP_SIGNALS:
            number = getattr(signal, name, None)
            if number is not None:
                previous[number] = signal.signal(number, stop)
    except ValueError:  # not the main thread: signals stay as they were
        pass
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


@contextlib.contextmanager
def held() -> Iterator[None]:
    """The stop signals held back while the block runs, delivered when it ends.

    Around creating the output (a temporary file must be known to the cleanup before a signal can
    stop the run) and around the rename (never cut in half).
    """
    import signal

    numbers = {getattr(signal, name) for name in _STOP_SIGNALS if hasattr(signal, name)}
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, numbers)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, numbers)


@contextlib.contextmanager
def written(path: str | None) -> Iterator["Output"]:
    """The Output for ``path`` (None: standard output) while the block writes it: renamed into place
    when the block ends well; removed on an error, a closed pipe or a stop signal (Interrupted, raised
    on). The stop signals are held back while it is created and while it is renamed, so a temporary
    file is always known to the cleanup and a rename is never cut in half."""
    with signals_stop():
        target: Output | None = None
        try:
            with held():
                target = Output(path)
            yield target
            with held():
                target.commit()
        except BaseException:
            if target is not None:
                target.discard()
            raise
