package org.openigc.ca;

import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.asn1.x509.PolicyQualifierInfo;
import org.bouncycastle.asn1.x509.PrivateKeyUsagePeriod;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;

/**
 * The independent check run on every to-be-signed certificate before it is signed: it re-reads the encoded
 * certificate and compares it with the profile and the request, without sharing code with the builder.
 */
public final class ProfileChecker {
    private ProfileChecker() {
    }

    public static void check(TBSCertificate tbs, CertProfile profile, IssuanceRequest request) {
        List<String> problems = problems(tbs, profile, request);
        if (!problems.isEmpty()) {
            throw new CaException(CaErrorCode.PROFILE_CHECK_FAILED,
                    "certificate does not match profile " + profile.id() + ": " + String.join("; ", problems));
        }
    }

    static List<String> problems(TBSCertificate tbs, CertProfile profile, IssuanceRequest request) {
        List<String> problems = new ArrayList<>();
        ASN1Integer version = tbs.getVersion();
        if (version == null || version.intValueExact() != 2) {
            problems.add("not an X.509 v3 certificate");
        }
        BigInteger serial = tbs.getSerialNumber().getValue();
        if (serial.signum() <= 0 || serial.toByteArray().length > 20) {
            problems.add("serial must be positive and at most 20 bytes");
        }
        // a JCA public key's encoding is its DER SubjectPublicKeyInfo
        if (!Arrays.equals(request.publicKey().getEncoded(), derOf(tbs.getSubjectPublicKeyInfo()))) {
            problems.add("public key differs from the request's");
        }
        Instant notBefore;
        Instant notAfter;
        try {
            notBefore = instant(tbs.getStartDate().toASN1Primitive());
            notAfter = instant(tbs.getEndDate().toASN1Primitive());
        } catch (java.text.ParseException | RuntimeException e) {
            problems.add("validity dates are not valid UTCTime/GeneralizedTime");
            return problems;
        }
        if (notBefore.getEpochSecond() != request.notBefore().getEpochSecond()) {
            problems.add("notBefore differs from the request's " + request.notBefore());
        }
        Instant longest = notBefore.atOffset(ZoneOffset.UTC).plus(profile.validity()).toInstant();
        if (notAfter.isAfter(longest)) {
            problems.add("validity longer than the profile's " + profile.validity());
        }
        Extensions extensions = tbs.getExtensions();
        if (extensions == null) {
            problems.add("no extensions");
            return problems;
        }
        Known known = known(profile);
        Extension basicConstraints = extensions.getExtension(Extension.basicConstraints);
        if (!known.matches(basicConstraints, known.basicConstraints)) {
            checkBasicConstraints(basicConstraints, problems);
        }
        Extension keyUsage = extensions.getExtension(Extension.keyUsage);
        Integer expectedKeyUsage = expectedKeyUsage(profile, request, problems);
        if (expectedKeyUsage == null || !known.matches(keyUsage, known.keyUsage(expectedKeyUsage))) {
            checkKeyUsage(keyUsage, expectedKeyUsage, problems);
        }
        Extension eku = extensions.getExtension(Extension.extendedKeyUsage);
        if (!known.matches(eku, known.extendedKeyUsage)) {
            checkExtendedKeyUsage(eku, profile, problems);
        }
        Extension policies = extensions.getExtension(Extension.certificatePolicies);
        if (!known.matches(policies, known.certificatePolicies)) {
            checkPolicies(policies, profile, problems);
        }
        for (var required : List.of(Extension.cRLDistributionPoints, Extension.authorityInfoAccess,
                Extension.subjectKeyIdentifier, Extension.authorityKeyIdentifier)) {
            if (extensions.getExtension(required) == null) {
                problems.add("missing extension " + required.getId());
            }
        }
        checkPrivateKeyUsagePeriod(extensions, profile, notBefore, notAfter, problems);
        checkSubject(tbs.getSubject(), profile, request.subject(), problems);
        checkAltNames(extensions, profile, request, problems);
        return problems;
    }

    private static void checkBasicConstraints(Extension extension, List<String> problems) {
        BasicConstraints basicConstraints = extension == null ? null
                : BasicConstraints.getInstance(extension.getParsedValue());
        if (basicConstraints == null || basicConstraints.isCA()) {
            problems.add("basicConstraints must be present with CA:FALSE");
        }
    }

    private static void checkKeyUsage(Extension keyUsage, Integer expected, List<String> problems) {
        if (keyUsage == null || !keyUsage.isCritical()) {
            problems.add("keyUsage must be present and critical");
        } else if (expected != null && ASN1BitString.getInstance(keyUsage.getParsedValue()).intValue() != expected) {
            // the whole bit string: comparing only its first byte let encipherOnly/decipherOnly (second byte) through
            problems.add("keyUsage differs from the profile");
        }
    }

    private static void checkExtendedKeyUsage(Extension eku, CertProfile profile, List<String> problems) {
        if (eku == null || eku.isCritical()) {
            problems.add("extendedKeyUsage must be present and not critical");
        } else {
            // not Set.of: it throws on duplicates, and a duplicated purpose is a problem to report, not a crash
            List<KeyPurposeId> actual = Arrays.asList(ExtendedKeyUsage.getInstance(eku.getParsedValue()).getUsages());
            if (actual.size() != profile.extendedKeyUsages().size()
                    || !Set.copyOf(profile.extendedKeyUsages()).equals(new java.util.HashSet<>(actual))) {
                problems.add("extendedKeyUsage differs from the profile");
            }
        }
    }

    private static void checkPolicies(Extension extension, CertProfile profile, List<String> problems) {
        CertificatePolicies policies = extension == null ? null
                : CertificatePolicies.getInstance(extension.getParsedValue());
        if (policies == null || policies.getPolicyInformation(profile.policyOid()) == null) {
            problems.add("certificatePolicies must carry " + profile.policyOid());
        }
    }

    /**
     * The exact extensions that pass the three profile-only rules above, and the keyUsage rule for each key type,
     * computed once per profile: an extension equal to one of them, byte for byte and in criticality, is accepted
     * without being parsed again. Each is put through its full rule when it is computed, and left out (null: always
     * the full rule) if it does not pass, so the shortcut accepts nothing the full rule would refuse.
     */
    private record Known(Extension basicConstraints, Extension extendedKeyUsage, Extension certificatePolicies,
                         java.util.Map<Integer, Extension> keyUsages) {
        boolean matches(Extension actual, Extension known) {
            return actual != null && known != null && actual.isCritical() == known.isCritical()
                    && Arrays.equals(actual.getExtnValue().getOctets(), known.getExtnValue().getOctets());
        }

        /** The critical keyUsage of exactly these bits (one per key type the profile serves), through its rule once. */
        Extension keyUsage(int bits) {
            Extension known = keyUsages.get(bits);
            if (known == null) {
                Extension encoded = extension(Extension.keyUsage, true, new KeyUsage(bits));
                known = passing(encoded, e -> { List<String> p = new ArrayList<>(); checkKeyUsage(e, bits, p); return p; });
                if (known != null && keyUsages.size() < 16) {
                    keyUsages.put(bits, known);
                }
            }
            return known;
        }
    }

    private static final java.util.Map<CertProfile, Known> KNOWN = new java.util.concurrent.ConcurrentHashMap<>();

    private static Known known(CertProfile profile) {
        Known known = KNOWN.get(profile);
        if (known == null) {
            known = new Known(
                    passing(extension(Extension.basicConstraints, new BasicConstraints(false)),
                            e -> { List<String> p = new ArrayList<>(); checkBasicConstraints(e, p); return p; }),
                    passing(extension(Extension.extendedKeyUsage,
                            new ExtendedKeyUsage(profile.extendedKeyUsages().toArray(KeyPurposeId[]::new))),
                            e -> { List<String> p = new ArrayList<>(); checkExtendedKeyUsage(e, profile, p); return p; }),
                    passing(extension(Extension.certificatePolicies, new CertificatePolicies(new PolicyInformation(
                                    profile.policyOid(), new org.bouncycastle.asn1.DERSequence(
                                    new PolicyQualifierInfo(profile.cpsUri()))))),
                            e -> { List<String> p = new ArrayList<>(); checkPolicies(e, profile, p); return p; }),
                    new java.util.concurrent.ConcurrentHashMap<>());
            if (KNOWN.size() < 256) {
                KNOWN.put(profile, known);
            }
        }
        return known;
    }

    private static Extension passing(Extension extension, java.util.function.Function<Extension, List<String>> rule) {
        return extension != null && rule.apply(extension).isEmpty() ? extension : null;
    }

    private static Extension extension(ASN1ObjectIdentifier type, org.bouncycastle.asn1.ASN1Encodable value) {
        return extension(type, false, value);
    }

    private static Extension extension(ASN1ObjectIdentifier type, boolean critical,
                                       org.bouncycastle.asn1.ASN1Encodable value) {
        try {
            return new Extension(type, critical, value.toASN1Primitive().getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER));
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    private static Integer expectedKeyUsage(CertProfile profile, IssuanceRequest request, List<String> problems) {
        try {
            return profile.keyUsageBits(request.publicKey());
        } catch (CaException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    private static void checkPrivateKeyUsagePeriod(Extensions extensions, CertProfile profile, Instant notBefore,
                                                   Instant notAfter, List<String> problems) {
        Extension extension = extensions.getExtension(Extension.privateKeyUsagePeriod);
        if (!profile.privateKeyUsagePeriod()) {
            if (extension != null) {
                problems.add("privateKeyUsagePeriod must be absent");
            }
            return;
        }
        if (extension == null) {
            problems.add("privateKeyUsagePeriod must be present");
            return;
        }
        PrivateKeyUsagePeriod period = PrivateKeyUsagePeriod.getInstance(extension.getParsedValue());
        try {
            if (period.getNotBefore() == null || period.getNotAfter() == null
                    || !instant(period.getNotBefore()).equals(notBefore)
                    || !instant(period.getNotAfter()).equals(notAfter)) {
                problems.add("privateKeyUsagePeriod must equal the validity");
            }
        } catch (java.text.ParseException e) {
            problems.add("privateKeyUsagePeriod is not a valid GeneralizedTime");
        }
    }

    private static void checkSubject(X500Name subject, CertProfile profile, SubjectData data, List<String> problems) {
        if (!"FR".equals(first(subject, BCStyle.C))) {
            problems.add("subject must have C=FR");
        }
        if (profile.layout() != SubjectLayout.CARD_HOLDER) {
            expect(subject, BCStyle.OU, data.idNatStruct(), "OU must be the structure's idNatStruct", problems);
            expect(subject, BCStyle.O, data.organisation(), "O must be the structure's raison sociale", problems);
            expect(subject, BCStyle.ST, data.stLabel(), "ST must be '<département> (<code>)'", problems);
        }
        if (profile.layout() == SubjectLayout.ORGANISATION) {
            expect(subject, BCStyle.CN, data.commonName(), "CN must be the service applicatif", problems);
        } else {
            expect(subject, BCStyle.CN, data.idNatPs(), "CN must be the holder's idNatPS", problems);
            expect(subject, BCStyle.SURNAME, data.lastName(), "SN must be the holder's last name", problems);
            expect(subject, BCStyle.GIVENNAME, data.firstName(), "GN must be the holder's first name", problems);
            RDN[] cn = subject.getRDNs(BCStyle.CN);
            if (cn.length != 1 || cn[0].size() != 3) {
                problems.add("subject CN, SN and GN must form one multi-valued RDN");
            }
        }
        if (profile.layout() == SubjectLayout.CARD_HOLDER && data.title() != null && !data.title().isBlank()) {
            expect(subject, BCStyle.T, data.title(), "title must be the holder's profession", problems);
        }
        if (first(subject, BCStyle.SERIALNUMBER) != null) {
            problems.add("subject must not carry a serialNumber attribute");
        }
    }

    private static void expect(X500Name subject, ASN1ObjectIdentifier type, String expected, String rule,
                               List<String> problems) {
        if (expected == null || !expected.equals(first(subject, type))) {
            problems.add("subject " + rule);
        }
    }

    private static void checkAltNames(Extensions extensions, CertProfile profile, IssuanceRequest request,
                                      List<String> problems) {
        GeneralNames names = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
        Set<String> actual = names == null ? Set.of() : Arrays.stream(names.getNames())
                .map(n -> n.getTagNo() == GeneralName.iPAddress ? "ip:" + ipText(n) : n.getName().toString())
                .collect(Collectors.toSet());
        Set<String> expected = switch (profile.altNames()) {
            case NONE -> Set.of();
            case DNS -> request.dnsNames().stream().map(n -> n.matches("[0-9.]+") ? "ip:" + n : n)
                    .collect(Collectors.toSet());
            case EMAIL -> Set.copyOf(request.emailAddresses());
        };
        if (!actual.equals(expected)) {
            problems.add("subjectAltName " + actual + " differs from the request's " + expected);
        }
        if (profile.altNames() == AltNameKind.DNS && !request.dnsNames().contains(request.subject().commonName())) {
            problems.add("the CN of a TLS server certificate must be one of its DNS names");
        }
    }

    private static String ipText(GeneralName name) {
        byte[] address = org.bouncycastle.asn1.ASN1OctetString.getInstance(name.getName()).getOctets();
        StringBuilder text = new StringBuilder();
        for (byte b : address) {
            text.append(text.isEmpty() ? "" : ".").append(b & 0xFF);
        }
        return text.toString();
    }

    private static String first(X500Name name, ASN1ObjectIdentifier type) {
        RDN[] rdns = name.getRDNs(type);
        if (rdns.length == 0) {
            return null;
        }
        for (var typeAndValue : rdns[0].getTypesAndValues()) {
            if (typeAndValue.getType().equals(type)) {
                // the text of a UTF8String or PrintableString as is; IETFUtils.valueToString escapes RFC 4514
                // specials (a comma in a raison sociale) and is slow; other types keep its hex or escaped form
                var value = typeAndValue.getValue();
                if (value instanceof org.bouncycastle.asn1.ASN1UTF8String
                        || value instanceof org.bouncycastle.asn1.ASN1PrintableString) {
                    return ((org.bouncycastle.asn1.ASN1String) value).getString();
                }
                return IETFUtils.valueToString(value);
            }
        }
        return null;
    }

    /**
     * The instant of a DER UTCTime or GeneralizedTime (whole seconds, Zulu, as RFC 5280 requires), read with java.time:
     * BouncyCastle's {@code getDate()} builds a {@code SimpleDateFormat} per call. Anything else (fractions,
     * offsets) goes through BouncyCastle's own parser.
     */
    static Instant instant(org.bouncycastle.asn1.ASN1Primitive time) throws java.text.ParseException {
        if (time instanceof org.bouncycastle.asn1.ASN1UTCTime utc) {
            String text = utc.toString(); // as encoded (getTime() rewrites it): YYMMDDHHMMSSZ for RFC 5280
            if (text.length() == 13 && text.charAt(12) == 'Z' && digits(text, 12)) {
                int twoDigits = number(text, 0, 2);
                // RFC 5280 §4.1.2.5.1: YY ≥ 50 is 19YY, below 50 is 20YY
                return utcInstant(twoDigits >= 50 ? 1900 + twoDigits : 2000 + twoDigits, text, 2);
            }
            return utc.getAdjustedDate().toInstant();
        }
        if (time instanceof org.bouncycastle.asn1.ASN1GeneralizedTime generalized) {
            String text = generalized.getTimeString();
            if (text.length() == 15 && text.charAt(14) == 'Z' && digits(text, 14)) {
                return utcInstant(number(text, 0, 4), text, 4);
            }
            return generalized.getDate().toInstant();
        }
        throw new java.text.ParseException("not a time: " + time, 0);
    }

    /** MMDDHHMMSS from {@code at}; out-of-range fields throw (a DateTimeException, reported as invalid dates). */
    private static Instant utcInstant(int year, String text, int at) {
        return java.time.LocalDateTime.of(year, number(text, at, 2), number(text, at + 2, 2), number(text, at + 4, 2),
                number(text, at + 6, 2), number(text, at + 8, 2)).toInstant(ZoneOffset.UTC);
    }

    private static boolean digits(String text, int length) {
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static int number(String text, int at, int length) {
        int value = 0;
        for (int i = at; i < at + length; i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value;
    }

    private static byte[] derOf(SubjectPublicKeyInfo info) {
        try {
            return info.getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
