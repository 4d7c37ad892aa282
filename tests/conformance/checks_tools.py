"""Checks with independent programs: swaks, curl and fetchmail."""

import imaplib
import os
import tempfile
import time

from lab import BIN, Lab, PATIENCE, body_of, run
from checks_python import TRICKY, letter, send_to_bob

CHECKS = []


def check(fn):
    CHECKS.append(fn)
    return fn


def swaks(lab, *args, port="submission"):
    return run(["swaks", "--server", lab.host, "--port", str(lab.port(port)),
                "--from", "alice@northwind.test", "--to", "bob@southbay.test",
                "--helo", "client.test", "--timeout", "20", *args])


AUTH = ["--auth", "PLAIN", "--auth-user", "alice@northwind.test", "--auth-password", "wonderland"]


@check
def swaks_pipeline_and_auth(lab: Lab):
    out = swaks(lab, "--pipeline", *AUTH)
    assert b"250 2.0.0 Ok: queued as" in out.stdout, out.stdout
    lab.wait_count("bob@southbay.test", 1)


@check
def swaks_auth_login(lab: Lab):
    swaks(lab, "--auth", "LOGIN", "--auth-user", "alice@northwind.test", "--auth-password", "wonderland")
    lab.wait_count("bob@southbay.test", 1)


@check
def swaks_tls(lab: Lab):
    out = swaks(lab, "-tls", *AUTH)
    assert b"TLS started" in out.stdout, out.stdout
    lab.wait_count("bob@southbay.test", 1)


@check
def swaks_tls_on_connect(lab: Lab):
    # -tlsc: TLS from the first byte, on the submissions port (RFC 8314 3.3).
    out = swaks(lab, "-tlsc", *AUTH, port="submissions")
    assert b"TLS started" in out.stdout and b"STARTTLS" not in out.stdout, out.stdout
    lab.wait_count("bob@southbay.test", 1)


@check
def swaks_quit_after_rcpt_sends_nothing(lab: Lab):
    out = swaks(lab, "--quit-after", "RCPT", *AUTH)
    assert b"QUIT" in out.stdout and b"DATA" not in out.stdout, out.stdout
    time.sleep(0.5)
    assert lab.count("bob@southbay.test") == 0


@check
def swaks_pipe_to_stdio(lab: Lab):
    # One session over stdin/stdout: no port at all.
    out = run(["swaks", "--pipe", "%s serve --stdio submission" % BIN, "--from", "alice@northwind.test",
               "--to", "bob@southbay.test", *AUTH])
    assert b"250 2.0.0 Ok: queued as" in out.stdout, out.stdout


def curl(lab, url, *args):
    return run(["curl", "--silent", "--show-error", "--max-time", "20", url, *args])


@check
def curl_smtp_send_then_imaplib_reads_it_byte_identical(lab: Lab):
    with tempfile.NamedTemporaryFile(suffix=".eml") as f:
        f.write(letter("by curl", TRICKY))
        f.flush()
        curl(lab, "smtp://%s:%d/client.test" % (lab.host, lab.port("submission")),
             "--mail-from", "alice@northwind.test", "--mail-rcpt", "bob@southbay.test",
             "--user", "alice@northwind.test:wonderland", "--upload-file", f.name)
    lab.wait_count("bob@southbay.test", 1)
    m = imaplib.IMAP4(lab.host, lab.port("imap"), timeout=PATIENCE)
    m.login("bob@southbay.test", "builder")
    m.select("INBOX")
    _, data = m.fetch("1", "(BODY.PEEK[TEXT])")
    m.logout()
    assert data[0][1] == TRICKY, data


@check
def curl_pop3_list_and_retrieve(lab: Lab):
    send_to_bob(lab, "for curl")
    url = "pop3://%s:%d/" % (lab.host, lab.port("pop3"))
    listing = curl(lab, url, "--user", "bob@southbay.test:builder").stdout
    assert listing.startswith(b"1 "), listing
    message = curl(lab, url + "1", "--user", "bob@southbay.test:builder").stdout
    assert b"Subject: for curl" in message and body_of(message) == TRICKY, message


@check
def curl_imap_select_and_fetch_by_uid(lab: Lab):
    send_to_bob(lab, "for curl")
    base = "imap://%s:%d/INBOX" % (lab.host, lab.port("imap"))
    user = ["--user", "bob@southbay.test:builder"]
    examined = curl(lab, base, "--request", "EXAMINE INBOX", *user).stdout
    assert b"1 EXISTS" in examined, examined
    message = curl(lab, base + "/;UID=1", *user).stdout
    assert b"Subject: for curl" in message and body_of(message) == TRICKY, message


@check
def curl_pop3s_and_imaps(lab: Lab):
    send_to_bob(lab, "for curl over tls")
    user = ["--user", "bob@southbay.test:builder", "--insecure"]
    message = curl(lab, "pop3s://%s:%d/1" % (lab.host, lab.port("pop3s")), *user).stdout
    assert b"Subject: for curl over tls" in message and body_of(message) == TRICKY, message
    message = curl(lab, "imaps://%s:%d/INBOX/;UID=1" % (lab.host, lab.port("imaps")), *user).stdout
    assert b"Subject: for curl over tls" in message and body_of(message) == TRICKY, message


def fetchmail(lab, protocol, port, tls):
    """Download Bob's mail with fetchmail into a file; the file's bytes."""
    with tempfile.TemporaryDirectory() as home:
        mbox = os.path.join(home, "mbox")
        rc = os.path.join(home, "fetchmailrc")
        with open(rc, "w") as f:
            f.write('poll %s protocol %s port %d\n' % (lab.host, protocol, port))
            f.write('  user "bob@southbay.test" password "builder"\n')
            f.write('  mda "/bin/sh -c \'cat >> %s\'"\n' % mbox)
            # The lab's certificate is self-signed: use TLS, do not check who signed it.
            f.write("  sslproto tls1.2+ no sslcertck\n" if tls else "  sslproto ''\n")
        os.chmod(rc, 0o600)
        env = dict(os.environ, FETCHMAILHOME=home, HOME=home)
        run(["fetchmail", "-f", rc, "--nodetach", "--nosyslog", "--all"], env=env)
        with open(mbox, "rb") as f:
            return f.read()


@check
def fetchmail_over_pop3_with_stls(lab: Lab):
    send_to_bob(lab, "fetched")
    got = fetchmail(lab, "pop3", lab.port("pop3"), tls=True)
    assert b"Subject: fetched" in got, got
    assert lab.count("bob@southbay.test") == 0, "fetchmail deletes what it downloaded"


@check
def fetchmail_over_imap(lab: Lab):
    send_to_bob(lab, "fetched")
    got = fetchmail(lab, "imap", lab.port("imap"), tls=False)
    assert b"Subject: fetched" in got, got
