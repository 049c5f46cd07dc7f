package org.openigc.certdc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.openigc.ca.verification.ClientCertificates;
import org.openigc.certdc.account.Account;
import org.openigc.certdc.account.AccountKind;
import org.openigc.certdc.account.AccountService;
import org.openigc.certdc.connection.ConnectionRequest;
import org.openigc.certdc.connection.SiRepository;
import org.openigc.certdc.connection.SiStatus;
import org.openigc.identifiers.IdNatPs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Demo data (SPEC §6): the demo university hospital's SI ("CHU DEMO", EJ 750712184 with its EG 750100018,
 * 750100026 and 920100047 attached), validated, in sandbox; the SI manager account {@code si-manager}; the CertDC
 * administrator {@code certdc-admin}; the declaring doctor persona {@code doctor} linked by the idNatPS of its card
 * ({@code <data-dir>/demo/doctor.p12}, written by the platform's demo seeding — retried until it exists) and the
 * persona {@code operator}'s card as administrator; a "CertDC" section in {@code <data-dir>/demo/README.txt}.
 */
public final class CertDcDemo {
    public static final String SI_REFERENCE = "SI-DEMO-CHU";
    public static final String STRUCTURE = "1750712184";
    public static final String MANAGER = "si-manager";
    public static final String MANAGER_PASSWORD = "Demo-SI-manager-1";
    public static final String ADMIN = "certdc-admin";
    public static final String ADMIN_PASSWORD = "Demo-CertDC-admin-1";
    public static final String DOCTOR_PASSWORD = "Demo-Docteur-1";
    public static final List<ConnectionRequest.Establishment> ESTABLISHMENTS = List.of(
            new ConnectionRequest.Establishment("750712184", "EJ", "CHU DEMO"),
            new ConnectionRequest.Establishment("750100018", "EG", "CHU DEMO - Hôpital Nord"),
            new ConnectionRequest.Establishment("750100026", "EG", "CHU DEMO - Hôpital Sud"),
            new ConnectionRequest.Establishment("920100047", "EG", "CHU DEMO - Hôpital des Hauts-de-Seine"));
    static final String README_MARKER = "== CertDC ==";
    private static final long LOCK = 0x0CE2_7DC0_0003L;
    private static final Logger log = LoggerFactory.getLogger(CertDcDemo.class);

    private final CertDcSettings settings;
    private final AccountService accounts;
    private final SiRepository systems;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private volatile String doctorLogin;
    private volatile boolean operatorLinked;

    public CertDcDemo(CertDcSettings settings, AccountService accounts, SiRepository systems, JdbcClient jdbc,
                      TransactionTemplate transactions, Clock clock) {
        this.settings = settings;
        this.accounts = accounts;
        this.systems = systems;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Seeds what does not exist yet; links the personas whose cards exist; (re)writes the README section. */
    public synchronized boolean seed() {
        transactions.executeWithoutResult(status -> {
            jdbc.sql("select pg_advisory_xact_lock(:lock)").param("lock", LOCK).query().singleValue();
            accounts.ensure(ADMIN, AccountKind.ADMIN, "Administrateur CertDC (démo)", "certdc-admin@openigc.example",
                    null, ADMIN_PASSWORD);
            Account manager = accounts.ensure(MANAGER, AccountKind.SI_MANAGER, "Camille GESTIONNAIRE",
                    "si-manager@chu-demo.example", null, MANAGER_PASSWORD);
            if (systems.byReference(SI_REFERENCE).isEmpty()) {
                UUID id = UUID.randomUUID();
                systems.insert(id, SI_REFERENCE, STRUCTURE, new ConnectionRequest(
                        new ConnectionRequest.Requester("GESTIONNAIRE", "Camille", "Responsable du SI patient",
                                "si-manager@chu-demo.example", "01 40 00 00 00", "1 place du CHU", "75013", "Paris"),
                        "DPI CHU DEMO", "2026.1", "SI de démonstration", ESTABLISHMENTS), manager.id(), clock.instant());
                systems.transition(id, SiStatus.PENDING, SiStatus.VALIDATED, null, "demo", clock.instant());
                log.info("event=certdc-demo-si-seeded reference={} structure={}", SI_REFERENCE, STRUCTURE);
            }
            if (doctorLogin == null) {
                doctorLogin = card("doctor").map(this::linkDoctor).orElse(null);
            }
            if (!operatorLinked) {
                operatorLinked = card("operator").map(this::linkOperator).orElse(false);
            }
        });
        writeReadme();
        return doctorLogin != null;
    }

    private String linkDoctor(X509Certificate card) {
        IdNatPs idNatPs = ClientCertificates.cardHolderOf(card);
        String[] names = ClientCertificates.cardHolderNames(card).orElse(new String[] {"DOCTEUR", "Démo"});
        Optional<Account> existing = accounts.repository().byIdNatPs(idNatPs.format());
        Account doctor = existing.orElseGet(() -> accounts.ensure(
                idNatPs.typeDigit() == IdNatPs.RPPS ? idNatPs.identifier() : "doctor", AccountKind.DOCTOR,
                names[1] + " " + names[0], "doctor@chu-demo.example", idNatPs.format(), DOCTOR_PASSWORD));
        accounts.repository().linkEstablishments(doctor.id(),
                ESTABLISHMENTS.stream().map(ConnectionRequest.Establishment::number).toList());
        log.info("event=certdc-demo-doctor-linked account={} establishments={}", doctor.id(), ESTABLISHMENTS.size());
        return doctor.login();
    }

    private boolean linkOperator(X509Certificate card) {
        IdNatPs idNatPs = ClientCertificates.cardHolderOf(card);
        if (accounts.repository().byIdNatPs(idNatPs.format()).isEmpty()) {
            accounts.ensure("operator", AccountKind.ADMIN, "Opérateur (démo)", "operator@openigc.example",
                    idNatPs.format(), null);
        }
        return true;
    }

    /** The persona's card certificate, once the platform's demo seeding has written it. */
    private Optional<X509Certificate> card(String persona) {
        Path file = settings.demoDir().resolve(persona + ".p12");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, "demo".toCharArray());
            for (String alias : Collections.list(store.aliases())) {
                if (store.getCertificate(alias) instanceof X509Certificate certificate) {
                    ClientCertificates.cardHolderOf(certificate);
                    return Optional.of(certificate);
                }
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            log.warn("event=certdc-demo-card-unreadable persona={} reason=\"{}\"", persona, e.getMessage());
        }
        return Optional.empty();
    }

    /** Replaces (or appends) the "CertDC" section of the demo README, leaving the rest of the file as it is. */
    public void writeReadme() {
        Path readme = settings.demoDir().resolve("README.txt");
        try {
            Files.createDirectories(readme.getParent());
            String current = Files.exists(readme) ? Files.readString(readme, StandardCharsets.UTF_8) : "";
            int start = current.indexOf(README_MARKER);
            String before = start < 0 ? current : current.substring(0, start);
            String after = "";
            if (start >= 0) {
                int next = current.indexOf("\n== ", start + README_MARKER.length());
                after = next < 0 ? "" : current.substring(next + 1);
            }
            String section = section();
            String updated = (before.isEmpty() || before.endsWith("\n\n") ? before
                    : before.endsWith("\n") ? before + "\n" : before + "\n\n") + section + (after.isEmpty() ? "" : "\n" + after);
            if (!updated.equals(current)) {
                Files.writeString(readme, updated, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            log.warn("event=certdc-demo-readme-failed reason=\"{}\"", e.getMessage());
        }
    }

    private String section() {
        String base = settings.publicBaseUrl();
        return README_MARKER + "\n"
                + "CertDC context passing: " + base + "/certdc\n"
                + "  SI manager (gestionnaire du SI)  login " + MANAGER + "  password " + MANAGER_PASSWORD + "\n"
                + "      SI \"CHU DEMO\" (reference " + SI_REFERENCE + ", structure " + STRUCTURE
                + "), EJ 750712184 + EG 750100018, 750100026, 920100047; validated, sandbox mode\n"
                + "  CertDC administrator             login " + ADMIN + "  password " + ADMIN_PASSWORD
                + (operatorLinked ? "  (the card of persona operator works too)" : "") + "\n"
                + "  declaring doctor (médecin déclarant)  card of persona doctor (doctor.p12, password demo)"
                + (doctorLogin != null ? "; or login " + doctorLogin + "  password " + DOCTOR_PASSWORD
                : "; linked as soon as doctor.p12 exists") + "\n"
                + "  web service (sandbox): POST " + settings.sandboxBaseUrl()
                + "/certdc/ws/v1/deposits over mutual TLS with a TEST ORG AUTH_CLI certificate whose OU is "
                + STRUCTURE + "\n"
                + "  doctors' API: GET " + base + "/certdc/api/v1/deposits?ipp=<IPP> with the doctor's card\n";
    }
}
