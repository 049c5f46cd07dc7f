#!/usr/bin/env python3
"""Where the server's Java time goes during the load: a summary of jdk.ExecutionSample of a JFR recording.

Usage: bench/jfr-summary.py <jdk>/bin/jfr recording.jfr
Prints the sample count per thread group, then for the request threads (https-jsse-nio-*-exec-*) the inclusive
share of chosen frames (our code and the usual suspects) and the top frames. Stacks are read 400 frames deep
(`jfr print` keeps 5 by default; the request stacks under Spring's filter chain are 150-250 frames).
"""
import collections
import re
import subprocess
import sys

GROUPS = [
    ("TLS (JSSE record layer, handshakes)", ("sun.security.ssl.",)),
    ("PBKDF2 revocation-code hash", ("Pbkdf2PasswordEncoder",)),
    ("certificate issuance (openigc-ca: build, check, sign)", ("org.openigc.ca.CertificateIssuer.issue",)),
    ("CSR parse + verify (openigc-ca CsrChecker)", ("org.openigc.ca.CsrChecker",)),
    ("audit append (AuditTrail.record)", ("org.openigc.server.audit.AuditTrail.record",)),
    ("mail rendering + outbox insert (MailOutbox.enqueue)", ("org.openigc.server.mail.MailOutbox.enqueue",)),
    ("card authentication (CardAuthenticator.authenticate)", ("org.openigc.server.security.CardAuthenticator.authenticate",)),
    ("order validation (CertificateService.resolve)", ("org.openigc.server.certificates.CertificateService.resolve",)),
    ("response view (CertificateService.view)", ("org.openigc.server.certificates.CertificateService.view",)),
    ("JSON (Jackson)", ("tools.jackson.",)),
    ("JDBC driver (PostgreSQL)", ("org.postgresql.",)),
    ("Spring transaction management", ("org.springframework.transaction.",)),
    ("Micrometer observations", ("io.micrometer.",)),
    ("Thymeleaf", ("org.thymeleaf.",)),
    ("whole order (CertificateService.order)", ("org.openigc.server.certificates.CertificateService.order",)),
]


def main(jfr, recording):
    text = subprocess.run([jfr, "print", "--stack-depth", "400", "--events", "jdk.ExecutionSample", recording], capture_output=True,
                          text=True, check=True).stdout
    threads = collections.Counter()
    groups = collections.Counter()
    top = collections.Counter()
    ours = collections.Counter()
    n = 0
    for event in text.split("jdk.ExecutionSample {")[1:]:
        m = re.search(r'sampledThread = "([^"]+)"', event)
        if not m:
            continue
        thread = re.sub(r"\d+", "N", m.group(1))
        threads[thread] += 1
        if "https-jsse" not in thread or "exec" not in thread:
            continue
        frames = re.findall(r"^\s+([\w$.<>]+)\(", event, re.M)
        if not frames:
            continue
        n += 1
        top[frames[0]] += 1
        for label, prefixes in GROUPS:
            if any(f.startswith(p) for f in frames for p in prefixes):
                groups[label] += 1
        seen = set()
        for f in frames:
            if f.startswith("org.openigc") and f not in seen:
                seen.add(f)
                ours[f] += 1
    print("samples per thread group:", ", ".join(f"{t} {c}" for t, c in threads.most_common(8)))
    print(f"request threads: {n} samples")
    print("inclusive share of the request threads' samples:")
    for label, _ in GROUPS:
        if n:
            print(f"  {groups[label] * 100 / n:5.1f} %  {label}")
    print("our methods (inclusive):")
    for f, c in ours.most_common(25):
        print(f"  {c * 100 / max(n, 1):5.1f} %  {f}")
    print("top frames:")
    for f, c in top.most_common(20):
        print(f"  {c * 100 / max(n, 1):5.1f} %  {f}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
