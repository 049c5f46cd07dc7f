package org.openigc.certdc.connection;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.openigc.ca.CertificateFormats;
import org.openigc.certdc.CertDcSettings;
import org.openigc.certdc.trust.PlatformTrust;

/**
 * The connection kit (zip): a README with the web service URLs of both modes, the CA chain to trust, the CertDC
 * server certificate, the JSON schema of a deposit with an example, and a curl example.
 */
public final class ConnectionKit {
    private final CertDcSettings settings;
    private final ServerCertificates serverCertificates;
    private final PlatformTrust trust;
    private final long maxBody;

    public ConnectionKit(CertDcSettings settings, ServerCertificates serverCertificates, PlatformTrust trust,
                         long maxBody) {
        this.settings = settings;
        this.serverCertificates = serverCertificates;
        this.trust = trust;
        this.maxBody = maxBody;
    }

    public byte[] zip(List<InformationSystem> systems) {
        List<X509Certificate> server = serverCertificates.chain();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes, StandardCharsets.UTF_8)) {
            add(zip, "certdc-kit/README.txt", readme(systems, server).getBytes(StandardCharsets.UTF_8));
            if (!server.isEmpty()) {
                add(zip, "certdc-kit/certdc-server.pem", CertificateFormats.pem(server.getFirst()).getBytes(StandardCharsets.US_ASCII));
                add(zip, "certdc-kit/ca-chain.pem",
                        CertificateFormats.pem(server.subList(1, server.size())).getBytes(StandardCharsets.US_ASCII));
            }
            add(zip, "certdc-kit/openigc-cas.pem", CertificateFormats.pem(trust.all()).getBytes(StandardCharsets.US_ASCII));
            add(zip, "certdc-kit/deposit.schema.json", resource("deposit.schema.json"));
            add(zip, "certdc-kit/deposit-example.json", resource("deposit-example.json"));
            add(zip, "certdc-kit/curl-example.sh", curl().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    String readme(List<InformationSystem> systems, List<X509Certificate> server) {
        StringBuilder text = new StringBuilder();
        text.append("""
                CertDC — kit de raccordement / connection kit
                ============================================

                Passage de contexte : votre SI dépose les données nominatives d'un patient décédé ; un médecin
                déclarant de l'établissement les retrouve par IPP dans CertDC et commence le certificat de décès.
                Les données sont purgées automatiquement 96 heures (4 jours) après leur réception.

                """);
        for (InformationSystem system : systems) {
            text.append("SI : ").append(system.request().siName()).append(" (référence ").append(system.reference())
                    .append(", état ").append(system.status()).append(", mode ").append(system.mode()).append(")\n");
        }
        text.append("""

                1. Points d'accès du web service / web service endpoints
                ---------------------------------------------------------
                Mode « bac à sable » (sandbox) — tests, certificat ORG AUTH_CLI de l'IGC de TEST :
                  POST %s/certdc/ws/v1/deposits
                Mode « production » — données réelles, certificat ORG AUTH_CLI de l'IGC de PRODUCTION,
                après validation de votre demande de passage en production par l'administrateur CertDC :
                  POST %s/certdc/ws/v1/deposits

                Le mode enregistré est celui de votre SI dans CertDC (bac à sable jusqu'à la validation du passage en
                production). Le certificat présenté doit être celui de l'environnement de ce mode.

                2. Authentification / authentication
                ------------------------------------
                TLS mutuel (mutual TLS) avec le certificat ORG AUTH_CLI de votre structure émis par OpenIGC
                (OU = idNatStruct, 1 + FINESS, de la structure du SI ou d'un établissement rattaché). Le statut du
                certificat est vérifié par OCSP à chaque appel : un certificat révoqué est refusé dans la seconde.

                3. Certificats à approuver / certificates to trust
                -------------------------------------------------
                certdc-server.pem : le certificat serveur CertDC (celui que présente le web service)
                ca-chain.pem      : sa chaîne de certification (AC OpenIGC de PRODUCTION)
                openigc-cas.pem   : toutes les AC d'OpenIGC (TEST et PRODUCTION), y compris celles qui émettent
                                    vos certificats clients
                Lorsque le certificat serveur CertDC est renouvelé, chaque gestionnaire de SI est prévenu par courriel.

                4. Dépôt / deposit
                ------------------
                Content-Type: application/json ; taille maximale %d octets ; schéma : deposit.schema.json ;
                exemple : deposit-example.json. En-tête facultatif « Idempotency-Key » : le même dépôt envoyé deux
                fois avec la même clé n'est enregistré qu'une fois et reçoit la même réponse.
                Réponse 201 : {"id", "mode": "SANDBOX"|"PRODUCTION", "receivedAt", "expiresAt"} (expiresAt =
                receivedAt + 96 h). Erreurs : application/problem+json (RFC 9457) avec
                "errors": [{"field", "code", "message"}].

                5. Exemple curl / curl example : curl-example.sh
                """.formatted(settings.sandboxBaseUrl(), settings.productionBaseUrl(), maxBody));
        if (!server.isEmpty()) {
            text.append("\nEmpreinte SHA-256 du certificat serveur actuel : ").append(PlatformTrust.fingerprint(server.getFirst()))
                    .append("\n");
        }
        return text.toString();
    }


    private String curl() {
        return """
                #!/bin/sh
                # Dépôt en bac à sable avec le certificat ORG AUTH_CLI de TEST de votre SI (clé et certificat en PEM).
                # Sandbox deposit with your SI's TEST ORG AUTH_CLI certificate (key and certificate in PEM).
                curl -sS --fail-with-body \\
                  --cacert ca-chain.pem \\
                  --cert si-auth-cli.pem --key si-auth-cli.key \\
                  -H 'Content-Type: application/json' -H 'Accept: application/json' \\
                  -H "Idempotency-Key: $(cat /proc/sys/kernel/random/uuid 2>/dev/null || uuidgen)" \\
                  --data-binary @deposit-example.json \\
                  %s/certdc/ws/v1/deposits
                """.formatted(settings.sandboxBaseUrl());
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ConnectionKit.class.getResourceAsStream("/certdc/kit/" + name)) {
            if (in == null) {
                throw new IOException("missing kit resource " + name);
            }
            return in.readAllBytes();
        }
    }

    private static void add(ZipOutputStream zip, String name, byte[] content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content);
        zip.closeEntry();
    }
}
