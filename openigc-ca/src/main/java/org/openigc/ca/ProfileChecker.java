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
        BasicConstraints basicConstraints = BasicConstraints.fromExtensions(extensions);
        if (basicConstraints == null || basicConstraints.isCA()) {
            problems.add("basicConstraints must be present with CA:FALSE");
        }
        Extension keyUsage = extensions.getExtension(Extension.keyUsage);
        Integer expectedKeyUsage = expectedKeyUsage(profile, request, problems);
        if (keyUsage == null || !keyUsage.isCritical()) {
            problems.add("keyUsage must be present and critical");
        } else if (expectedKeyUsage != null
                && ASN1BitString.getInstance(keyUsage.getParsedValue()).intValue() != expectedKeyUsage) {
            // the whole bit string: comparing only its first byte let encipherOnly/decipherOnly (second byte) through
            problems.add("keyUsage differs from the profile");
        }
        Extension eku = extensions.getExtension(Extension.extendedKeyUsage);
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
        CertificatePolicies policies = CertificatePolicies.fromExtensions(extensions);
        if (policies == null || policies.getPolicyInformation(profile.policyOid()) == null) {
            problems.add("certificatePolicies must carry " + profile.policyOid());
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
                return IETFUtils.valueToString(typeAndValue.getValue());
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
            String text = utc.getAdjustedTime(); // yyyyMMddHHmmssGMT+00:00, the century added
            if (text.length() == 23 && text.endsWith("GMT+00:00")) {
                return java.time.LocalDateTime.parse(text.substring(0, 14), SECONDS).toInstant(ZoneOffset.UTC);
            }
            return utc.getAdjustedDate().toInstant();
        }
        if (time instanceof org.bouncycastle.asn1.ASN1GeneralizedTime generalized) {
            String text = generalized.getTimeString();
            if (text.length() == 15 && text.endsWith("Z")) {
                return java.time.LocalDateTime.parse(text.substring(0, 14), SECONDS).toInstant(ZoneOffset.UTC);
            }
            return generalized.getDate().toInstant();
        }
        throw new java.text.ParseException("not a time: " + time, 0);
    }

    private static final java.time.format.DateTimeFormatter SECONDS =
            java.time.format.DateTimeFormatter.ofPattern("uuuuMMddHHmmss", java.util.Locale.ROOT);

    private static byte[] derOf(SubjectPublicKeyInfo info) {
        try {
            return info.getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
