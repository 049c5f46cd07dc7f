package org.openigc.ca;

import java.security.PublicKey;
import java.security.interfaces.ECKey;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * A validated, immutable end-entity profile. Built only through {@link #from(ProfileConfig)}, which refuses
 * anything outside the certificate policy, so a running CA can never hold a profile it must not apply.
 */
public final class CertProfile {
    /** Longest validity the policy allows for an end-entity certificate. */
    public static final Period MAX_VALIDITY = Period.ofYears(5);

    private static final Map<String, Integer> KEY_USAGE_BITS = Map.of(
            "digitalSignature", KeyUsage.digitalSignature,
            "nonRepudiation", KeyUsage.nonRepudiation,
            "keyEncipherment", KeyUsage.keyEncipherment,
            "dataEncipherment", KeyUsage.dataEncipherment);

    private static final Map<String, KeyPurposeId> EKUS = Map.of(
            "clientAuth", KeyPurposeId.id_kp_clientAuth,
            "serverAuth", KeyPurposeId.id_kp_serverAuth,
            "emailProtection", KeyPurposeId.id_kp_emailProtection);

    private final ProfileConfig config;
    private final int keyUsageBits;
    private final List<KeyPurposeId> extendedKeyUsages;
    private final ASN1ObjectIdentifier policyOid;

    private CertProfile(ProfileConfig config, int keyUsageBits, List<KeyPurposeId> ekus, ASN1ObjectIdentifier policy) {
        this.config = config;
        this.keyUsageBits = keyUsageBits;
        this.extendedKeyUsages = List.copyOf(ekus);
        this.policyOid = policy;
    }

    public static CertProfile from(ProfileConfig config) {
        if (config == null) {
            throw invalid(null, "no configuration");
        }
        if (config.id() == null || config.layout() == null || config.altNames() == null) {
            throw invalid(config, "id, layout and altNames are mandatory");
        }
        if (config.keyUsages().isEmpty()) {
            throw invalid(config, "at least one key usage is required");
        }
        int bits = 0;
        for (String name : config.keyUsages()) {
            Integer bit = KEY_USAGE_BITS.get(name);
            if (bit == null) {
                throw invalid(config, "key usage '" + name + "' is not allowed for end entities");
            }
            bits |= bit;
        }
        if (config.extendedKeyUsages().isEmpty()) {
            throw invalid(config, "at least one extended key usage is required");
        }
        List<KeyPurposeId> ekus = new ArrayList<>();
        for (String name : config.extendedKeyUsages()) {
            KeyPurposeId eku = EKUS.get(name);
            if (eku == null) {
                throw invalid(config, "extended key usage '" + name + "' is not allowed");
            }
            if (ekus.contains(eku)) {
                throw invalid(config, "extended key usage '" + name + "' is listed twice");
            }
            ekus.add(eku);
        }
        Period validity = config.validity();
        if (validity == null || validity.isNegative() || validity.isZero() || longerThanMax(validity)) {
            throw invalid(config, "validity must be positive and at most " + MAX_VALIDITY);
        }
        ASN1ObjectIdentifier policy;
        try {
            policy = new ASN1ObjectIdentifier(config.policyOid());
        } catch (RuntimeException e) {
            throw invalid(config, "policy OID '" + config.policyOid() + "' is not an OID");
        }
        if (config.cpsUri() == null || !config.cpsUri().matches("https?://\\S+")) {
            throw invalid(config, "CPS URI must be an http(s) URL");
        }
        if (config.id().usage() == Usage.SSL_SERVEUR && config.altNames() != AltNameKind.DNS) {
            throw invalid(config, "a TLS server profile must carry DNS names");
        }
        return new CertProfile(config, bits, ekus, policy);
    }

    /**
     * Whether {@code validity} can end later than {@link #MAX_VALIDITY} for some start date. Comparing months alone
     * let {@code P2000D} (5.5 years) through; a period mixing months and days has no fixed length, so it is tried from
     * every day of a four-year cycle (leap day and month ends included).
     */
    static boolean longerThanMax(Period validity) {
        if (validity.toTotalMonths() > MAX_VALIDITY.toTotalMonths()) {
            return true;
        }
        if (validity.getDays() == 0) {
            return false;
        }
        LocalDate start = LocalDate.of(2024, 1, 1);
        for (LocalDate day = start; day.isBefore(start.plusYears(4)); day = day.plusDays(1)) {
            if (day.plus(validity).isAfter(day.plus(MAX_VALIDITY))) {
                return true;
            }
        }
        return false;
    }

    private static CaException invalid(ProfileConfig config, String rule) {
        return new CaException(CaErrorCode.PROFILE_INVALID, "profile " + (config == null ? "?" : config.id()) + ": " + rule);
    }

    public ProfileId id() {
        return config.id();
    }

    public SubjectLayout layout() {
        return config.layout();
    }

    /** BouncyCastle {@link KeyUsage} bits. */
    public int keyUsageBits() {
        return keyUsageBits;
    }

    /**
     * The key usage bits for a certificate of {@code subjectKey}. RFC 5480 §3 does not allow keyEncipherment or
     * dataEncipherment with an EC key (EC keys agree on keys, they do not transport them), so those bits are left out
     * for EC keys: a TLS server certificate keeps digitalSignature alone, and an encryption (CONF) profile, left with
     * nothing, refuses EC keys.
     *
     * @throws CaException REQUEST_INVALID when no usage of the profile fits the key
     */
    public int keyUsageBits(PublicKey subjectKey) {
        int bits = keyUsageBits;
        if (subjectKey instanceof ECKey) {
            bits &= ~(KeyUsage.keyEncipherment | KeyUsage.dataEncipherment);
        }
        if (bits == 0) {
            throw new CaException(CaErrorCode.REQUEST_INVALID, "profile " + id() + " (" + keyUsageNames()
                    + ") needs an RSA key: RFC 5480 forbids these key usages with an EC key");
        }
        return bits;
    }

    public Set<String> keyUsageNames() {
        return config.keyUsages();
    }

    public List<KeyPurposeId> extendedKeyUsages() {
        return extendedKeyUsages;
    }

    public AltNameKind altNames() {
        return config.altNames();
    }

    public boolean privateKeyUsagePeriod() {
        return config.privateKeyUsagePeriod();
    }

    public Period validity() {
        return config.validity();
    }

    public ASN1ObjectIdentifier policyOid() {
        return policyOid;
    }

    public String cpsUri() {
        return config.cpsUri();
    }

    public ProfileConfig config() {
        return config;
    }

    /**
     * The default profiles of DOMAIN §2, one policy OID per profile under {@code policyArc}
     * ({@code <arc>.<ordinal + 1>}), validity 3 years.
     */
    public static Map<ProfileId, CertProfile> defaults(String policyArc, String cpsUri) {
        Map<ProfileId, CertProfile> profiles = new EnumMap<>(ProfileId.class);
        for (ProfileId id : ProfileId.values()) {
            profiles.put(id, from(defaultConfig(id, policyArc + "." + (id.ordinal() + 1), cpsUri)));
        }
        return profiles;
    }

    public static ProfileConfig defaultConfig(ProfileId id, String policyOid, String cpsUri) {
        Period threeYears = Period.ofYears(3);
        Set<String> auth = Set.of("digitalSignature");
        Set<String> sign = Set.of("digitalSignature", "nonRepudiation");
        Set<String> conf = Set.of("keyEncipherment", "dataEncipherment");
        List<String> email = List.of("emailProtection");
        return switch (id) {
            case ORG_AUTH_CLI -> new ProfileConfig(id, SubjectLayout.ORGANISATION, auth, List.of("clientAuth"),
                    AltNameKind.NONE, false, threeYears, policyOid, cpsUri);
            case ORG_SIGN -> new ProfileConfig(id, SubjectLayout.ORGANISATION, sign, email,
                    AltNameKind.NONE, true, threeYears, policyOid, cpsUri);
            case ORG_CONF -> new ProfileConfig(id, SubjectLayout.ORGANISATION, conf, email,
                    AltNameKind.NONE, false, threeYears, policyOid, cpsUri);
            case SERV_SSL_SERVEUR -> new ProfileConfig(id, SubjectLayout.ORGANISATION,
                    Set.of("digitalSignature", "keyEncipherment"), List.of("serverAuth", "clientAuth"),
                    AltNameKind.DNS, false, threeYears, policyOid, cpsUri);
            case SERV_SMIME, SERV_SIGN -> new ProfileConfig(id, SubjectLayout.ORGANISATION, sign, email,
                    AltNameKind.EMAIL, id == ProfileId.SERV_SIGN, threeYears, policyOid, cpsUri);
            case SERV_CONF -> new ProfileConfig(id, SubjectLayout.ORGANISATION, conf, email,
                    AltNameKind.EMAIL, false, threeYears, policyOid, cpsUri);
            case PRO_AUTH -> new ProfileConfig(id, SubjectLayout.STRUCTURE_PERSON, auth, List.of("clientAuth"),
                    AltNameKind.NONE, false, threeYears, policyOid, cpsUri);
            case PRO_SIGN -> new ProfileConfig(id, SubjectLayout.STRUCTURE_PERSON, sign, email,
                    AltNameKind.EMAIL, true, threeYears, policyOid, cpsUri);
            case PRO_CONF -> new ProfileConfig(id, SubjectLayout.STRUCTURE_PERSON, conf, email,
                    AltNameKind.EMAIL, false, threeYears, policyOid, cpsUri);
            case CPX_AUTH -> new ProfileConfig(id, SubjectLayout.CARD_HOLDER, auth, List.of("clientAuth"),
                    AltNameKind.NONE, false, threeYears, policyOid, cpsUri);
            case CPX_SIGN -> new ProfileConfig(id, SubjectLayout.CARD_HOLDER, Set.of("nonRepudiation"), email,
                    AltNameKind.NONE, false, threeYears, policyOid, cpsUri);
        };
    }
}
