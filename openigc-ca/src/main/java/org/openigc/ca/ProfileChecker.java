package org.openigc.ca;

import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.bouncycastle.asn1.ASN1Integer;
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
        if (!Arrays.equals(derOf(SubjectPublicKeyInfo.getInstance(request.publicKey().getEncoded())),
                derOf(tbs.getSubjectPublicKeyInfo()))) {
            problems.add("public key differs from the request's");
        }
        Instant notBefore = tbs.getStartDate().getDate().toInstant();
        Instant notAfter = tbs.getEndDate().getDate().toInstant();
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
        if (keyUsage == null || !keyUsage.isCritical()) {
            problems.add("keyUsage must be present and critical");
        } else if (KeyUsage.getInstance(keyUsage.getParsedValue()).getBytes()[0] != (byte) profile.keyUsageBits()) {
            problems.add("keyUsage differs from the profile");
        }
        Extension eku = extensions.getExtension(Extension.extendedKeyUsage);
        if (eku == null || eku.isCritical()) {
            problems.add("extendedKeyUsage must be present and not critical");
        } else {
            Set<KeyPurposeId> actual = Set.of(ExtendedKeyUsage.getInstance(eku.getParsedValue()).getUsages());
            if (!actual.equals(Set.copyOf(profile.extendedKeyUsages()))) {
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
        checkSubject(tbs.getSubject(), profile, request.subject(), problems);
        checkAltNames(extensions, profile, request, problems);
        return problems;
    }

    private static void checkSubject(X500Name subject, CertProfile profile, SubjectData data, List<String> problems) {
        if (!"FR".equals(first(subject, BCStyle.C))) {
            problems.add("subject must have C=FR");
        }
        if (profile.layout() != SubjectLayout.CARD_HOLDER && !data.idNatStruct().equals(first(subject, BCStyle.OU))) {
            problems.add("subject OU must be the structure's idNatStruct");
        }
        if (profile.layout() == SubjectLayout.ORGANISATION && !data.commonName().equals(first(subject, BCStyle.CN))) {
            problems.add("subject CN must be the service applicatif");
        }
        if (profile.layout() != SubjectLayout.ORGANISATION && !data.idNatPs().equals(first(subject, BCStyle.CN))) {
            problems.add("subject CN must be the holder's idNatPS");
        }
        if (first(subject, BCStyle.SERIALNUMBER) != null) {
            problems.add("subject must not carry a serialNumber attribute");
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

    private static String first(X500Name name, org.bouncycastle.asn1.ASN1ObjectIdentifier type) {
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

    private static byte[] derOf(SubjectPublicKeyInfo info) {
        try {
            return info.getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
