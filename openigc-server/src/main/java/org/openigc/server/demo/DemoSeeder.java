package org.openigc.server.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.openigc.ca.CaKey;
import org.openigc.ca.CaRole;
import org.openigc.ca.Environment;
import org.openigc.ca.IssuanceRequest;
import org.openigc.ca.KeyAlgorithm;
import org.openigc.ca.ProfileId;
import org.openigc.ca.SubjectData;
import org.openigc.server.authority.CertificateAuthorities;
import org.openigc.server.authority.CertificateDigests;
import org.openigc.server.authority.Channel;
import org.openigc.server.authority.IssuanceService;
import org.openigc.server.authority.IssuedCertificate;
import org.openigc.server.config.OpenIgcProperties;
import org.openigc.server.registry.Delegation;
import org.openigc.server.registry.Person;
import org.openigc.server.registry.PersonInput;
import org.openigc.server.registry.PlatformRole;
import org.openigc.server.registry.RegistryService;
import org.openigc.server.registry.RepresentativeRole;
import org.openigc.server.registry.Structure;
import org.openigc.server.registry.StructureInput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Demo mode: seeds the demo structures, contracts, personas and their rights through the registry (so the demo
 * data passes the same validation as real data), then gives each persona a real card certificate (CPX_AUTH from
 * the PRODUCTION PERSONNES CA, channel DEMO) written as {@code <data-dir>/demo/<persona>.p12}, password
 * {@code demo}. Idempotent: existing rows are kept, a missing or no longer valid P12 is reissued.
 */
@Component
@Order(10)
class DemoSeeder implements ApplicationRunner {
    static final char[] PASSWORD = "demo".toCharArray();
    private static final Logger log = LoggerFactory.getLogger(DemoSeeder.class);

    private final DemoMode demo;
    private final OpenIgcProperties properties;
    private final RegistryService registry;
    private final IssuanceService issuance;
    private final CertificateAuthorities authorities;
    private final TransactionTemplate transactions;
    private final JdbcClient jdbc;
    private final Clock clock;

    DemoSeeder(DemoMode demo, OpenIgcProperties properties, RegistryService registry, IssuanceService issuance,
               CertificateAuthorities authorities, TransactionTemplate transactions, JdbcClient jdbc, Clock clock) {
        this.demo = demo;
        this.properties = properties;
        this.registry = registry;
        this.issuance = issuance;
        this.authorities = authorities;
        this.transactions = transactions;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public void run(ApplicationArguments args) throws IOException {
        if (!demo.enabled()) {
            return;
        }
        transactions.executeWithoutResult(status -> {
            // One node seeds at a time when several share the database.
            jdbc.sql("select pg_advisory_xact_lock(:lock)").param("lock", 0x0FE1_6C00_DE30L).query().singleValue();
            seedRegistry();
        });
        Path directory = properties.demoDir();
        Files.createDirectories(directory);
        int issued = 0;
        for (DemoData.Persona persona : DemoData.PERSONAS) {
            Path file = directory.resolve(persona.name() + ".p12");
            if (!stillValid(file)) {
                writeCard(persona, file);
                issued++;
            }
        }
        Files.writeString(directory.resolve("README.txt"), DemoReadme.text(properties, directory), StandardCharsets.UTF_8);
        log.info("event=demo-ready personas={} cardsIssued={} directory={}", DemoData.PERSONAS.size(), issued, directory);
    }

    private void seedRegistry() {
        for (StructureInput input : DemoData.STRUCTURES) {
            String idNat = input.finess().isEmpty() ? "3" + input.siret() : "1" + input.finess();
            if (registry.structureByIdNatStruct(idNat).isEmpty()) {
                registry.createStructure(input);
            }
        }
        LocalDate today = LocalDate.now(clock);
        for (DemoData.DemoContract contract : DemoData.CONTRACTS) {
            Structure structure = registry.structureByFiness(contract.finess()).orElseThrow();
            if (registry.contractsOf(structure.id()).isEmpty()) {
                registry.addContract(structure.id(), contract.reference(), today.minusYears(1).toString(),
                        today.plusYears(4).toString());
            }
        }
        List<DemoData.Persona> people = new ArrayList<>(DemoData.PERSONAS);
        people.add(DemoData.CENTRE_DIRECTOR);
        for (DemoData.Persona persona : people) {
            if (registry.personByIdNatPs(persona.idNatPs()).isEmpty()) {
                registry.createPerson(new PersonInput(persona.cardNumber(), persona.cardType(), persona.idNatPs(),
                        persona.lastName(), persona.firstName(), persona.name() + "@demo.openigc.test", "01 23 45 67 89",
                        persona.profession(), "ACTIVE", "", persona.cardStructure()));
            }
        }
        registry.grantPlatformRole(person(DemoData.OPERATOR).id(), PlatformRole.OPERATOR, null);
        registry.grantPlatformRole(person(DemoData.REFERENT_IDF).id(), PlatformRole.REFERENT, "11");
        registry.grantPlatformRole(person(DemoData.AUDITOR).id(), PlatformRole.AUDITOR, null);
        Structure chu = registry.structureByIdNatStruct(DemoData.CHU_IDNAT).orElseThrow();
        Structure centre = registry.structureByFiness(DemoData.CENTRE_FINESS).orElseThrow();
        if (!registry.isLegalRepresentative(person(DemoData.LEGAL_CHU).id(), chu.id())) {
            registry.addRepresentative(chu.id(), person(DemoData.LEGAL_CHU).id(), RepresentativeRole.LEGAL_REPRESENTATIVE,
                    today.minusYears(1), null);
        }
        UUIDs director = new UUIDs(person(DemoData.CENTRE_DIRECTOR).id());
        if (!registry.isLegalRepresentative(director.id(), centre.id())) {
            registry.addRepresentative(centre.id(), director.id(), RepresentativeRole.LEGAL_REPRESENTATIVE,
                    today.minusYears(1), null);
        }
        for (DemoData.DemoHabilitation habilitation : DemoData.HABILITATIONS) {
            Person admin = person(habilitation.persona());
            Structure structure = registry.structureByIdNatStruct(habilitation.idNatStruct()).orElseThrow();
            if (!registry.canManage(admin.id(), structure.id(), habilitation.offer())) {
                registry.grantHabilitation(structure.id(), admin.id(), habilitation.offer(), habilitation.sslDomains(),
                        habilitation.smimeDomains(), null);
            }
        }
        Structure editor = registry.structureByIdNatStruct(DemoData.EDITOR_IDNAT).orElseThrow();
        boolean delegated = registry.delegationsOf(centre.id()).stream()
                .anyMatch(d -> d.editorStructureId().equals(editor.id()) && d.revokedAt() == null);
        if (!delegated) {
            Delegation created = registry.createDelegation(centre.id(), editor.idNatStruct(), director.id(),
                    today.plusYears(2).toString());
            log.info("event=demo-delegation-created delegation={}", created.id());
        }
    }

    private record UUIDs(java.util.UUID id) {
    }

    private Person person(DemoData.Persona persona) {
        return registry.personByIdNatPs(persona.idNatPs()).orElseThrow();
    }

    /** The P12 exists, opens with "demo", and holds a certificate the platform still has ACTIVE from its current CA. */
    private boolean stillValid(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD);
            String alias = store.aliases().nextElement();
            X509Certificate certificate = (X509Certificate) store.getCertificate(alias);
            certificate.verify(authorities.ca(Environment.PRODUCTION, CaRole.PERSONNES).certificate().getPublicKey());
            if (certificate.getNotAfter().toInstant().isBefore(clock.instant().plusSeconds(86_400))) {
                return false;
            }
            Optional<String> status = jdbc.sql("select status from certificate where fingerprint_sha256 = :fp")
                    .param("fp", CertificateDigests.sha256(certificate.getEncoded())).query(String.class).optional();
            return status.isPresent() && status.get().equals("ACTIVE");
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private void writeCard(DemoData.Persona persona, Path file) throws IOException {
        KeyPair keyPair = KeyAlgorithm.EC_P256.generate();
        IssuanceRequest request = IssuanceRequest.of(keyPair.getPublic(),
                SubjectData.cardHolder(persona.idNatPs(), persona.lastName(), persona.firstName(),
                        persona.profession().isEmpty() ? null : persona.profession()),
                clock.instant().minusSeconds(60));
        IssuedCertificate issued = transactions.execute(status ->
                issuance.issue(Environment.PRODUCTION, ProfileId.CPX_AUTH, request, Channel.DEMO));
        CaKey ca = authorities.ca(Environment.PRODUCTION, CaRole.PERSONNES);
        List<Certificate> chain = new ArrayList<>();
        chain.add(issued.certificate());
        chain.addAll(ca.chain());
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(persona.name(), keyPair.getPrivate(), PASSWORD, chain.toArray(Certificate[]::new));
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            try (OutputStream out = Files.newOutputStream(temporary)) {
                store.store(out, PASSWORD);
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the demo card of " + persona.name(), e);
        }
        log.info("event=demo-card-issued persona={} serial={}", persona.name(), issued.serialNumber());
    }
}
