package org.openigc.server.acme;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import jakarta.servlet.http.HttpServletRequest;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.openigc.ca.CertificateFormats;
import org.openigc.ca.Environment;
import org.openigc.server.authority.Channel;
import org.openigc.server.certificates.CertificateService;
import org.openigc.server.certificates.CertificateView;
import org.openigc.server.certificates.OrderException;
import org.openigc.server.certificates.OrderRequest;
import org.openigc.server.certificates.Requester;
import org.openigc.server.certificates.StructureDirectory;
import org.openigc.ca.Offer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * RFC 8555 for SERV SSL_SERVEUR at {@code /acme/serv-ssl-serveur/} (PRODUCTION) and {@code /acme/test-serv-ssl-serveur/}:
 * external account binding required, JWS ES256/ES384/RS256 checked with nimbus-jose-jwt, http-01, finalize through the
 * same checks as a portal order (names approved in the structure's 413), certificate with chain, revokeCert.
 * Accounts, nonces, orders and authorizations are stored in PostgreSQL ({@link AcmeStore}): nodes sharing the database
 * serve the same clients and a restart loses nothing.
 */
@RestController
@EnableConfigurationProperties(AcmeProperties.class)
class AcmeController {
    private static final Logger log = LoggerFactory.getLogger(AcmeController.class);
    private static final String ERROR = "urn:ietf:params:acme:error:";
    private static final MediaType PROBLEM = MediaType.parseMediaType("application/problem+json");
    private static final List<String> REASONS = List.of("unspecified", "keyCompromise", "cACompromise",
            "affiliationChanged", "superseded", "cessationOfOperation");

    private final JdbcClient jdbc;
    private final AcmeEab eab;
    private final CertificateService certificates;
    private final StructureDirectory directory;
    private final AcmeProperties properties;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final AcmeStore store;

    AcmeController(JdbcClient jdbc, AcmeEab eab, CertificateService certificates, StructureDirectory directory,
                   AcmeProperties properties, TransactionTemplate transactions, Clock clock, AcmeStore store) {
        this.jdbc = jdbc;
        this.eab = eab;
        this.certificates = certificates;
        this.directory = directory;
        this.properties = properties;
        this.transactions = transactions;
        this.clock = clock;
        this.store = store;
    }

    record Account(UUID id, JWK jwk, String eabKid, String contact, String status) {
    }

    /** A verified request: the account (null for newAccount/revokeCert by certificate key), its key and the payload. */
    record Signed(Account account, JWK jwk, String payload, String url) {
    }

    // ---------------------------------------------------------------- directory and nonces

    @RequestMapping(path = "/acme/{label}/directory", method = RequestMethod.GET)
    ResponseEntity<Object> directory(@PathVariable String label, HttpServletRequest request) {
        environment(label);
        String base = base(request, label);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("newNonce", base + "/new-nonce");
        body.put("newAccount", base + "/new-account");
        body.put("newOrder", base + "/new-order");
        body.put("revokeCert", base + "/revoke-cert");
        body.put("keyChange", base + "/key-change");
        body.put("meta", Map.of("externalAccountRequired", true));
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
    }

    @RequestMapping(path = "/acme/{label}/new-nonce", method = {RequestMethod.HEAD, RequestMethod.GET})
    ResponseEntity<Void> newNonce(@PathVariable String label, HttpServletRequest request) {
        environment(label);
        return ResponseEntity.status("GET".equals(request.getMethod()) ? 204 : 200).header("Replay-Nonce", nonce())
                .header(HttpHeaders.CACHE_CONTROL, "no-store").header("Link", "<" + base(request, label)
                        + "/directory>;rel=\"index\"").build();
    }

    // ---------------------------------------------------------------- accounts

    @RequestMapping(path = "/acme/{label}/new-account", method = RequestMethod.POST)
    ResponseEntity<Object> newAccount(@PathVariable String label, @RequestBody(required = false) byte[] body,
                                      HttpServletRequest request) {
        Environment environment = environment(label);
        Signed signed = verify(body, request, true);
        Map<String, Object> payload = json(signed.payload());
        String thumbprint = thumbprint(signed.jwk());
        Optional<Account> existing = accountByThumbprint(thumbprint);
        if (existing.isPresent()) {
            return reply(200, request, label).header(HttpHeaders.LOCATION, accountUrl(request, label, existing.get().id()))
                    .body(accountJson(existing.get()));
        }
        if (Boolean.TRUE.equals(payload.get("onlyReturnExisting"))) {
            throw new AcmeProblem("accountDoesNotExist", 400, "no account for this key");
        }
        Object binding = payload.get("externalAccountBinding");
        if (!(binding instanceof Map<?, ?> eabJws)) {
            throw new AcmeProblem("externalAccountRequired", 400,
                    "an external account binding (kid and HMAC key from the portal) is required");
        }
        AcmeEab.Binding credential = verifyBinding(eabJws, signed, environment);
        String contact = null;
        if (payload.get("contact") instanceof List<?> contacts && !contacts.isEmpty()) {
            contact = String.valueOf(contacts.getFirst());
            if (!contact.startsWith("mailto:")) {
                throw new AcmeProblem("unsupportedContact", 400, "only mailto: contacts are supported");
            }
        }
        UUID id = UUID.randomUUID();
        String contactValue = contact;
        Integer bound = transactions.execute(status -> {
            int updated = jdbc.sql("update acme_eab set account_id = :id where kid = :kid and account_id is null")
                    .param("id", id).param("kid", credential.kid()).update();
            if (updated == 1) {
                jdbc.sql("""
                        insert into acme_account (id, thumbprint, jwk, eab_kid, contact, status, created_at)
                        values (:id, :thumbprint, :jwk, :kid, :contact, 'valid', :at)
                        """).param("id", id).param("thumbprint", thumbprint).param("jwk", signed.jwk().toJSONString())
                        .param("kid", credential.kid()).param("contact", contactValue)
                        .param("at", Timestamp.from(clock.instant())).update();
            }
            return updated;
        });
        if (bound == null || bound != 1) {
            throw AcmeProblem.unauthorized("this external account binding is already bound to another account");
        }
        Account account = new Account(id, signed.jwk(), credential.kid(), contact, "valid");
        return reply(201, request, label).header(HttpHeaders.LOCATION, accountUrl(request, label, id)).body(accountJson(account));
    }

    @RequestMapping(path = "/acme/{label}/acct/{id}", method = RequestMethod.POST)
    ResponseEntity<Object> account(@PathVariable String label, @PathVariable String id, @RequestBody(required = false) byte[] body,
                                   HttpServletRequest request) {
        environment(label);
        Signed signed = verify(body, request, false);
        if (!signed.account().id().toString().equals(id)) {
            throw AcmeProblem.unauthorized("not your account");
        }
        Map<String, Object> payload = signed.payload().isEmpty() ? Map.of() : json(signed.payload());
        Account account = signed.account();
        // RFC 8555 §7.3.2: other status values, like contact changes, are ignored
        if ("deactivated".equals(payload.get("status"))) {
            deactivate(account.id());
            account = new Account(account.id(), account.jwk(), account.eabKid(), account.contact(), "deactivated");
        }
        return reply(200, request, label).body(accountJson(account));
    }

    private void deactivate(UUID accountId) {
        transactions.executeWithoutResult(status -> {
            jdbc.sql("update acme_account set status = 'deactivated', deactivated_at = :at where id = :id and status = 'valid'")
                    .param("at", Timestamp.from(clock.instant())).param("id", accountId).update();
            store.accountDeactivated(accountId);
        });
    }

    /**
     * RFC 8555 §7.3.5: the outer JWS is signed by the current key (kid), its payload is a JWS signed by the new key
     * (jwk) with the same url, no nonce, and {@code {"account": <account url>, "oldKey": <current jwk>}}. A new key
     * already used by an account is a 409 with that account's Location.
     */
    @RequestMapping(path = "/acme/{label}/key-change", method = RequestMethod.POST)
    ResponseEntity<Object> keyChange(@PathVariable String label, @RequestBody(required = false) byte[] body,
                                     HttpServletRequest request) {
        environment(label);
        Signed signed = verify(body, request, false);
        Map<String, Object> flattened = json(signed.payload());
        JWSObject inner = AcmeJws.flattened(flattened);
        if (!AcmeJws.ALGORITHMS.contains(inner.getHeader().getAlgorithm())) {
            throw new AcmeProblem("badSignatureAlgorithm", 400, "inner JWS: allowed algorithms: ES256, ES384, RS256");
        }
        JWK newKey = inner.getHeader().getJWK();
        if (newKey == null || inner.getHeader().getKeyID() != null) {
            throw AcmeProblem.malformed("inner JWS: the new key is given as jwk (and no kid)");
        }
        if (newKey.isPrivate()) {
            throw AcmeProblem.malformed("inner JWS: the jwk must be a public key");
        }
        if (inner.getHeader().getCustomParam("nonce") != null) {
            throw AcmeProblem.malformed("inner JWS: must not carry a nonce");
        }
        if (!signed.url().equals(inner.getHeader().getCustomParam("url"))) {
            throw AcmeProblem.malformed("inner JWS: url must equal the outer JWS url");
        }
        if (!verifies(inner, newKey)) {
            throw AcmeProblem.malformed("inner JWS: the signature does not verify with the new key");
        }
        Map<String, Object> payload = json(inner.getPayload().toString());
        String accountUrl = accountUrl(request, label, signed.account().id());
        if (!accountUrl.equals(payload.get("account"))) {
            throw AcmeProblem.unauthorized("inner JWS: account must be the URL of the account signing the request");
        }
        JWK oldKey;
        try {
            oldKey = payload.get("oldKey") instanceof Map<?, ?> map ? JWK.parse(JSONObjectUtils.toJSONString(cast(map))) : null;
        } catch (java.text.ParseException e) {
            oldKey = null;
        }
        String current = thumbprint(signed.account().jwk());
        if (oldKey == null || !thumbprint(oldKey).equals(current)) {
            throw AcmeProblem.unauthorized("inner JWS: oldKey is not the account's current key");
        }
        String next = thumbprint(newKey);
        Optional<Account> holder = accountByThumbprint(next);
        if (holder.isPresent()) {
            return conflict(request, label, holder.get().id());
        }
        int updated;
        try {
            updated = jdbc.sql("update acme_account set jwk = :jwk, thumbprint = :next where id = :id and thumbprint = :current")
                    .param("jwk", newKey.toPublicJWK().toJSONString()).param("next", next)
                    .param("id", signed.account().id()).param("current", current).update();
        } catch (org.springframework.dao.DuplicateKeyException e) {
            return conflict(request, label, accountByThumbprint(next).map(Account::id).orElse(signed.account().id()));
        }
        if (updated != 1) {
            throw AcmeProblem.unauthorized("the account key changed meanwhile");
        }
        log.info("ACME account {} changed its key", signed.account().id());
        Account account = accountByUrl(accountUrl).orElseThrow();
        return reply(200, request, label).header(HttpHeaders.LOCATION, accountUrl).body(accountJson(account));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    private ResponseEntity<Object> conflict(HttpServletRequest request, String label, UUID holder) {
        return reply(409, request, label).header(HttpHeaders.LOCATION, accountUrl(request, label, holder))
                .contentType(PROBLEM).body(Map.of("type", ERROR + "malformed", "status", 409,
                        "detail", "the new key is already the key of an account"));
    }

    // ---------------------------------------------------------------- orders

    @RequestMapping(path = "/acme/{label}/new-order", method = RequestMethod.POST)
    ResponseEntity<Object> newOrder(@PathVariable String label, @RequestBody(required = false) byte[] body,
                                    HttpServletRequest request) {
        environment(label);
        Signed signed = verify(body, request, false);
        Map<String, Object> payload = json(signed.payload());
        if (!(payload.get("identifiers") instanceof List<?> identifiers) || identifiers.isEmpty() || identifiers.size() > 20) {
            throw AcmeProblem.malformed("identifiers: 1 to 20 DNS names");
        }
        AcmeEab.Binding binding = binding(signed.account());
        List<String> approved = directory.mandate(binding.createdBy(), binding.structureId(), Offer.SERV)
                .map(StructureDirectory.Mandate::sslDomains).orElse(List.of());
        TreeSet<String> names = new TreeSet<>();
        for (Object identifier : identifiers) {
            if (!(identifier instanceof Map<?, ?> map) || !"dns".equals(map.get("type")) || !(map.get("value") instanceof String value)) {
                throw new AcmeProblem("unsupportedIdentifier", 400, "only dns identifiers are supported");
            }
            String name = value.toLowerCase(Locale.ROOT);
            if (name.startsWith("*.") || !withinApproved(name, approved)) {
                throw new AcmeProblem("rejectedIdentifier", 400, "the name " + value
                        + " is not within the domains approved for the structure (form 413)");
            }
            names.add(name);
        }
        AcmeStore.Order order = store.createOrder(signed.account().id(), label, List.copyOf(names));
        return reply(201, request, label).header(HttpHeaders.LOCATION, base(request, label) + "/order/" + order.id())
                .body(orderJson(request, order));
    }

    @RequestMapping(path = "/acme/{label}/order/{id}", method = RequestMethod.POST)
    ResponseEntity<Object> order(@PathVariable String label, @PathVariable String id, @RequestBody(required = false) byte[] body,
                                 HttpServletRequest request) {
        environment(label);
        Signed signed = verify(body, request, false);
        AcmeStore.Order order = owned(store.order(id), signed, AcmeStore.Order::accountId);
        return reply(200, request, label).body(orderJson(request, order));
    }

    @RequestMapping(path = "/acme/{label}/authz/{id}", method = RequestMethod.POST)
    ResponseEntity<Object> authz(@PathVariable String label, @PathVariable String id, @RequestBody(required = false) byte[] body,
                                 HttpServletRequest request) {
        environment(label);
        Signed signed = verify(body, request, false);
        AcmeStore.Authz authz = owned(store.authz(id), signed, AcmeStore.Authz::accountId);
        return reply(200, request, label).body(authzJson(request, label, authz));
    }

    @RequestMapping(path = "/acme/{label}/chall/{id}", method = RequestMethod.POST)
    ResponseEntity<Object> challenge(@PathVariable String label, @PathVariable String id, @RequestBody(required = false) byte[] body,
                                     HttpServletRequest request) {
        environment(label);
        Signed signed = verify(body, request, false);
        AcmeStore.Authz authz = owned(store.authz(id), signed, AcmeStore.Authz::accountId);
        if (!signed.payload().isEmpty() && store.startValidation(authz.id())) {
            String error = validate(authz, thumbprint(signed.account().jwk()));
            store.validationResult(authz.id(), error == null, error);
            authz = store.authz(id).orElseThrow();
        }
        return reply(200, request, label).header("Link", "<" + base(request, label) + "/authz/" + authz.id() + ">;rel=\"up\"")
                .body(challengeJson(request, label, authz));
    }

    @RequestMapping(path = "/acme/{label}/order/{id}/finalize", method = RequestMethod.POST)
    ResponseEntity<Object> finalizeOrder(@PathVariable String label, @PathVariable String id,
                                         @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        Environment environment = environment(label);
        Signed signed = verify(body, request, false);
        AcmeStore.Order order = owned(store.order(id), signed, AcmeStore.Order::accountId);
        if (!"ready".equals(order.status())) {
            throw new AcmeProblem("orderNotReady", 403, "the order is " + order.status()
                    + (clock.instant().isBefore(order.expires()) ? "" : " (expired " + order.expires() + ")"));
        }
        Map<String, Object> payload = json(signed.payload());
        byte[] der;
        PKCS10CertificationRequest csr;
        try {
            der = Base64.getUrlDecoder().decode(String.valueOf(payload.get("csr")));
            csr = new PKCS10CertificationRequest(der);
        } catch (Exception e) {
            throw new AcmeProblem("badCSR", 400, "the CSR cannot be parsed");
        }
        if (!new TreeSet<>(order.names()).equals(csrNames(csr))) {
            throw new AcmeProblem("badCSR", 400, "the CSR names " + csrNames(csr) + " differ from the order's " + order.names());
        }
        AcmeEab.Binding binding = binding(signed.account());
        String actorEmail = signed.account().contact() != null ? signed.account().contact().substring(7)
                : binding.actorEmail() != null ? binding.actorEmail() : "acme@" + order.names().getFirst();
        String pem = "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der)
                + "\n-----END CERTIFICATE REQUEST-----\n";
        OrderRequest orderRequest = new OrderRequest(environment.name(), "SERV", "SSL_SERVEUR", binding.idNatStruct(),
                order.names().getFirst(), order.names(), actorEmail, null, pem, null, true, null);
        Requester requester = new Requester(binding.createdBy(), "ACME", true, false);
        if (!store.startFinalization(order.id())) {
            throw new AcmeProblem("orderNotReady", 403, "the order is already being finalized");
        }
        boolean done = false;
        try {
            CertificateView view = transactions.execute(status -> {
                CertificateView issued = certificates.issueForAutomation(requester, orderRequest, Channel.ACME);
                jdbc.sql("insert into acme_certificate (certificate_id, account_id) values (:c, :a)")
                        .param("c", issued.id()).param("a", signed.account().id()).update();
                // in the issuance's transaction: an order is valid exactly when its certificate exists
                store.finalized(order.id(), issued.id());
                return issued;
            });
            done = view != null;
        } catch (OrderException e) {
            throw new AcmeProblem("badCSR", 400, e.violations().isEmpty() ? e.getMessage()
                    : e.violations().getFirst().code() + ": " + e.violations().getFirst().message());
        } finally {
            if (!done) {
                store.finalizationRefused(order.id());
            }
        }
        return reply(200, request, label).header(HttpHeaders.LOCATION, base(request, label) + "/order/" + order.id())
                .body(orderJson(request, store.order(order.id()).orElseThrow()));
    }

    @RequestMapping(path = "/acme/{label}/cert/{id}", method = RequestMethod.POST)
    ResponseEntity<Object> certificate(@PathVariable String label, @PathVariable String id,
                                       @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        environment(label);
        Signed signed = verify(body, request, false);
        AcmeStore.Order order = owned(store.order(id), signed, AcmeStore.Order::accountId);
        if (order.certificateId() == null) {
            throw new AcmeProblem("malformed", 404, "no certificate for this order");
        }
        List<X509Certificate> chain = new ArrayList<>(certificates.chainForAutomation(order.certificateId()));
        // the root is a trust anchor: not sent
        if (chain.size() > 2) {
            chain.removeLast();
        }
        return reply(200, request, label).contentType(MediaType.parseMediaType("application/pem-certificate-chain"))
                .body(CertificateFormats.pem(chain));
    }

    @RequestMapping(path = "/acme/{label}/revoke-cert", method = RequestMethod.POST)
    ResponseEntity<Object> revoke(@PathVariable String label, @RequestBody(required = false) byte[] body,
                                  HttpServletRequest request) {
        environment(label);
        Signed signed = verify(body, request, false);
        Map<String, Object> payload = json(signed.payload());
        X509Certificate certificate;
        try {
            byte[] der = Base64.getUrlDecoder().decode(String.valueOf(payload.get("certificate")));
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(der));
        } catch (Exception e) {
            throw AcmeProblem.malformed("certificate: base64url DER expected");
        }
        int code = payload.get("reason") instanceof Number n ? n.intValue() : 0;
        if (code < 0 || code >= REASONS.size() || code == 2) {
            throw new AcmeProblem("badRevocationReason", 400, "reasons: 0, 1, 3, 4, 5");
        }
        UUID id = jdbc.sql("select id from certificate where serial_number = :serial and der = :der")
                .param("serial", certificate.getSerialNumber().toString(16)).param("der", encoded(certificate))
                .query(UUID.class).optional().orElseThrow(() -> AcmeProblem.unauthorized("unknown certificate"));
        Requester requester;
        if (signed.account() != null) {
            boolean owns = jdbc.sql("select exists (select 1 from acme_certificate where certificate_id = :c and account_id = :a)")
                    .param("c", id).param("a", signed.account().id()).query(Boolean.class).single();
            if (!owns) {
                throw AcmeProblem.unauthorized("this account did not obtain this certificate");
            }
            requester = new Requester(binding(signed.account()).createdBy(), "ACME", true, false);
        } else {
            PublicKey key;
            try {
                key = switch (signed.jwk()) {
                    case ECKey ec -> ec.toPublicKey();
                    case RSAKey rsa -> rsa.toPublicKey();
                    default -> null;
                };
            } catch (com.nimbusds.jose.JOSEException e) {
                key = null;
            }
            if (key == null || !java.util.Arrays.equals(key.getEncoded(), certificate.getPublicKey().getEncoded())) {
                throw AcmeProblem.unauthorized("signed neither by the account nor by the certificate's key");
            }
            requester = new Requester(null, "ACME (certificate key)", true, true);
        }
        try {
            certificates.revoke(requester, id, REASONS.get(code));
        } catch (OrderException e) {
            if (e.violations().stream().anyMatch(v -> "alreadyRevoked".equals(v.code()))) {
                throw new AcmeProblem("alreadyRevoked", 400, "the certificate is already revoked");
            }
            throw AcmeProblem.unauthorized(e.getMessage());
        }
        return reply(200, request, label).build();
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw AcmeProblem.malformed("bad certificate");
        }
    }

    // ---------------------------------------------------------------- helpers

    private Environment environment(String label) {
        return switch (label) {
            // "serv-ssl": the short alias issue 8 uses, as for EST
            case "serv-ssl-serveur", "serv-ssl" -> Environment.PRODUCTION;
            case "test-serv-ssl-serveur", "test-serv-ssl" -> Environment.TEST;
            default -> throw new AcmeProblem("malformed", 404, "ACME serves SERV SSL_SERVEUR only: /acme/serv-ssl-serveur/directory");
        };
    }

    private static String base(HttpServletRequest request, String label) {
        String url = request.getRequestURL().toString();
        return url.substring(0, url.indexOf("/acme/") + 6) + label;
    }

    private static String accountUrl(HttpServletRequest request, String label, UUID id) {
        return base(request, label) + "/acct/" + id;
    }

    private String nonce() {
        return store.newNonce();
    }

    private ResponseEntity.BodyBuilder reply(int status, HttpServletRequest request, String label) {
        return ResponseEntity.status(status).header("Replay-Nonce", nonce()).header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("Link", "<" + base(request, label) + "/directory>;rel=\"index\"");
    }

    private static Map<String, Object> json(String text) {
        return AcmeJws.json(text);
    }

    private static String thumbprint(JWK jwk) {
        try {
            return jwk.computeThumbprint().toString();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw AcmeProblem.malformed("cannot compute the JWK thumbprint");
        }
    }

    /** RFC 8555 §6.2: flattened JWS, nonce consumed, url equal to the request's, key jwk (newAccount) or kid. */
    Signed verify(byte[] body, HttpServletRequest request, boolean jwkRequired) {
        JWSObject jws = AcmeJws.parse(body, request.getContentType());
        Object nonce = jws.getHeader().getCustomParam("nonce");
        if (!(nonce instanceof String n) || !store.consumeNonce(n)) {
            throw new AcmeProblem("badNonce", 400, "unknown or already used nonce");
        }
        Object url = jws.getHeader().getCustomParam("url");
        if (!request.getRequestURL().toString().equals(url)) {
            throw AcmeProblem.unauthorized("the JWS url header does not match the request URL");
        }
        JWK jwk = jws.getHeader().getJWK();
        String kid = jws.getHeader().getKeyID();
        if ((jwk == null) == (kid == null)) {
            throw AcmeProblem.malformed("exactly one of jwk and kid is required");
        }
        if (jwkRequired && jwk == null) {
            throw AcmeProblem.malformed("newAccount is signed with the account key given as jwk");
        }
        Account account = null;
        if (kid != null) {
            account = accountByUrl(kid).orElseThrow(() -> new AcmeProblem("accountDoesNotExist", 400, "unknown account"));
            if (!"valid".equals(account.status())) {
                throw AcmeProblem.unauthorized("the account is " + account.status());
            }
            jwk = account.jwk();
        } else if (jwk.isPrivate()) {
            throw AcmeProblem.malformed("the jwk must be a public key");
        }
        if (!verifies(jws, jwk)) {
            throw AcmeProblem.malformed("the JWS signature does not verify with the account key");
        }
        return new Signed(account, jwk, jws.getPayload().toString(), (String) url);
    }

    private static boolean verifies(JWSObject jws, JWK jwk) {
        return AcmeJws.verifies(jws, jwk);
    }

    private AcmeEab.Binding verifyBinding(Map<?, ?> eabJws, Signed outer, Environment environment) {
        JWSObject inner = AcmeJws.binding(eabJws);
        if (!Set.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512).contains(inner.getHeader().getAlgorithm())
                || inner.getHeader().getKeyID() == null || !outer.url().equals(inner.getHeader().getCustomParam("url"))) {
            throw AcmeProblem.malformed("externalAccountBinding: HS256 with kid and the newAccount url");
        }
        AcmeEab.Binding binding = eab.find(inner.getHeader().getKeyID())
                .orElseThrow(() -> AcmeProblem.unauthorized("unknown external account binding key id"));
        boolean macOk;
        try {
            macOk = inner.verify(new MACVerifier(binding.hmacKey()));
        } catch (com.nimbusds.jose.JOSEException e) {
            macOk = false;
        }
        if (!macOk) {
            throw AcmeProblem.unauthorized("the external account binding MAC is wrong");
        }
        try {
            JWK bound = JWK.parse(inner.getPayload().toString());
            if (!thumbprint(bound).equals(thumbprint(outer.jwk()))) {
                throw AcmeProblem.unauthorized("the external account binding is for another key");
            }
        } catch (java.text.ParseException e) {
            throw AcmeProblem.malformed("the external account binding payload is not a JWK");
        }
        if (binding.environment() != environment) {
            throw AcmeProblem.unauthorized("this external account binding is for " + binding.environment());
        }
        return binding;
    }

    private AcmeEab.Binding binding(Account account) {
        return eab.find(account.eabKid()).orElseThrow(() -> AcmeProblem.unauthorized("the external account binding was revoked"));
    }

    private Optional<Account> accountByThumbprint(String thumbprint) {
        return jdbc.sql("select id, jwk, eab_kid, contact, status from acme_account where thumbprint = :t")
                .param("t", thumbprint).query(AcmeController::account).optional();
    }

    private Optional<Account> accountByUrl(String url) {
        int at = url.lastIndexOf("/acct/");
        if (at < 0) {
            return Optional.empty();
        }
        UUID id;
        try {
            id = UUID.fromString(url.substring(at + 6));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return jdbc.sql("select id, jwk, eab_kid, contact, status from acme_account where id = :id")
                .param("id", id).query(AcmeController::account).optional();
    }

    private static Account account(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        try {
            return new Account(rs.getObject("id", UUID.class), JWK.parse(rs.getString("jwk")), rs.getString("eab_kid"),
                    rs.getString("contact"), rs.getString("status"));
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T owned(Optional<T> found, Signed signed, java.util.function.Function<T, UUID> owner) {
        if (found.isEmpty() || !owner.apply(found.get()).equals(signed.account().id())) {
            throw new AcmeProblem("malformed", 404, "not found");
        }
        return found.get();
    }

    private static boolean withinApproved(String name, List<String> approved) {
        if (!name.matches("([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}")) {
            return false;
        }
        for (String domain : approved) {
            String d = domain.toLowerCase(Locale.ROOT);
            if (name.equals(d) || name.endsWith("." + d)) {
                return true;
            }
        }
        return false;
    }

    /** http-01 (RFC 8555 §8.3): GET http://name:port/.well-known/acme-challenge/token, Host: name, no redirects. */
    private String validate(AcmeStore.Authz authz, String thumbprint) {
        String expected = authz.token() + "." + thumbprint;
        String address = properties.addressOf(authz.name());
        String error;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, properties.http01Port()), 5000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /.well-known/acme-challenge/" + authz.token() + " HTTP/1.0\r\nHost: " + authz.name()
                    + "\r\nUser-Agent: OpenIGC-ACME\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            int read;
            while ((read = in.read(buffer)) > 0 && response.size() < 16_384) {
                response.write(buffer, 0, read);
            }
            String text = response.toString(StandardCharsets.US_ASCII);
            int split = text.indexOf("\r\n\r\n");
            String statusLine = text.lines().findFirst().orElse("");
            String content = split < 0 ? "" : text.substring(split + 4).strip();
            if (statusLine.matches("HTTP/1\\.[01] 200.*") && content.equals(expected)) {
                error = null;
            } else {
                error = "http-01: " + statusLine + " with an unexpected key authorization";
            }
        } catch (Exception e) {
            error = "http-01: cannot fetch from " + authz.name() + ": " + e.getMessage();
        }
        log.info("ACME http-01 for {}: {}", authz.name(), error == null ? "valid" : error);
        return error;
    }

    private static TreeSet<String> csrNames(PKCS10CertificationRequest csr) {
        TreeSet<String> names = new TreeSet<>();
        for (RDN rdn : csr.getSubject().getRDNs(BCStyle.CN)) {
            names.add(IETFUtils.valueToString(rdn.getFirst().getValue()).toLowerCase(Locale.ROOT));
        }
        for (var attribute : csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
            Extensions extensions = Extensions.getInstance(attribute.getAttrValues().getObjectAt(0));
            GeneralNames san = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
            if (san != null) {
                for (GeneralName name : san.getNames()) {
                    if (name.getTagNo() == GeneralName.dNSName) {
                        names.add(name.getName().toString().toLowerCase(Locale.ROOT));
                    } else {
                        names.add("(non-DNS name)");
                    }
                }
            }
        }
        return names;
    }

    private Map<String, Object> accountJson(Account account) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", account.status());
        if (account.contact() != null) {
            body.put("contact", List.of(account.contact()));
        }
        body.put("externalAccountBinding", Map.of("kid", account.eabKid()));
        return body;
    }

    private Map<String, Object> orderJson(HttpServletRequest request, AcmeStore.Order order) {
        String base = base(request, order.label());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", order.status());
        body.put("expires", order.expires().toString());
        body.put("identifiers", order.names().stream().map(n -> Map.of("type", "dns", "value", n)).toList());
        body.put("authorizations", order.authzIds().stream().map(a -> base + "/authz/" + a).toList());
        body.put("finalize", base + "/order/" + order.id() + "/finalize");
        if (order.certificateId() != null) {
            body.put("certificate", base + "/cert/" + order.id());
        }
        return body;
    }

    private Map<String, Object> authzJson(HttpServletRequest request, String label, AcmeStore.Authz authz) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("identifier", Map.of("type", "dns", "value", authz.name()));
        body.put("status", authz.status());
        body.put("expires", authz.expires().toString());
        body.put("challenges", List.of(challengeJson(request, label, authz)));
        return body;
    }

    private Map<String, Object> challengeJson(HttpServletRequest request, String label, AcmeStore.Authz authz) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "http-01");
        body.put("url", base(request, label) + "/chall/" + authz.id());
        body.put("token", authz.token());
        body.put("status", authz.challengeStatus());
        if (authz.validated() != null) {
            body.put("validated", authz.validated().toString());
        }
        if (authz.error() != null) {
            body.put("error", Map.of("type", ERROR + "unauthorized", "detail", authz.error(), "status", 403));
        }
        return body;
    }

    @ExceptionHandler(AcmeProblem.class)
    ResponseEntity<Object> problem(AcmeProblem e) {
        return ResponseEntity.status(e.status()).contentType(PROBLEM).header("Replay-Nonce", nonce())
                .body(Map.of("type", ERROR + e.type(), "detail", e.getMessage(), "status", e.status()));
    }

    @ExceptionHandler(RuntimeException.class)
    ResponseEntity<Object> failed(RuntimeException e) {
        log.error("ACME request failed", e);
        return ResponseEntity.status(500).contentType(PROBLEM).header("Replay-Nonce", nonce())
                .body(Map.of("type", ERROR + "serverInternal", "detail", "internal error", "status", 500));
    }
}
