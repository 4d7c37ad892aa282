"""A running `mailflow-lab serve` for one check, and small helpers to read its mailboxes.

Each check gets a fresh lab on free ports, so no check sees another's mail.
"""

import os
import poplib
import re
import subprocess
import threading
import time

BIN = os.environ["MAILFLOW_LAB"]
PATIENCE = 20.0

USERS = {
    "alice@northwind.test": "wonderland",
    "carol@northwind.test": "sunshine",
    "bob@southbay.test": "builder",
}


# Every kind of port the lab serves, as printed at start and named in `--<kind>-port`.
KINDS = ("smtp", "submission", "submissions", "pop3", "pop3s", "imap", "imaps", "helo-only")


class Lab:
    """`mailflow-lab serve` on port 0 for every kind of port; killed on exit."""

    def __init__(self, *args):
        self.args = args

    def __enter__(self):
        cmd = [BIN, "serve"]
        for kind in KINDS:
            cmd += ["--%s-port" % kind, "0"]
        cmd += self.args
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
        self.lines = []
        self.ports = {}
        ready = threading.Event()

        # Keep reading stdout: a full pipe would block the lab.
        def read():
            for line in self.proc.stdout:
                self.lines.append(line.rstrip("\n"))
                # `imaps on 127.0.0.1:40123` per port, then `world: ...` once all are open.
                m = re.match(r"^([\w-]+) on .*:(\d+)$", line.strip())
                if m:
                    self.ports[m.group(1)] = int(m.group(2))
                elif line.startswith("world: "):
                    ready.set()
            ready.set()

        threading.Thread(target=read, daemon=True).start()
        if not ready.wait(PATIENCE) or len(self.ports) < len(KINDS):
            self.proc.kill()
            raise RuntimeError("the lab did not print its ports: %r" % self.lines)
        self.host = "127.0.0.1"
        return self

    def __exit__(self, *exc):
        self.proc.kill()
        self.proc.wait()

    def port(self, service):
        return self.ports[service]

    def transcript(self):
        return "\n".join(self.lines)

    def count(self, user):
        """How many messages `user` has, asked over POP3."""
        p = poplib.POP3(self.host, self.port("pop3"), timeout=PATIENCE)
        try:
            p.user(user)
            p.pass_(USERS[user])
            return p.stat()[0]
        finally:
            p.quit()

    def wait_count(self, user, n):
        """Wait until `user` has `n` messages; the world delivers on its own clock."""
        deadline = time.time() + PATIENCE
        while time.time() < deadline:
            got = self.count(user)
            if got == n:
                return
            time.sleep(0.1)
        raise AssertionError("%s has %d messages, expected %d" % (user, self.count(user), n))

    def retrieve(self, user, number=1):
        """Message `number` of `user`'s inbox, as the POP3 server sends it (unstuffed)."""
        p = poplib.POP3(self.host, self.port("pop3"), timeout=PATIENCE)
        try:
            p.user(user)
            p.pass_(USERS[user])
            _, lines, _ = p.retr(number)
            return b"\r\n".join(lines) + b"\r\n"
        finally:
            p.quit()


def body_of(message):
    """The bytes after the blank line that ends the header."""
    at = message.find(b"\r\n\r\n")
    assert at >= 0, "no header/body separator in %r" % message[:200]
    return message[at + 4:]


def run(cmd, **kw):
    """Run a client program; its output for the error message if it fails."""
    out = subprocess.run(cmd, capture_output=True, timeout=60, **kw)
    if out.returncode != 0:
        raise AssertionError("%s exited %d:\n%s\n%s" % (cmd[0], out.returncode,
                             out.stdout.decode(errors="replace")[-2000:],
                             out.stderr.decode(errors="replace")[-2000:]))
    return out
