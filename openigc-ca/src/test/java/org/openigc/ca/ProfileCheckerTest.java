package org.openigc.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.asn1.x509.PolicyQualifierInfo;
import org.bouncycastle.asn1.x509.PrivateKeyUsagePeriod;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.X509ObjectIdentifiers;
import org.bouncycastle.cert.X509v1CertificateBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v1CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each rule of {@link ProfileChecker}, caught on a to-be-signed certificate that breaks only that rule. The drafts
 * are built here, with BouncyCastle directly, so the checker is not tested against the issuer's own code.
 */
class ProfileCheckerTest {
    private static final Instant NOT_BEFORE = Instant.parse("2026-01-15T10:00:00Z");
    private static final Instant NOT_AFTER = NOT_BEFORE.atOffset(ZoneOffset.UTC).plusYears(3).toInstant();
    private static final KeyPair HOLDER = KeyAlgorithm.EC_P256.generate();
    private static final KeyPair SIGNER = KeyAlgorithm.EC_P256.generate();

    /** A to-be-signed certificate, right for its profile until a test changes one thing. */
    static final class Draft {
        final ProfileId profile;
        int version = 3;
        BigInteger serial = CertificateIssuer.randomSerial();
        Instant notBefore = NOT_BEFORE;
        Instant notAfter = NOT_AFTER;
        /** RSA for encryption profiles, EC otherwise (RFC 5480 keeps keyEncipherment for RSA keys). */
        PublicKey holder;
        PublicKey key;
        X500Name subject;
        final Map<ASN1ObjectIdentifier, Extension> extensions = new LinkedHashMap<>();

        Draft(ProfileId profile) {
            this.profile = profile;
            this.holder = profile.usage() == Usage.CONF ? TestPki.rsaHolder().getPublic() : HOLDER.getPublic();
            this.key = holder;
            CertProfile p = TestPki.PROFILES.get(profile);
            subject = switch (p.layout()) {
                case ORGANISATION -> name(BCStyle.C, "FR", BCStyle.ST, "Rhône (69)", BCStyle.O, "CHU DEMO",
                        BCStyle.OU, "1750712184", BCStyle.CN, profile == ProfileId.SERV_SSL_SERVEUR
                                ? "dmp.chu-demo.fr" : "INSI-AUTO").build();
                case STRUCTURE_PERSON -> name(BCStyle.C, "FR", BCStyle.ST, "Rhône (69)", BCStyle.O, "CHU DEMO",
                        BCStyle.OU, "1750712184").addMultiValuedRDN(
                        new ASN1ObjectIdentifier[] {BCStyle.CN, BCStyle.SURNAME, BCStyle.GIVENNAME},
                        new String[] {"810005173140", "DUPONT", "Jean"}).build();
                case CARD_HOLDER -> name(BCStyle.C, "FR", BCStyle.T, "Médecin").addMultiValuedRDN(
                        new ASN1ObjectIdentifier[] {BCStyle.CN, BCStyle.SURNAME, BCStyle.GIVENNAME},
                        new String[] {"810005173140", "MARTIN", "Élise"}).build();
            };
            try {
                JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
                put(Extension.basicConstraints, false, new BasicConstraints(false));
                put(Extension.keyUsage, true, new KeyUsage(switch (profile.usage()) {
                    case AUTH, AUTH_CLI -> KeyUsage.digitalSignature;
                    case SIGN, SMIME -> profile == ProfileId.CPX_SIGN ? KeyUsage.nonRepudiation
                            : KeyUsage.digitalSignature | KeyUsage.nonRepudiation;
                    case CONF -> KeyUsage.keyEncipherment | KeyUsage.dataEncipherment;
                    case SSL_SERVEUR -> KeyUsage.digitalSignature; // EC key: no keyEncipherment (RFC 5480)
                }));
                put(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(switch (profile.usage()) {
                    case AUTH, AUTH_CLI -> new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth};
                    case SSL_SERVEUR -> new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth};
                    default -> new KeyPurposeId[] {KeyPurposeId.id_kp_emailProtection};
                }));
                put(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(holder));
                put(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(SIGNER.getPublic()));
                put(Extension.certificatePolicies, false, new CertificatePolicies(new PolicyInformation(
                        new ASN1ObjectIdentifier(TestPki.POLICY_ARC + "." + (profile.ordinal() + 1)))));
                put(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
                        new DistributionPoint(new DistributionPointName(new GeneralNames(new GeneralName(
                                GeneralName.uniformResourceIdentifier, "http://x.test/ca.crl"))), null, null)}));
                put(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(new AccessDescription(
                        X509ObjectIdentifiers.id_ad_ocsp,
                        new GeneralName(GeneralName.uniformResourceIdentifier, "http://x.test/ocsp"))));
                if (profile == ProfileId.SERV_SSL_SERVEUR) {
                    put(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                            new GeneralName(GeneralName.dNSName, "dmp.chu-demo.fr"),
                            new GeneralName(GeneralName.dNSName, "www.chu-demo.fr")}));
                } else if (p.altNames() == AltNameKind.EMAIL) {
                    put(Extension.subjectAlternativeName, false, new GeneralNames(
                            new GeneralName(GeneralName.rfc822Name, "secretariat@chu-demo.mssante.fr")));
                }
                if (p.privateKeyUsagePeriod()) {
                    put(Extension.privateKeyUsagePeriod, false, period(notBefore, notAfter));
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** The policy with the profile's CPS qualifier, as the issuer writes it (the other fixed ones already are). */
        void useIssuerEncodings() {
            CertProfile p = TestPki.PROFILES.get(profile);
            put(Extension.certificatePolicies, false, new CertificatePolicies(new PolicyInformation(p.policyOid(),
                    new DERSequence(new PolicyQualifierInfo(p.cpsUri())))));
        }

        void put(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
            try {
                extensions.put(oid, new Extension(oid, critical, value.toASN1Primitive().getEncoded()));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }

        TBSCertificate build() throws Exception {
            X500Name issuer = new X500Name("C=FR,CN=Test CA");
            ContentSigner signer = CaKey.signer(SIGNER.getPrivate(), SIGNER.getPublic(), null);
            if (version == 1) {
                X509v1CertificateBuilder v1 = new JcaX509v1CertificateBuilder(issuer, serial, Date.from(notBefore),
                        Date.from(notAfter), subject, key);
                return v1.build(signer).toASN1Structure().getTBSCertificate();
            }
            X509v3CertificateBuilder v3 = new JcaX509v3CertificateBuilder(issuer, serial, Date.from(notBefore),
                    Date.from(notAfter), subject, key);
            for (Extension extension : extensions.values()) {
                v3.addExtension(extension);
            }
            return v3.build(signer).toASN1Structure().getTBSCertificate();
        }

        IssuanceRequest request() {
            IssuanceRequest r = TestPki.request(profile, holder);
            return new IssuanceRequest(r.publicKey(), r.subject(), r.dnsNames(), r.emailAddresses(), NOT_BEFORE, null);
        }
    }

    static X500NameBuilder name(Object... typesAndValues) {
        X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
        for (int i = 0; i < typesAndValues.length; i += 2) {
            builder.addRDN((ASN1ObjectIdentifier) typesAndValues[i], (String) typesAndValues[i + 1]);
        }
        return builder;
    }

    static PrivateKeyUsagePeriod period(Instant notBefore, Instant notAfter) {
        return PrivateKeyUsagePeriod.getInstance(new DERSequence(new ASN1Encodable[] {
                new DERTaggedObject(false, 0, new ASN1GeneralizedTime(Date.from(notBefore))),
                new DERTaggedObject(false, 1, new ASN1GeneralizedTime(Date.from(notAfter)))}));
    }

    static List<String> problems(Draft draft) throws Exception {
        return ProfileChecker.problems(draft.build(), TestPki.PROFILES.get(draft.profile), draft.request());
    }

    static Stream<ProfileId> everyProfile() {
        return Stream.of(ProfileId.values());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyProfile")
    void aDraftThatFollowsItsProfileHasNoProblem(ProfileId id) throws Exception {
        assertThat(problems(new Draft(id))).isEmpty();
    }

    static Stream<Arguments> brokenDrafts() {
        return Stream.of(
                broken(ProfileId.ORG_AUTH_CLI, "serial zero", d -> d.serial = BigInteger.ZERO, "serial must be positive"),
                broken(ProfileId.ORG_AUTH_CLI, "serial of 21 bytes", d -> d.serial = BigInteger.ONE.shiftLeft(161),
                        "at most 20 bytes"),
                broken(ProfileId.ORG_AUTH_CLI, "v1 certificate", d -> d.version = 1, "not an X.509 v3 certificate"),
                broken(ProfileId.ORG_AUTH_CLI, "another public key", d -> d.key = SIGNER.getPublic(),
                        "public key differs"),
                broken(ProfileId.ORG_AUTH_CLI, "notBefore moved", d -> d.notBefore = NOT_BEFORE.plusSeconds(3600),
                        "notBefore differs"),
                broken(ProfileId.ORG_AUTH_CLI, "a day too long", d -> d.notAfter = NOT_AFTER.plusSeconds(86400),
                        "validity longer than the profile's P3Y"),
                broken(ProfileId.ORG_AUTH_CLI, "no basicConstraints", d -> d.extensions.remove(Extension.basicConstraints),
                        "basicConstraints must be present with CA:FALSE"),
                broken(ProfileId.ORG_AUTH_CLI, "CA:TRUE",
                        d -> d.put(Extension.basicConstraints, true, new BasicConstraints(0)), "CA:FALSE"),
                broken(ProfileId.ORG_AUTH_CLI, "keyUsage not critical",
                        d -> d.put(Extension.keyUsage, false, new KeyUsage(KeyUsage.digitalSignature)),
                        "keyUsage must be present and critical"),
                broken(ProfileId.ORG_AUTH_CLI, "no keyUsage", d -> d.extensions.remove(Extension.keyUsage),
                        "keyUsage must be present and critical"),
                broken(ProfileId.ORG_AUTH_CLI, "nonRepudiation added", d -> d.put(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation)), "keyUsage differs"),
                broken(ProfileId.ORG_AUTH_CLI, "decipherOnly added (second byte)", d -> d.put(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.decipherOnly)), "keyUsage differs"),
                broken(ProfileId.ORG_AUTH_CLI, "EKU critical", d -> d.put(Extension.extendedKeyUsage, true,
                        new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth)), "extendedKeyUsage must be present and not critical"),
                broken(ProfileId.ORG_AUTH_CLI, "no EKU", d -> d.extensions.remove(Extension.extendedKeyUsage),
                        "extendedKeyUsage must be present"),
                broken(ProfileId.ORG_AUTH_CLI, "serverAuth instead of clientAuth", d -> d.put(Extension.extendedKeyUsage,
                        false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth)), "extendedKeyUsage differs"),
                broken(ProfileId.ORG_AUTH_CLI, "clientAuth twice", d -> d.put(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth,
                                KeyPurposeId.id_kp_clientAuth})), "extendedKeyUsage differs"),
                broken(ProfileId.ORG_AUTH_CLI, "another policy", d -> d.put(Extension.certificatePolicies, false,
                        new CertificatePolicies(new PolicyInformation(new ASN1ObjectIdentifier("1.2.3.4")))),
                        "certificatePolicies must carry " + TestPki.POLICY_ARC + ".1"),
                broken(ProfileId.ORG_AUTH_CLI, "no CRL distribution point",
                        d -> d.extensions.remove(Extension.cRLDistributionPoints), "missing extension 2.5.29.31"),
                broken(ProfileId.ORG_AUTH_CLI, "no AIA", d -> d.extensions.remove(Extension.authorityInfoAccess),
                        "missing extension 1.3.6.1.5.5.7.1.1"),
                broken(ProfileId.ORG_AUTH_CLI, "no SKI", d -> d.extensions.remove(Extension.subjectKeyIdentifier),
                        "missing extension 2.5.29.14"),
                broken(ProfileId.ORG_AUTH_CLI, "no AKI", d -> d.extensions.remove(Extension.authorityKeyIdentifier),
                        "missing extension 2.5.29.35"),
                broken(ProfileId.ORG_AUTH_CLI, "C=DE", d -> d.subject = name(BCStyle.C, "DE", BCStyle.ST, "Rhône (69)",
                        BCStyle.O, "CHU DEMO", BCStyle.OU, "1750712184", BCStyle.CN, "INSI-AUTO").build(),
                        "subject must have C=FR"),
                broken(ProfileId.ORG_AUTH_CLI, "another OU", d -> d.subject = name(BCStyle.C, "FR", BCStyle.ST,
                        "Rhône (69)", BCStyle.O, "CHU DEMO", BCStyle.OU, "1999999999", BCStyle.CN, "INSI-AUTO").build(),
                        "OU must be the structure's idNatStruct"),
                broken(ProfileId.ORG_AUTH_CLI, "another O", d -> d.subject = name(BCStyle.C, "FR", BCStyle.ST,
                        "Rhône (69)", BCStyle.O, "OTHER", BCStyle.OU, "1750712184", BCStyle.CN, "INSI-AUTO").build(),
                        "O must be the structure's raison sociale"),
                broken(ProfileId.ORG_AUTH_CLI, "ST without its code", d -> d.subject = name(BCStyle.C, "FR", BCStyle.ST,
                        "Rhône", BCStyle.O, "CHU DEMO", BCStyle.OU, "1750712184", BCStyle.CN, "INSI-AUTO").build(),
                        "ST must be"),
                broken(ProfileId.ORG_AUTH_CLI, "another CN", d -> d.subject = name(BCStyle.C, "FR", BCStyle.ST,
                        "Rhône (69)", BCStyle.O, "CHU DEMO", BCStyle.OU, "1750712184", BCStyle.CN, "OTHER").build(),
                        "CN must be the service applicatif"),
                broken(ProfileId.ORG_AUTH_CLI, "serialNumber attribute", d -> d.subject = name(BCStyle.C, "FR",
                        BCStyle.ST, "Rhône (69)", BCStyle.O, "CHU DEMO", BCStyle.OU, "1750712184", BCStyle.CN,
                        "INSI-AUTO", BCStyle.SERIALNUMBER, "42").build(), "must not carry a serialNumber"),
                broken(ProfileId.ORG_AUTH_CLI, "a SAN the profile has not", d -> d.put(Extension.subjectAlternativeName,
                        false, new GeneralNames(new GeneralName(GeneralName.dNSName, "x.test"))), "subjectAltName"),
                broken(ProfileId.ORG_AUTH_CLI, "privateKeyUsagePeriod on an AUTH profile",
                        d -> d.put(Extension.privateKeyUsagePeriod, false, period(NOT_BEFORE, NOT_AFTER)),
                        "privateKeyUsagePeriod must be absent"),
                broken(ProfileId.ORG_SIGN, "no privateKeyUsagePeriod on a SIGN profile",
                        d -> d.extensions.remove(Extension.privateKeyUsagePeriod), "privateKeyUsagePeriod must be present"),
                broken(ProfileId.PRO_SIGN, "privateKeyUsagePeriod shorter than the validity",
                        d -> d.put(Extension.privateKeyUsagePeriod, false, period(NOT_BEFORE, NOT_AFTER.minusSeconds(86400))),
                        "privateKeyUsagePeriod must equal the validity"),
                broken(ProfileId.PRO_SIGN, "a SAN other than the request's", d -> d.put(Extension.subjectAlternativeName,
                        false, new GeneralNames(new GeneralName(GeneralName.rfc822Name, "other@x.test"))), "subjectAltName"),
                broken(ProfileId.PRO_AUTH, "CN, SN and GN in separate RDNs", d -> d.subject = name(BCStyle.C, "FR",
                        BCStyle.ST, "Rhône (69)", BCStyle.O, "CHU DEMO", BCStyle.OU, "1750712184", BCStyle.CN,
                        "810005173140", BCStyle.SURNAME, "DUPONT", BCStyle.GIVENNAME, "Jean").build(),
                        "one multi-valued RDN"),
                broken(ProfileId.CPX_AUTH, "another surname", d -> d.subject = name(BCStyle.C, "FR", BCStyle.T,
                        "Médecin").addMultiValuedRDN(new ASN1ObjectIdentifier[] {BCStyle.CN, BCStyle.SURNAME,
                        BCStyle.GIVENNAME}, new String[] {"810005173140", "DURAND", "Élise"}).build(),
                        "SN must be the holder's last name"),
                broken(ProfileId.CPX_SIGN, "another idNatPS", d -> d.subject = name(BCStyle.C, "FR", BCStyle.T,
                        "Médecin").addMultiValuedRDN(new ASN1ObjectIdentifier[] {BCStyle.CN, BCStyle.SURNAME,
                        BCStyle.GIVENNAME}, new String[] {"810000000000", "MARTIN", "Élise"}).build(),
                        "CN must be the holder's idNatPS"),
                broken(ProfileId.CPX_SIGN, "another title", d -> d.subject = name(BCStyle.C, "FR", BCStyle.T,
                        "Infirmier").addMultiValuedRDN(new ASN1ObjectIdentifier[] {BCStyle.CN, BCStyle.SURNAME,
                        BCStyle.GIVENNAME}, new String[] {"810005173140", "MARTIN", "Élise"}).build(),
                        "title must be the holder's profession"),
                broken(ProfileId.SERV_SSL_SERVEUR, "one DNS name missing", d -> d.put(Extension.subjectAlternativeName,
                        false, new GeneralNames(new GeneralName(GeneralName.dNSName, "dmp.chu-demo.fr"))),
                        "subjectAltName"),
                broken(ProfileId.ORG_CONF, "an EC key for encryption", d -> d.key = d.holder = HOLDER.getPublic(),
                        "needs an RSA key"),
                broken(ProfileId.SERV_SSL_SERVEUR, "keyEncipherment with an EC key", d -> d.put(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment)), "keyUsage differs"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("brokenDrafts")
    void catches(ProfileId id, String change, Consumer<Draft> breakIt, String problem) throws Exception {
        Draft draft = new Draft(id);
        breakIt.accept(draft);
        assertThat(problems(draft)).anySatisfy(p -> assertThat(p).contains(problem));
    }

    /**
     * The same broken drafts with the profile-only extensions encoded exactly as the checker's shortcut knows them
     * (policy with its CPS qualifier): whatever the shortcut accepts unparsed, every rule still catches its breach.
     */
    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("brokenDrafts")
    void catchesWithTheIssuersEncodings(ProfileId id, String change, Consumer<Draft> breakIt, String problem)
            throws Exception {
        Draft draft = new Draft(id);
        draft.useIssuerEncodings();
        assertThat(problems(draft)).isEmpty();
        breakIt.accept(draft);
        assertThat(problems(draft)).anySatisfy(p -> assertThat(p).contains(problem));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyProfile")
    void aDraftWithTheIssuersEncodingsHasNoProblem(ProfileId id) throws Exception {
        Draft draft = new Draft(id);
        draft.useIssuerEncodings();
        assertThat(problems(draft)).isEmpty();
    }

    @Test
    void theShortcutNeedsTheSameCriticalityAndBytes() throws Exception {
        Draft draft = new Draft(ProfileId.ORG_AUTH_CLI);
        draft.useIssuerEncodings();
        // the exact EKU bytes, but critical: the full rule runs and refuses it
        draft.put(Extension.extendedKeyUsage, true, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        // the policy of another profile, with the same CPS qualifier
        draft.put(Extension.certificatePolicies, false, new CertificatePolicies(new PolicyInformation(
                new ASN1ObjectIdentifier(TestPki.POLICY_ARC + ".2"), new DERSequence(
                new PolicyQualifierInfo(TestPki.PROFILES.get(ProfileId.ORG_AUTH_CLI).cpsUri())))));
        // CA:TRUE in place of the empty SEQUENCE
        draft.put(Extension.basicConstraints, false, new BasicConstraints(true));
        assertThat(problems(draft)).contains("extendedKeyUsage must be present and not critical",
                "certificatePolicies must carry " + TestPki.POLICY_ARC + ".1",
                "basicConstraints must be present with CA:FALSE");
    }

    @Test
    void theKeyUsageShortcutHoldsForOneKeyTypeOnly() throws Exception {
        // digitalSignature alone is exactly right for an EC key (its known encoding is computed on the first draft)
        // and one bit short for an RSA key of the same profile, which must take the full rule
        Draft ec = new Draft(ProfileId.SERV_SSL_SERVEUR);
        assertThat(problems(ec)).isEmpty();
        Draft rsa = new Draft(ProfileId.SERV_SSL_SERVEUR);
        rsa.holder = TestPki.rsaHolder().getPublic();
        rsa.key = rsa.holder;
        assertThat(problems(rsa)).contains("keyUsage differs from the profile");
        rsa.put(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        assertThat(problems(rsa)).isEmpty();
        // the exact EC bytes, not critical
        ec.put(Extension.keyUsage, false, new KeyUsage(KeyUsage.digitalSignature));
        assertThat(problems(ec)).contains("keyUsage must be present and critical");
    }

    @Test
    void aRaisonSocialeWithRfc4514SpecialsIsComparedAsItsText() throws Exception {
        Draft draft = new Draft(ProfileId.ORG_AUTH_CLI);
        IssuanceRequest request = new IssuanceRequest(draft.holder, SubjectData.organisation("INSI-AUTO",
                "1750712184", "CHU DEMO, Site + Annexe", "Rhône (69)"), List.of(), List.of(), NOT_BEFORE, null);
        draft.subject = name(BCStyle.C, "FR", BCStyle.ST, "Rhône (69)", BCStyle.O, "CHU DEMO, Site + Annexe",
                BCStyle.OU, "1750712184", BCStyle.CN, "INSI-AUTO").build();
        assertThat(ProfileChecker.problems(draft.build(), TestPki.PROFILES.get(draft.profile), request)).isEmpty();
        draft.subject = name(BCStyle.C, "FR", BCStyle.ST, "Rhône (69)", BCStyle.O, "CHU DEMO\\, Site + Annexe",
                BCStyle.OU, "1750712184", BCStyle.CN, "INSI-AUTO").build();
        assertThat(ProfileChecker.problems(draft.build(), TestPki.PROFILES.get(draft.profile), request))
                .containsExactly("subject O must be the structure's raison sociale");
    }

    static Stream<Arguments> times() {
        return Stream.of(
                Arguments.of(new org.bouncycastle.asn1.ASN1UTCTime("491231235959Z"), "2049-12-31T23:59:59Z"),
                Arguments.of(new org.bouncycastle.asn1.ASN1UTCTime("500101000000Z"), "1950-01-01T00:00:00Z"),
                Arguments.of(new org.bouncycastle.asn1.ASN1UTCTime("260115100000Z"), "2026-01-15T10:00:00Z"),
                Arguments.of(new ASN1GeneralizedTime("20500101000000Z"), "2050-01-01T00:00:00Z"),
                Arguments.of(new ASN1GeneralizedTime("99991231235959Z"), "9999-12-31T23:59:59Z"),
                // not the RFC 5280 forms: BouncyCastle's own parser
                Arguments.of(new ASN1GeneralizedTime("20500101000000.5Z"), "2050-01-01T00:00:00.500Z"),
                Arguments.of(new org.bouncycastle.asn1.ASN1UTCTime("2601151000Z"), "2026-01-15T10:00:00Z"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("times")
    void readsUtcAndGeneralizedTimes(org.bouncycastle.asn1.ASN1Primitive time, String expected) throws Exception {
        assertThat(ProfileChecker.instant(time)).isEqualTo(Instant.parse(expected));
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"261315100000Z", "260132100000Z", "260115250000Z",
            "260115106000Z"})
    void refusesAnImpossibleDate(String text) {
        assertThatThrownBy(() -> ProfileChecker.instant(new org.bouncycastle.asn1.ASN1UTCTime(text)))
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    void theCnOfATlsServerMustBeOneOfItsDnsNames() throws Exception {
        Draft draft = new Draft(ProfileId.SERV_SSL_SERVEUR);
        IssuanceRequest request = draft.request().withDnsNames(List.of("www.chu-demo.fr"));
        draft.put(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName,
                "www.chu-demo.fr")));
        assertThat(ProfileChecker.problems(draft.build(), TestPki.PROFILES.get(draft.profile), request))
                .containsExactly("the CN of a TLS server certificate must be one of its DNS names");
    }

    @Test
    void checkThrowsProfileCheckFailedWithEveryProblem() {
        Draft draft = new Draft(ProfileId.ORG_AUTH_CLI);
        draft.extensions.remove(Extension.keyUsage);
        draft.serial = BigInteger.ZERO;
        assertThatThrownBy(() -> ProfileChecker.check(draft.build(), TestPki.PROFILES.get(draft.profile),
                draft.request())).isInstanceOfSatisfying(CaException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(CaErrorCode.PROFILE_CHECK_FAILED);
                    assertThat(e.getMessage()).contains("serial must be positive").contains("keyUsage must be present");
                });
    }

    private static Arguments broken(ProfileId id, String change, Consumer<Draft> breakIt, String problem) {
        return Arguments.of(id, change, breakIt, problem);
    }
}
