package org.openigc.server.security;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.naming.InvalidNameException;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

import org.openigc.ca.CaKey;
import org.openigc.ca.CaRole;
import org.openigc.ca.Environment;
import org.openigc.ca.ProfileId;
import org.openigc.server.authority.CertificateAuthorities;
import org.openigc.server.authority.CertificateDigests;
import org.openigc.server.database.RoundTrip;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Decides whether a TLS client certificate is a card the platform accepts, and whose it is. Tomcat has already
 * checked the chain against <em>all</em> platform CAs; a card must in addition be signed by a PERSONNES CA (TEST or
 * PRODUCTION), be a CPX authentication certificate recorded ACTIVE by the platform (so a revoked one is refused at
 * once, without waiting for a CRL), be within its validity, and belong to a registered person whose card is
 * neither opposed nor expired.
 */
@Component
class CardAuthenticator {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private final CertificateAuthorities authorities;
    private final JdbcTemplate jdbc;
    private final UserDirectory directory;
    private final Clock clock;

    CardAuthenticator(CertificateAuthorities authorities, JdbcTemplate jdbc, UserDirectory directory, Clock clock) {
        this.authorities = authorities;
        this.jdbc = jdbc;
        this.directory = directory;
        this.clock = clock;
    }

    /** The outcome: a user, or a refusal code (message key) with what is known of the certificate. */
    record Result(OpenIgcUser user, String fingerprint, String idNatPs, String refusal) {
        boolean accepted() {
            return user != null;
        }
    }

    Result authenticate(X509Certificate[] chain) {
        X509Certificate card = chain[0];
        String fingerprint = fingerprint(card);
        if (personnesIssuerOf(card).isEmpty()) {
            return refused(fingerprint, null, "login.refused.notCard");
        }
        Date now = Date.from(clock.instant());
        if (now.before(card.getNotBefore()) || now.after(card.getNotAfter())) {
            return refused(fingerprint, null, "login.refused.certificateExpired");
        }
        // The platform's own record of the card (revoked, or never issued by this platform, means refused) and the
        // person it names, in one round trip; the person is only looked at once the card is accepted.
        String idNatPs = commonName(card.getSubjectX500Principal());
        List<String[]> recorded = new ArrayList<>(1);
        List<DirectoryEntry> person = new ArrayList<>(1);
        List<RoundTrip.Statement> reads = new ArrayList<>(2);
        reads.add(RoundTrip.Statement.query("select status, profile from certificate where fingerprint_sha256 = :fp",
                Map.of("fp", fingerprint), rs -> {
                    if (rs.next()) {
                        recorded.add(new String[] {rs.getString(1), rs.getString(2)});
                    }
                }));
        if (idNatPs != null) {
            reads.add(directory.byIdNatPs(idNatPs, person::add));
        }
        RoundTrip.run(jdbc, reads);
        if (recorded.isEmpty()) {
            return refused(fingerprint, null, "login.refused.unknownCertificate");
        }
        if (!ProfileId.CPX_AUTH.name().equals(recorded.getFirst()[1])) {
            return refused(fingerprint, null, "login.refused.notCard");
        }
        if (!"ACTIVE".equals(recorded.getFirst()[0])) {
            return refused(fingerprint, null, "login.refused.certificateRevoked");
        }
        if (idNatPs == null) {
            return refused(fingerprint, null, "login.refused.notCard");
        }
        if (person.isEmpty()) {
            return refused(fingerprint, idNatPs, "login.refused.unknownPerson");
        }
        String refusal = person.getFirst().cardRefusal(LocalDate.now(clock.withZone(PARIS)));
        if (refusal != null) {
            return refused(fingerprint, idNatPs, refusal);
        }
        return new Result(person.getFirst().toUser(true), fingerprint, idNatPs, null);
    }

    /** Signed by the TEST or PRODUCTION PERSONNES CA (checked by signature, not only by name). */
    private Optional<CaKey> personnesIssuerOf(X509Certificate certificate) {
        for (Environment environment : Environment.values()) {
            CaKey ca = authorities.ca(environment, CaRole.PERSONNES);
            if (ca != null && ca.certificate().getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
                try {
                    certificate.verify(ca.certificate().getPublicKey());
                    return Optional.of(ca);
                } catch (GeneralSecurityException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** The idNatPS: the CN of the card's multi-valued RDN {@code CN=<idNatPS>+SN=<nom>+GN=<prénom>}. */
    static String commonName(X500Principal subject) {
        try {
            List<Rdn> rdns = new LdapName(subject.getName(X500Principal.RFC2253)).getRdns();
            for (Rdn rdn : rdns) {
                Attribute cn = rdn.toAttributes().get("CN");
                if (cn != null && cn.get() instanceof String value && !value.isBlank()) {
                    return value;
                }
            }
            return null;
        } catch (InvalidNameException e) {
            return null;
        } catch (NamingException e) {
            return null;
        }
    }

    static String fingerprint(X509Certificate certificate) {
        try {
            return CertificateDigests.sha256(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Result refused(String fingerprint, String idNatPs, String code) {
        return new Result(null, fingerprint, idNatPs, code);
    }
}
