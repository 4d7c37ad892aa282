"""Checks with Python's own clients: smtplib, poplib, imaplib, and imapclient for IDLE."""

import imaplib
import poplib
import smtplib
import socket
import ssl
import threading

from lab import Lab, body_of, PATIENCE

CHECKS = []


def check(fn):
    CHECKS.append(fn)
    return fn


def letter(subject, body, to="bob@southbay.test", sender="alice@northwind.test"):
    return ("From: %s\r\nTo: %s\r\nSubject: %s\r\n\r\n" % (sender, to, subject)).encode() + body


# What trips a careless server: lines that start with dots, a lone dot, trailing spaces.
TRICKY = b"Hello Bob,\r\n.leading dot\r\n.\r\n..two dots\r\ntrailing   \r\n\r\nAlice\r\n"


def unverified():
    """The lab's certificate is self-signed and made at start: trust it for the check."""
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def submission(lab, user="alice@northwind.test", password="wonderland"):
    s = smtplib.SMTP(lab.host, lab.port("submission"), timeout=PATIENCE)
    s.ehlo("client.test")
    s.login(user, password)
    return s


@check
def smtplib_ehlo_and_auth_plain(lab: Lab):
    s = smtplib.SMTP(lab.host, lab.port("submission"), timeout=PATIENCE)
    code, _ = s.ehlo("client.test")
    assert code == 250
    for ext in ("auth", "size", "pipelining", "8bitmime", "enhancedstatuscodes"):
        assert s.has_extn(ext), "EHLO lacks %s: %r" % (ext, s.esmtp_features)
    assert "PLAIN" in s.esmtp_features["auth"].split()
    s.user, s.password = "alice@northwind.test", "wonderland"
    code, _ = s.auth("PLAIN", s.auth_plain)
    assert code == 235
    s.sendmail("alice@northwind.test", ["bob@southbay.test"], letter("plain", b"Hi.\r\n"))
    s.quit()
    lab.wait_count("bob@southbay.test", 1)


@check
def smtplib_auth_login_and_a_wrong_password(lab: Lab):
    s = smtplib.SMTP(lab.host, lab.port("submission"), timeout=PATIENCE)
    s.ehlo("client.test")
    s.user, s.password = "carol@northwind.test", "sunshine"
    code, _ = s.auth("LOGIN", s.auth_login, initial_response_ok=False)
    assert code == 235
    s.quit()
    s = smtplib.SMTP(lab.host, lab.port("submission"), timeout=PATIENCE)
    s.ehlo("client.test")
    try:
        s.login("carol@northwind.test", "wrong")
        raise AssertionError("a wrong password was accepted")
    except smtplib.SMTPAuthenticationError as e:
        assert e.smtp_code == 535, e
    s.close()


@check
def smtplib_size(lab: Lab):
    s = submission(lab)
    limit = int(s.esmtp_features["size"])
    assert limit > 0
    msg = letter("sized", b"x" * 1000 + b"\r\n")
    # smtplib declares SIZE= itself when the server offers SIZE.
    s.sendmail("alice@northwind.test", ["bob@southbay.test"], msg)
    code, _ = s.mail("alice@northwind.test", ["SIZE=%d" % (limit + 1)])
    assert code == 552, "SIZE over the limit: %d" % code  # RFC 1870 6.1
    s.rset()
    s.quit()
    lab.wait_count("bob@southbay.test", 1)


@check
def smtplib_dot_stuffed_body_arrives_byte_identical(lab: Lab):
    s = submission(lab)
    s.sendmail("alice@northwind.test", ["bob@southbay.test"], letter("dots", TRICKY))
    s.quit()
    lab.wait_count("bob@southbay.test", 1)
    assert body_of(lab.retrieve("bob@southbay.test")) == TRICKY


@check
def smtplib_multiple_recipients(lab: Lab):
    s = submission(lab)
    refused = s.sendmail("alice@northwind.test", ["bob@southbay.test", "carol@northwind.test"],
                         letter("both", b"To you both.\r\n"))
    assert refused == {}, refused
    s.quit()
    lab.wait_count("bob@southbay.test", 1)
    lab.wait_count("carol@northwind.test", 1)


@check
def smtplib_refused_recipient(lab: Lab):
    s = smtplib.SMTP(lab.host, lab.port("smtp"), timeout=PATIENCE)
    refused = s.sendmail("someone@elsewhere.test", ["robert@southbay.test", "bob@southbay.test"],
                         letter("one of two", b"Hi.\r\n", sender="someone@elsewhere.test"))
    assert list(refused) == ["robert@southbay.test"] and refused["robert@southbay.test"][0] == 550, refused
    s.quit()
    lab.wait_count("bob@southbay.test", 1)


@check
def smtplib_falls_back_to_helo_without_esmtp(lab: Lab):
    # The helo-only port is the relay as an RFC 821 server: smtplib tries EHLO, gets a 5xx
    # and greets again with HELO (RFC 5321 3.2), then sends without any extension.
    s = smtplib.SMTP(lab.host, lab.port("helo-only"), timeout=PATIENCE)
    s.sendmail("someone@elsewhere.test", ["bob@southbay.test"], letter("helo", TRICKY, sender="someone@elsewhere.test"))
    assert s.ehlo_resp == b"Command unrecognized", "EHLO was sent and refused: %r" % s.ehlo_resp
    assert s.helo_resp is not None and not s.does_esmtp and s.esmtp_features == {}, (s.helo_resp, s.esmtp_features)
    s.quit()
    lab.wait_count("bob@southbay.test", 1)
    assert body_of(lab.retrieve("bob@southbay.test")) == TRICKY
    # The transcript of that session: `<time> #<n> [tls] C: <line>`, one connection's lines.
    refused = next(l for l in lab.lines if l.endswith("S: 500 Command unrecognized"))
    conn = refused.split()[1]
    said = [l.split(": ", 1)[1] for l in lab.lines if l.split()[1:2] == [conn] and (" C: " in l or " S: " in l)]
    at = said.index("500 Command unrecognized")
    # smtplib writes its verbs in lower case, as RFC 5321 2.4 allows.
    assert said[at - 1].upper().startswith("EHLO ") and said[at + 1].upper().startswith("HELO "), said
    mail = next(l for l in said if l.upper().startswith("MAIL FROM:"))
    assert mail.upper() == "MAIL FROM:<SOMEONE@ELSEWHERE.TEST>", "no ESMTP parameters: %r" % mail


@check
def smtplib_starttls(lab: Lab):
    s = smtplib.SMTP(lab.host, lab.port("submission"), timeout=PATIENCE)
    s.ehlo("client.test")
    assert s.has_extn("starttls")
    code, _ = s.starttls(context=unverified())
    assert code == 220
    s.ehlo("client.test")
    assert not s.has_extn("starttls")
    s.login("alice@northwind.test", "wonderland")
    s.sendmail("alice@northwind.test", ["bob@southbay.test"], letter("tls", TRICKY))
    s.quit()
    lab.wait_count("bob@southbay.test", 1)
    assert body_of(lab.retrieve("bob@southbay.test")) == TRICKY


@check
def smtplib_smtp_ssl_on_submissions(lab: Lab):
    # RFC 8314 3.3: TLS from the first byte, then AUTH at once; no STARTTLS inside TLS.
    s = smtplib.SMTP_SSL(lab.host, lab.port("submissions"), timeout=PATIENCE, context=unverified())
    s.ehlo("client.test")
    assert not s.has_extn("starttls") and s.has_extn("auth"), s.esmtp_features
    s.login("alice@northwind.test", "wonderland")
    s.sendmail("alice@northwind.test", ["bob@southbay.test"], letter("smtps", TRICKY))
    s.quit()
    lab.wait_count("bob@southbay.test", 1)
    assert body_of(lab.retrieve("bob@southbay.test")) == TRICKY
    assert ":465 (submissions)" in lab.transcript()


def send_to_bob(lab, *subjects):
    s = submission(lab)
    for subject in subjects:
        s.sendmail("alice@northwind.test", ["bob@southbay.test"], letter(subject, TRICKY))
    s.quit()
    lab.wait_count("bob@southbay.test", len(subjects))


@check
def poplib_session(lab: Lab):
    send_to_bob(lab, "one", "two")
    p = poplib.POP3(lab.host, lab.port("pop3"), timeout=PATIENCE)
    p.user("bob@southbay.test")
    p.pass_("builder")
    count, size = p.stat()
    assert count == 2 and size > 0
    _, listing, _ = p.list()
    assert [l.split()[0] for l in listing] == [b"1", b"2"]
    _, uidls, _ = p.uidl()
    assert len({l.split()[1] for l in uidls}) == 2, "UIDs are unique"
    _, top, _ = p.top(1, 1)
    assert b"" in top and top[top.index(b"") + 1] == b"Hello Bob,", top
    _, whole, _ = p.retr(2)
    assert b"Subject: two" in whole
    assert body_of(b"\r\n".join(whole) + b"\r\n") == TRICKY
    p.dele(1)
    p.quit()
    assert lab.count("bob@southbay.test") == 1, "DELE then QUIT removed one"


@check
def poplib_apop(lab: Lab):
    # The lab offers APOP: the greeting carries the timestamp the digest is made from.
    p = poplib.POP3(lab.host, lab.port("pop3"), timeout=PATIENCE)
    assert b"<" in p.getwelcome(), p.getwelcome()
    try:
        p.apop("bob@southbay.test", "buidler")
        raise AssertionError("APOP accepted a digest made with the wrong secret")
    except poplib.error_proto as e:
        assert e.args[0].startswith(b"-ERR"), e
    p = poplib.POP3(lab.host, lab.port("pop3"), timeout=PATIENCE)
    p.apop("bob@southbay.test", "builder")  # RFC 1939 7
    assert p.stat()[0] == 0
    p.quit()


@check
def imaplib_session_and_a_second_connection(lab: Lab):
    send_to_bob(lab, "first", "second")
    m = imaplib.IMAP4(lab.host, lab.port("imap"), timeout=PATIENCE)
    m.login("bob@southbay.test", "builder")
    typ, boxes = m.list()
    assert typ == "OK" and any(b"INBOX" in b for b in boxes), boxes
    typ, data = m.select("INBOX")
    assert typ == "OK" and data == [b"2"], data
    typ, data = m.search(None, "SUBJECT", "second")
    assert data == [b"2"], data
    typ, data = m.fetch("1", "(BODY.PEEK[TEXT])")
    assert data[0][1] == TRICKY, data
    typ, _ = m.store("1", "+FLAGS", "(\\Deleted)")
    assert typ == "OK"
    typ, data = m.expunge()
    assert data == [b"1"], data
    typ, _ = m.append("INBOX", None, None, letter("appended", b"Kept by APPEND.\r\n"))
    assert typ == "OK"

    other = imaplib.IMAP4(lab.host, lab.port("imap"), timeout=PATIENCE)
    other.login("bob@southbay.test", "builder")
    typ, data = other.select("INBOX")
    assert data == [b"2"], "the second connection sees one expunged, one appended: %r" % data
    typ, data = other.fetch("1:*", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
    subjects = b"".join(d[1] for d in data if isinstance(d, tuple))
    assert b"second" in subjects and b"appended" in subjects and b"first" not in subjects, subjects
    other.logout()
    m.logout()


@check
def imapclient_idle_hears_new_mail(lab: Lab):
    from imapclient import IMAPClient

    c = IMAPClient(lab.host, port=lab.port("imap"), ssl=False, timeout=PATIENCE)
    c.login("bob@southbay.test", "builder")
    c.select_folder("INBOX")
    c.idle()
    sender = threading.Thread(target=send_to_bob, args=(lab, "while idle"), daemon=True)
    sender.start()
    responses = c.idle_check(timeout=PATIENCE)
    c.idle_done()
    sender.join(PATIENCE)
    assert any(r[1] == b"EXISTS" for r in responses if len(r) > 1), responses
    c.logout()


@check
def poplib_pop3_ssl(lab: Lab):
    send_to_bob(lab, "over pop3s")
    p = poplib.POP3_SSL(lab.host, lab.port("pop3s"), timeout=PATIENCE, context=unverified())
    assert "STLS" not in p.capa(), "no STLS inside TLS (RFC 8314 3.1)"
    p.user("bob@southbay.test")
    p.pass_("builder")
    assert p.stat()[0] == 1
    _, whole, _ = p.retr(1)
    assert body_of(b"\r\n".join(whole) + b"\r\n") == TRICKY
    p.quit()
    assert ":995 (pop3)" in lab.transcript()


@check
def imaplib_imap4_ssl(lab: Lab):
    send_to_bob(lab, "over imaps")
    m = imaplib.IMAP4_SSL(lab.host, lab.port("imaps"), ssl_context=unverified(), timeout=PATIENCE)
    assert "STARTTLS" not in m.capabilities and "LOGINDISABLED" not in m.capabilities, m.capabilities
    m.login("bob@southbay.test", "builder")
    typ, data = m.select("INBOX")
    assert data == [b"1"], data
    typ, data = m.fetch("1", "(BODY.PEEK[TEXT])")
    assert data[0][1] == TRICKY, data
    m.logout()
    assert ":993 (imap)" in lab.transcript()


@check
def imap_starttls(lab: Lab):
    send_to_bob(lab, "inside tls")
    m = imaplib.IMAP4(lab.host, lab.port("imap"), timeout=PATIENCE)
    m.starttls(ssl_context=unverified())
    m.login("bob@southbay.test", "builder")
    typ, data = m.select("INBOX")
    assert data == [b"1"], data
    m.logout()


@check
def a_client_cut_off_mid_literal_leaves_nothing(lab: Lab):
    sock = socket.create_connection((lab.host, lab.port("imap")), timeout=PATIENCE)
    f = sock.makefile("rwb")
    f.readline()
    f.write(b"a LOGIN bob@southbay.test builder\r\n")
    f.flush()
    f.readline()
    f.write(b"b APPEND INBOX {100}\r\n")
    f.flush()
    assert f.readline().startswith(b"+"), "a continuation request"
    f.write(b"Subject: cut\r\n\r\nonly part of the hundred")
    f.flush()
    sock.close()
    send_to_bob(lab, "after the cut")
    assert lab.count("bob@southbay.test") == 1


@check
def fifty_concurrent_imap_logins(lab: Lab):
    errors = []

    def one(i):
        try:
            m = imaplib.IMAP4(lab.host, lab.port("imap"), timeout=PATIENCE)
            m.login("bob@southbay.test", "builder")
            m.select("INBOX")
            m.logout()
        except Exception as e:  # collected and reported below
            errors.append("%d: %r" % (i, e))

    threads = [threading.Thread(target=one, args=(i,)) for i in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
