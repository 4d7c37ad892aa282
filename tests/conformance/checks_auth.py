"""Sender authentication checked by verifiers nobody here wrote: dkimpy (DKIM, RFC 6376) and
pyspf (SPF, RFC 7208) judge every letter that reaches a checking MX in the presets, as it
arrived (rebuilt from the session's own lines), with the scenario's DNS; their verdicts must
equal the MX's. No lab is needed: these read `mailflow-lab trace --json`."""

import json
import os
import subprocess

import dkim
import spf

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
PRESETS = ["signed-and-sealed", "spoofed", "forwarded", "tampered"]
CHECKS = []


def check(fn):
    fn.needs_lab = False
    CHECKS.append(fn)
    return fn


class Zone:
    """The scenario's DNS: TXT records by owner name, A by host, MX by domain."""

    def __init__(self, scenario):
        self.txt, self.a, self.mx = {}, {}, {}
        for d in scenario["domains"]:
            name = d["name"].lower()
            self.mx[name] = [(m["preference"], m["exchange"].lower()) for m in d.get("mx", [])]
            for r in d.get("txt", []):
                owner = (r["name"] + "." + name if r.get("name") else name).lower()
                self.txt.setdefault(owner, []).append(r["text"])
        for h in scenario["hosts"]:
            self.a[h["name"].lower()] = h["address"]

    def pyspf(self, name, qtype, *args, **kwargs):
        """pyspf's DNSLookup: [((name, type), data)], nothing for NXDOMAIN or NODATA."""
        key = name.rstrip(".").lower()
        if qtype == "TXT":
            return [((name, qtype), (t.encode(),)) for t in self.txt.get(key, [])]
        if qtype == "A":
            return [((name, qtype), self.a[key])] if key in self.a else []
        if qtype == "MX":
            return [((name, qtype), (p, e)) for p, e in self.mx.get(key, [])]
        return []

    def dkimpy(self, name, timeout=5):
        """dkimpy's dnsfunc: the TXT record's text, or None."""
        key = (name.decode() if isinstance(name, bytes) else name).rstrip(".").lower()
        found = self.txt.get(key)
        return found[0].encode() if found else None


def arrivals(trace, scenario):
    """Each letter a checking MX received: (connection, server, client address, HELO,
    MAIL FROM, message bytes), rebuilt from the client's lines after 354 up to the dot."""
    checking = {h["name"] for h in scenario["hosts"] if h.get("checks")}
    address = {h["name"]: h["address"] for h in scenario["hosts"]}
    opened, sessions = {}, {}
    for e in trace["events"]:
        if e["type"] == "connected" and e["server"] in checking and e["port"] == 25:
            opened[e["connection"]] = e
            sessions[e["connection"]] = {"helo": None, "from": None, "data": None, "letters": []}
        elif e["type"] == "line" and e["connection"] in sessions:
            s = sessions[e["connection"]]
            text = e["text"]
            if e["direction"] == "C":
                if s["data"] is not None:
                    if text == ".":
                        s["letters"].append((s["from"], "".join(s["data"]).encode()))
                        s["data"] = None
                    else:
                        # RFC 5321 4.5.2: the receiver takes a leading dot away.
                        s["data"].append((text[1:] if text.startswith(".") else text) + "\r\n")
                elif text.upper().startswith("EHLO ") or text.upper().startswith("HELO "):
                    s["helo"] = text[5:]
                elif text.upper().startswith("MAIL FROM:"):
                    s["from"] = text[10:].split(">")[0].lstrip("<")
            elif text.startswith("354"):
                s["data"] = []
    for c, s in sessions.items():
        o = opened[c]
        for mail_from, message in s["letters"]:
            yield c, o["server"], address[o["client"]], s["helo"], mail_from, message


def verdicts(trace):
    """Our MX's verdicts, in order: {method: result}."""
    out = []
    for e in trace["events"]:
        if e["type"] == "authenticated":
            out.append({c["method"]: c["result"] for c in e["checks"]})
    return out


def run(preset):
    lab = os.environ.get("MAILFLOW_LAB", os.path.join(ROOT, "target", "debug", "mailflow-lab"))
    trace = json.loads(subprocess.run([lab, "trace", preset, "--json"], check=True, capture_output=True, text=True).stdout)
    with open(os.path.join(ROOT, "static", "scenarios", preset + ".json")) as f:
        scenario = json.load(f)
    return trace, scenario


def judge(preset):
    trace, scenario = run(preset)
    zone = Zone(scenario)
    spf.DNSLookup = zone.pyspf
    ours = verdicts(trace)
    theirs = []
    for _c, _server, ip, helo, mail_from, message in arrivals(trace, scenario):
        signed = b"\r\nDKIM-Signature:" in b"\r\n" + message
        d = ("pass" if dkim.verify(message, dnsfunc=zone.dkimpy) else "fail") if signed else "none"
        s, _explanation = spf.check2(i=ip, s=mail_from, h=helo)
        theirs.append({"spf": s, "dkim": d})
    assert len(theirs) == len(ours) and theirs, "%s: %d letters checked, %d verdicts" % (preset, len(theirs), len(ours))
    for mine, other in zip(ours, theirs):
        assert mine["spf"] == other["spf"], "%s: SPF ours %s, pyspf %s" % (preset, mine["spf"], other["spf"])
        assert mine["dkim"] == other["dkim"], "%s: DKIM ours %s, dkimpy %s" % (preset, mine["dkim"], other["dkim"])
    return ours


@check
def dkimpy_and_pyspf_agree_on_signed_and_sealed(_lab=None):
    assert judge("signed-and-sealed") == [{"spf": "pass", "dkim": "pass", "dmarc": "pass"}]


@check
def dkimpy_and_pyspf_agree_on_spoofed(_lab=None):
    assert [v["spf"] for v in judge("spoofed")] == ["fail", "pass"]


@check
def dkimpy_and_pyspf_agree_on_forwarded(_lab=None):
    assert [(v["spf"], v["dkim"]) for v in judge("forwarded")] == [("pass", "pass"), ("fail", "pass")]


@check
def dkimpy_and_pyspf_agree_on_tampered(_lab=None):
    assert [(v["spf"], v["dkim"]) for v in judge("tampered")] == [("pass", "fail")]


@check
def a_letter_sent_through_serve_arrives_signed_and_checked(_lab=None):
    """Real clients on `mailflow-lab serve signed-and-sealed`: smtplib submits as Alice, the
    world relays to southbay's MX, imaplib reads Bob's copy; dkimpy verifies its signature,
    and the MX's Authentication-Results says what it found."""
    import imaplib

    from checks_python import letter, submission
    from lab import PATIENCE, Lab

    with open(os.path.join(ROOT, "static", "scenarios", "signed-and-sealed.json")) as f:
        zone = Zone(json.load(f))
    with Lab("signed-and-sealed") as lab:
        s = submission(lab)
        s.sendmail("alice@northwind.test", ["bob@southbay.test"], letter("signed by the lab", b"Verified elsewhere.\r\n"))
        s.quit()
        lab.wait_count("bob@southbay.test", 1)
        m = imaplib.IMAP4(lab.host, lab.port("imap"), timeout=PATIENCE)
        m.login("bob@southbay.test", "builder")
        m.select("INBOX")
        _typ, data = m.fetch("1", "(BODY.PEEK[])")
        raw = data[0][1]
        m.logout()
    assert b"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=northwind.test;" in raw, raw
    assert b"Authentication-Results: mx.southbay.test;\r\n\tspf=pass" in raw, raw
    assert b"\tdmarc=pass (p=reject dis=none) header.from=northwind.test" in raw, raw
    assert dkim.verify(raw, dnsfunc=zone.dkimpy), "dkimpy verifies the signature"
    # One changed word and dkimpy refuses it: the verdict is not a formality.
    assert not dkim.verify(raw.replace(b"Verified elsewhere.", b"Verified nowhere."), dnsfunc=zone.dkimpy)
