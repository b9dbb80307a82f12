"""A nafka broker (a Kafka-protocol broker, Python >= 3.12, in .venv-nafka) as a separate process on a TCP port."""
import signal
import socket
import subprocess
import time

from tests.support.stack import ROOT, free_port

NAFKA_PYTHON = ROOT / ".venv-nafka" / "bin" / "python"
# `python -m nafka` logs every request at DEBUG (a CPU cost that skews latency): the same server, quieter.
LAUNCH = ("import asyncio, logging, sys; from nafka.server import run_server; "
          "logging.basicConfig(level=logging.WARNING); asyncio.run(run_server(sys.argv[1], int(sys.argv[2])))")


class Nafka:
    """Start, stop and restart one broker; its records live in a SQLite file, so a restart keeps them."""

    def __init__(self, data_dir, port=None):
        if not NAFKA_PYTHON.exists():
            raise RuntimeError(f"{NAFKA_PYTHON} is missing: run `make nafka`")
        self.port = port or free_port()
        self.file = data_dir / "nafka.sqlite"
        self.log = data_dir / "nafka.log"
        self.process = None

    @property
    def url(self):
        return f"kafka://127.0.0.1:{self.port}"

    def start(self):
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                [str(NAFKA_PYTHON), "-c", LAUNCH, str(self.file), str(self.port)],
                stdout=log, stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nafka exited: {self.log.read_text()[-2000:]}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("nafka did not listen within 20 s")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
