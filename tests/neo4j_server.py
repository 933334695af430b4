"""A real Neo4j server for sovmap's tests, CI and benchmarks, without Docker.

Neo4j Community 5.26 (from Maven Central, see tests/neo4j/pom.xml) runs embedded in a
small Java launcher (tests/neo4j/src/main/java/sovmap/neo4j/Launcher.java) that opens
Bolt on 127.0.0.1:<free port> with authentication DISABLED (use ``auth=None`` or any
credentials) and keeps its store in a temporary directory that ``stop()`` removes.

Use in pytest -- put this line in tests/conftest.py::

    from tests.neo4j_server import neo4j_server  # noqa: F401  (session fixture)

and request ``neo4j_server`` in a test; ``neo4j_server.uri`` is the Bolt URI. Call
:func:`clean_database` with a driver for isolation between tests. Importing the fixture
in several modules (or also in conftest) still starts one server per pytest session.

Outside pytest (benchmarks, by hand)::

    with Neo4jServer() as server:
        driver = neo4j.GraphDatabase.driver(server.uri, auth=None)

or ``python -m tests.neo4j_server`` to run one until Ctrl-C.

Environment:
  SOVMAP_NEO4J_HEAP       JVM max heap (default 1g), e.g. 2g for big benchmarks
  SOVMAP_NEO4J_PAGECACHE  Neo4j page cache (default 512m; allocated lazily)
  SOVMAP_NEO4J_JAVA_OPTS  extra JVM flags, whitespace separated
  SOVMAP_NEO4J_SETTINGS   further Neo4j settings, "name=value" separated by commas (e.g.
                          db.checkpoint.interval.volume=2g); the ``settings`` argument adds to them
  SOVMAP_NEO4J_LOG        if set, a file that receives all server output (appended)
  JAVA_HOME               java to use (else the one on PATH)

The server shuts down on SIGTERM and also when its stdin closes, so a pytest process that
is killed (even with SIGKILL) does not leave a Java process behind.
"""

from __future__ import annotations

import atexit
import collections
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

try:  # pytest is only needed for the fixture; the server class works without it.
    import pytest
except ImportError:  # pragma: no cover
    pytest = None  # type: ignore[assignment]

REPO_ROOT = Path(__file__).resolve().parent.parent
NEO4J_DIR = REPO_ROOT / "tests" / "neo4j"
LIB_DIR = NEO4J_DIR / "lib"
CLASSES_DIR = NEO4J_DIR / "target" / "classes"
SETUP_SCRIPT = REPO_ROOT / ".ci" / "neo4j-setup.sh"
LAUNCHER_CLASS = "sovmap.neo4j.Launcher"

READY_MARKER = "SOVMAP-NEO4J READY"
FAILED_MARKER = "SOVMAP-NEO4J FAILED"

DEFAULT_HEAP = "1g"
DEFAULT_PAGECACHE = "512m"
DEFAULT_STARTUP_TIMEOUT = 120.0

# The flags Neo4j 5's own neo4j.conf passes to the server JVM (server.jvm.additional),
# minus -XX:+AlwaysPreTouch (it would commit the whole heap up front).
JVM_FLAGS = [
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
]

_TAIL_LINES = 60
SETTINGS_FILE = "sovmap-settings.conf"
_build_lock = threading.Lock()


def parse_settings(text: str) -> dict[str, str]:
    """Neo4j settings from "name=value" pairs separated by commas or newlines.

    >>> parse_settings("db.tx_log.rotation.size=1g, db.checkpoint.interval.volume=2g")
    {'db.tx_log.rotation.size': '1g', 'db.checkpoint.interval.volume': '2g'}
    """
    out = {}
    for part in text.replace("\n", ",").split(","):
        name, eq, value = part.partition("=")
        if part.strip() and (not eq or not name.strip()):
            raise ValueError(f"Neo4j setting {part.strip()!r} is not name=value")
        if eq:
            out[name.strip()] = value.strip()
    return out


def _java_executable() -> str:
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        candidate = Path(java_home) / "bin" / "java"
        if candidate.is_file():
            return str(candidate)
    found = shutil.which("java")
    if not found:
        raise RuntimeError(
            "Neo4j test server: no `java` found (set JAVA_HOME or put a JDK 17+ on PATH)"
        )
    return found


def build_launcher() -> None:
    """Run .ci/neo4j-setup.sh (resolves Maven artifacts, compiles the launcher).

    A fast no-op when everything is up to date. Raises RuntimeError with the script's
    output when it fails.
    """
    with _build_lock:
        proc = subprocess.run(
            ["bash", str(SETUP_SCRIPT)],
            cwd=REPO_ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
        )
    if proc.returncode != 0:
        raise RuntimeError(
            f"Neo4j test server: `bash {SETUP_SCRIPT.relative_to(REPO_ROOT)}` failed "
            f"(exit {proc.returncode}):\n{proc.stdout[-6000:]}"
        )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Neo4jServer:
    """One throw-away Neo4j server process (see the module docstring).

    ``start()`` builds the launcher if needed, picks a free port, launches Java and waits
    for the READY line; it raises RuntimeError with the server's last output lines if the
    server does not come up. ``stop()`` is idempotent and removes the data directory.
    """

    def __init__(
        self,
        heap: str | None = None,
        pagecache: str | None = None,
        startup_timeout: float = DEFAULT_STARTUP_TIMEOUT,
        extra_jvm_flags: list[str] | None = None,
        data_dir: str | os.PathLike | None = None,
        settings: dict[str, str] | None = None,
    ) -> None:
        self.heap = heap or os.environ.get("SOVMAP_NEO4J_HEAP") or DEFAULT_HEAP
        self.pagecache = pagecache or os.environ.get("SOVMAP_NEO4J_PAGECACHE") or DEFAULT_PAGECACHE
        self.startup_timeout = startup_timeout
        self.extra_jvm_flags = list(extra_jvm_flags or [])
        self.extra_jvm_flags += shlex.split(os.environ.get("SOVMAP_NEO4J_JAVA_OPTS", ""))
        # Neo4j settings beyond the launcher's own (written to a neo4j.conf-style file in the data directory).
        self.settings = parse_settings(os.environ.get("SOVMAP_NEO4J_SETTINGS", ""))
        self.settings.update(settings or {})
        self.port: int | None = None
        self.data_dir: Path | None = None
        # A given data_dir is kept across stop()/start() (to test restarts); otherwise a temp dir is used and removed.
        self.keep_dir: Path | None = Path(data_dir) if data_dir is not None else None
        self.startup_seconds: float | None = None
        self.ready_line: str | None = None
        self._proc: subprocess.Popen[str] | None = None
        self._reader: threading.Thread | None = None
        self._tail: collections.deque[str] = collections.deque(maxlen=_TAIL_LINES)
        self._ready = threading.Event()
        self._log_path = os.environ.get("SOVMAP_NEO4J_LOG") or None

    # -- public API -------------------------------------------------------------------

    @property
    def uri(self) -> str:
        if self.port is None:
            raise RuntimeError("Neo4j test server is not started")
        return f"bolt://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def rss_bytes(self) -> int | None:
        """Resident memory of the Java process (Linux), or None."""
        if not self.running:
            return None
        try:
            with open(f"/proc/{self.pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            return None
        return None

    def output_tail(self) -> str:
        return "\n".join(self._tail)

    def start(self) -> "Neo4jServer":
        if self.running:
            return self
        # Resolves/compiles when tests/neo4j/lib or the class is missing; otherwise a
        # ~10 ms no-op that still notices an edited pom.xml or Launcher.java.
        build_launcher()
        java = _java_executable()
        began = time.monotonic()
        last_error: RuntimeError | None = None
        for _attempt in range(3):  # a free port can be taken between probe and bind
            try:
                self._start_once(java)
                self.startup_seconds = time.monotonic() - began
                atexit.register(self.stop)
                return self
            except RuntimeError as exc:
                last_error = exc
                if "Address already in use" not in str(exc):
                    break
        assert last_error is not None
        raise last_error

    def stop(self, timeout: float = 30.0) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            if proc.poll() is None:
                try:
                    proc.send_signal(signal.SIGTERM)  # the launcher's shutdown hook stops Neo4j
                    proc.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=10)
            for stream in (proc.stdin, proc.stdout):
                try:
                    if stream is not None:
                        stream.close()
                except OSError:
                    pass
        if self._reader is not None:
            self._reader.join(timeout=5)
            self._reader = None
        if self.data_dir is not None:
            if self.keep_dir is None:
                shutil.rmtree(self.data_dir, ignore_errors=True)
            self.data_dir = None
        try:
            atexit.unregister(self.stop)
        except Exception:  # pragma: no cover
            pass

    def kill(self) -> None:
        """Stop the server the hard way (SIGKILL), as a crash or a pulled plug would."""
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait(timeout=30)
        self.stop()

    def __enter__(self) -> "Neo4jServer":
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = self.uri if self.running else "stopped"
        return f"<Neo4jServer {state}>"

    # -- internals --------------------------------------------------------------------

    def _command(self, java: str) -> list[str]:
        assert self.port is not None and self.data_dir is not None
        classpath = os.pathsep.join([str(CLASSES_DIR), str(LIB_DIR / "*")])
        return [
            java,
            f"-Xmx{self.heap}",
            *JVM_FLAGS,
            *self.extra_jvm_flags,
            "-cp",
            classpath,
            LAUNCHER_CLASS,
            "--port",
            str(self.port),
            "--data-dir",
            str(self.data_dir),
        ] + ([] if self.keep_dir is not None else ["--delete-data-dir-on-exit"]) + (  # even if this process is killed
            ["--config", str(self.data_dir / SETTINGS_FILE)] if self.settings else [])

    def _start_once(self, java: str) -> None:
        self.port = _free_port()
        if self.keep_dir is not None:
            self.keep_dir.mkdir(parents=True, exist_ok=True)
            self.data_dir = self.keep_dir
        else:
            self.data_dir = Path(tempfile.mkdtemp(prefix="sovmap-neo4j-"))
        self._tail.clear()
        self._ready.clear()
        self.ready_line = None
        env = dict(os.environ, SOVMAP_NEO4J_PAGECACHE=self.pagecache)
        if self.settings:
            (self.data_dir / SETTINGS_FILE).write_text("".join(f"{k}={v}\n" for k, v in self.settings.items()))
        cmd = self._command(java)
        try:
            self._proc = subprocess.Popen(
                cmd,
                cwd=self.data_dir,
                env=env,
                stdin=subprocess.PIPE,  # the launcher exits when this pipe closes
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                errors="replace",
                bufsize=1,
            )
        except OSError as exc:
            self._cleanup_failed_start()
            raise RuntimeError(f"Neo4j test server: could not run {cmd[0]}: {exc}") from exc
        self._reader = threading.Thread(
            target=self._pump_output, args=(self._proc,), name="neo4j-server-output", daemon=True
        )
        self._reader.start()

        signalled = self._ready.wait(self.startup_timeout)
        if self.ready_line is not None and self._proc.poll() is None:
            return

        exit_code = None
        if signalled:  # FAILED line or end of output: the process is exiting
            try:
                exit_code = self._proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                pass
        self.stop(timeout=10)  # also waits for the reader, so the tail is complete
        if not signalled:
            why = f"did not print '{READY_MARKER}' within {self.startup_timeout:.0f}s"
        elif exit_code is not None:
            why = f"exited with code {exit_code} before it was ready"
        else:
            why = "reported a failure and did not exit; it was killed"
        raise RuntimeError(
            f"Neo4j test server failed to start: {why}.\n"
            f"command: {shlex.join(cmd)}\n"
            f"--- last lines of server output ---\n{self.output_tail()}"
        )

    def _cleanup_failed_start(self) -> None:
        self._proc = None
        if self.data_dir is not None:
            if self.keep_dir is None:
                shutil.rmtree(self.data_dir, ignore_errors=True)
            self.data_dir = None

    def _pump_output(self, proc: subprocess.Popen[str]) -> None:
        log = None
        if self._log_path:
            try:
                log = open(self._log_path, "a", encoding="utf-8")
            except OSError:
                log = None
        try:
            assert proc.stdout is not None
            for line in proc.stdout:
                line = line.rstrip("\n")
                self._tail.append(line)
                if log is not None:
                    log.write(line + "\n")
                    log.flush()
                if line.startswith(READY_MARKER) and self.ready_line is None:
                    self.ready_line = line
                    self._ready.set()
                elif line.startswith(FAILED_MARKER):
                    self._ready.set()
        except (OSError, ValueError):
            pass
        finally:
            self._ready.set()  # process gone: wake start() up
            if log is not None:
                log.close()


def clean_database(driver, database: str | None = None, batch_size: int = 10_000) -> None:
    """Delete every node and relationship, then drop all constraints and indexes.

    Nodes are removed in batches of ``batch_size`` (``DETACH DELETE``), so large test
    graphs do not need one huge transaction. Built-in token LOOKUP indexes are kept.
    """
    kwargs = {"database_": database} if database else {}
    while True:
        records, _, _ = driver.execute_query(
            "MATCH (n) WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted",
            limit=batch_size,
            **kwargs,
        )
        if not records or records[0]["deleted"] == 0:
            break
    records, _, _ = driver.execute_query("SHOW CONSTRAINTS YIELD name", **kwargs)
    for record in records:
        driver.execute_query(f"DROP CONSTRAINT {_quote(record['name'])} IF EXISTS", **kwargs)
    records, _, _ = driver.execute_query(
        "SHOW INDEXES YIELD name, type, owningConstraint "
        "WHERE type <> 'LOOKUP' AND owningConstraint IS NULL RETURN name",
        **kwargs,
    )
    for record in records:
        driver.execute_query(f"DROP INDEX {_quote(record['name'])} IF EXISTS", **kwargs)


def _quote(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


# -- pytest -----------------------------------------------------------------------------

_CONFIG_ATTR = "_sovmap_neo4j_server"

if pytest is not None:

    @pytest.fixture(scope="session")
    def neo4j_server(request):
        """A started :class:`Neo4jServer`, one per pytest session.

        If the server cannot start, every test that uses it errors with the server's
        output (never skipped). The instance is kept on the pytest config, so importing
        this fixture into several modules/conftests still shares one server.
        """
        config = request.config
        state = getattr(config, _CONFIG_ATTR, None)
        if state is None:
            server = Neo4jServer()
            try:
                server.start()
            except Exception as exc:
                setattr(config, _CONFIG_ATTR, exc)  # do not retry a failed start per test
                raise
            setattr(config, _CONFIG_ATTR, server)
            config.add_cleanup(server.stop)
            state = server
        if isinstance(state, BaseException):
            raise RuntimeError(f"Neo4j test server failed to start earlier: {state}") from state
        yield state


def main(argv: list[str] | None = None) -> int:
    """``python -m tests.neo4j_server``: run a server until Ctrl-C / SIGTERM."""
    server = Neo4jServer()
    server.start()
    print(f"{server.uri}  (pid {server.pid}, started in {server.startup_seconds:.1f}s, "
          f"auth disabled; Ctrl-C to stop)", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        while not stop.is_set() and server.running:
            stop.wait(1.0)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
