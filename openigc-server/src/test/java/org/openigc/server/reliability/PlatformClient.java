package org.openigc.server.reliability;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/** A client of one platform process: a demo persona's card over real TLS, CSR orders, tracking, OCSP. */
final class PlatformClient {
    static final String CHU = "1750712184";
    static final ObjectMapper JSON = new ObjectMapper();

    private final ServerProcess server;
    private final HttpClient card;
    private final HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final X509Certificate root;

    PlatformClient(ServerProcess server, String persona) {
        this.server = server;
        this.root = certificate(get(server.http("/ca/prod-root.crt")));
        this.card = cardClient(server.dataDir().resolve("demo").resolve(persona + ".p12"), root);
    }

    /** A fresh P-256 key and its PKCS#10 (the subject is ignored by the platform). */
    static String csr() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            var request = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=ignored"), pair.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
            StringWriter pem = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
                writer.writeObject(request);
            }
            return pem.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * An order whose service applicatif is named after the actor: orders never succeed one another, so each keeps its
     * own expiry notices (a newer certificate of the same service applicatif would silence the older one).
     */
    static ObjectNode order(String actorEmail) {
        ObjectNode body = JSON.createObjectNode();
        body.put("environment", "PRODUCTION").put("offer", "ORG").put("usage", "AUTH_CLI").put("structure", CHU)
                .put("serviceApplicatif", "SI " + actorEmail.substring(0, actorEmail.indexOf('@')))
                .put("actorEmail", actorEmail)
                .put("termsAccepted", true).put("revocationCode", "code-secret-42").put("csr", csr());
        return body;
    }

    HttpResponse<String> postJson(String path, Object body) throws IOException, InterruptedException {
        return card.send(HttpRequest.newBuilder(URI.create(server.https(path))).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> getJson(String path) throws IOException, InterruptedException {
        return card.send(HttpRequest.newBuilder(URI.create(server.https(path))).timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    byte[] get(String url) {
        try {
            HttpResponse<byte[]> response = plain.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new AssertionError("GET " + url + " answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The OCSP status of a certificate as this node answers it: "good", "revoked:<reason>" or "unknown". */
    String ocsp(X509Certificate issuer, BigInteger serial) {
        try {
            CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build()
                    .get(CertificateID.HASH_SHA1), new X509CertificateHolder(issuer.getEncoded()), serial);
            byte[] request = new OCSPReqBuilder().addRequest(id).build().getEncoded();
            HttpResponse<byte[]> response = plain.send(HttpRequest.newBuilder(URI.create(server.http("/ocsp")))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/ocsp-request")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(request)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new AssertionError("OCSP answered HTTP " + response.statusCode());
            }
            OCSPResp ocsp = new OCSPResp(response.body());
            if (ocsp.getStatus() != OCSPResp.SUCCESSFUL) {
                throw new AssertionError("OCSP response status " + ocsp.getStatus());
            }
            CertificateStatus status = ((BasicOCSPResp) ocsp.getResponseObject()).getResponses()[0].getCertStatus();
            if (status == CertificateStatus.GOOD) {
                return "good";
            }
            if (status instanceof RevokedStatus revoked) {
                return "revoked:" + (revoked.hasRevocationReason() ? revoked.getRevocationReason() : "none");
            }
            return "unknown";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static X509Certificate certificate(byte[] encoded) {
        try (InputStream in = new ByteArrayInputStream(encoded)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static HttpClient cardClient(Path p12, X509Certificate root) {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(p12)) {
                keys.load(in, "demo".toCharArray());
            }
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("root", root);
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, "demo".toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
            return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5))
                    .followRedirects(HttpClient.Redirect.NEVER).build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
