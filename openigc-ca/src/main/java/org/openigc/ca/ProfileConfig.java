package org.openigc.ca;

import java.time.Period;
import java.util.List;
import java.util.Set;

/**
 * The configurable part of a profile, as read from configuration. Untrusted until
 * {@link CertProfile#from(ProfileConfig)} has accepted it.
 *
 * @param keyUsages      names of key usages: digitalSignature, nonRepudiation, keyEncipherment, dataEncipherment
 * @param extendedKeyUsages names: clientAuth, serverAuth, emailProtection
 */
public record ProfileConfig(
        ProfileId id,
        SubjectLayout layout,
        Set<String> keyUsages,
        List<String> extendedKeyUsages,
        AltNameKind altNames,
        boolean privateKeyUsagePeriod,
        Period validity,
        String policyOid,
        String cpsUri) {

    public ProfileConfig {
        keyUsages = Set.copyOf(keyUsages);
        extendedKeyUsages = List.copyOf(extendedKeyUsages);
    }

    public ProfileConfig withValidity(Period newValidity) {
        return new ProfileConfig(id, layout, keyUsages, extendedKeyUsages, altNames, privateKeyUsagePeriod,
                newValidity, policyOid, cpsUri);
    }

    public ProfileConfig withPolicy(String newPolicyOid, String newCpsUri) {
        return new ProfileConfig(id, layout, keyUsages, extendedKeyUsages, altNames, privateKeyUsagePeriod,
                validity, newPolicyOid, newCpsUri);
    }
}
