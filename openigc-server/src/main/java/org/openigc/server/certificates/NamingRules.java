package org.openigc.server.certificates;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.openigc.ca.ProfileId;
import org.openigc.ca.Usage;

/**
 * The naming rules of the ordering portal, enforced exactly: the INSi names {@code INSI-AUTO} / {@code INSI-MANU}
 * (exact case, no spaces), the DMP names {@code DMP AUTHENTIFICATION} (ORG AUTH_CLI) and {@code DMP SIGNATURE}
 * (ORG SIGN), FQDNs within the approved domains for SERV SSL, the mail domain for S/MIME.
 */
final class NamingRules {
    static final String INSI_AUTO = "INSI-AUTO";
    static final String INSI_MANU = "INSI-MANU";
    static final String DMP_AUTH = "DMP AUTHENTIFICATION";
    static final String DMP_SIGN = "DMP SIGNATURE";

    /** Letters (accented too), digits, space and a few separators; no control characters. */
    private static final Pattern FREE_TEXT = Pattern.compile("[\\p{L}\\p{N} .,'()/_&+-]{1,64}");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private NamingRules() {
    }


    static List<FieldViolation> check(ProfileId profile, String serviceApplicatif, List<String> dnsNames,
                                 List<String> approvedSslDomains, List<String> approvedMailDomains) {
        List<FieldViolation> violations = new ArrayList<>();
        if (serviceApplicatif == null || serviceApplicatif.isEmpty()) {
            violations.add(new FieldViolation("serviceApplicatif", "required", "le service applicatif est obligatoire"));
            return violations;
        }
        if (profile.usage() == Usage.SSL_SERVEUR) {
            checkServerNames(serviceApplicatif, dnsNames, approvedSslDomains, violations);
            return violations;
        }
        if (profile == ProfileId.SERV_SMIME || profile == ProfileId.SERV_SIGN || profile == ProfileId.SERV_CONF) {
            if (!isFqdn(serviceApplicatif)) {
                violations.add(new FieldViolation("serviceApplicatif", "mailDomain",
                        "le service applicatif d'un certificat S/MIME est le domaine de messagerie (ex. chu-demo.fr)"));
            } else if (!withinApproved(serviceApplicatif, approvedMailDomains)) {
                violations.add(new FieldViolation("serviceApplicatif", "domainNotApproved",
                        "le domaine " + serviceApplicatif + " n'est pas approuvé dans le formulaire 413 de la structure"));
            }
            return violations;
        }
        if (!serviceApplicatif.equals(serviceApplicatif.strip()) || serviceApplicatif.contains("  ")) {
            violations.add(new FieldViolation("serviceApplicatif", "whitespace",
                    "pas d'espace en début ou en fin, ni d'espaces doubles"));
            return violations;
        }
        if (!FREE_TEXT.matcher(serviceApplicatif).matches()) {
            violations.add(new FieldViolation("serviceApplicatif", "characters",
                    "64 caractères au plus : lettres, chiffres, espace et . , ' ( ) / _ & + -"));
            return violations;
        }
        String folded = serviceApplicatif.toUpperCase(Locale.ROOT).replaceAll("[\\s_]+", "-");
        if (folded.startsWith("INSI")) {
            if (!serviceApplicatif.equals(INSI_AUTO) && !serviceApplicatif.equals(INSI_MANU)) {
                violations.add(new FieldViolation("serviceApplicatif", "insiName",
                        "un certificat INSi se nomme exactement INSI-AUTO (traitement par lot) ou INSI-MANU "
                                + "(appel manuel) : majuscules, sans espace"));
            } else if (profile != ProfileId.ORG_AUTH_CLI) {
                violations.add(new FieldViolation("serviceApplicatif", "insiUsage",
                        "un certificat INSi est un certificat ORG AUTH_CLI"));
            }
        } else if (folded.startsWith("DMP-AUTH") || folded.startsWith("DMP-SIGN")) {
            String expected = profile == ProfileId.ORG_AUTH_CLI ? DMP_AUTH : profile == ProfileId.ORG_SIGN ? DMP_SIGN : null;
            if (expected == null) {
                violations.add(new FieldViolation("serviceApplicatif", "dmpUsage",
                        "les noms DMP sont réservés aux certificats ORG AUTH_CLI et ORG SIGN"));
            } else if (!serviceApplicatif.equals(expected)) {
                violations.add(new FieldViolation("serviceApplicatif", "dmpName",
                        "pour le DMP, ce certificat se nomme exactement « " + expected + " »"));
            }
        }
        return violations;
    }

    private static void checkServerNames(String serviceApplicatif, List<String> dnsNames, List<String> approved,
                                         List<FieldViolation> violations) {
        List<String> names = dnsNames == null || dnsNames.isEmpty() ? List.of(serviceApplicatif) : dnsNames;
        if (!isFqdn(serviceApplicatif)) {
            violations.add(new FieldViolation("serviceApplicatif", "fqdn",
                    "le service applicatif d'un certificat SSL serveur est un nom de domaine complet en minuscules "
                            + "(ex. dmp.chu-demo.fr)"));
            return;
        }
        if (!names.contains(serviceApplicatif)) {
            violations.add(new FieldViolation("dnsNames", "cnNotInNames",
                    "la liste des noms doit contenir le service applicatif " + serviceApplicatif));
        }
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (!isFqdn(name)) {
                violations.add(new FieldViolation("dnsNames[" + i + "]", "fqdn",
                        "« " + name + " » n'est pas un nom de domaine complet en minuscules (pas de joker)"));
            } else if (!withinApproved(name, approved)) {
                violations.add(new FieldViolation("dnsNames[" + i + "]", "domainNotApproved",
                        "le nom " + name + " n'est pas couvert par les domaines approuvés dans le formulaire 413"));
            }
        }
    }

    /** Lower-case LDH labels, at least two, no wildcard, at most 253 characters. */
    static boolean isFqdn(String name) {
        if (name == null || name.length() > 253 || !name.contains(".")) {
            return false;
        }
        for (String label : name.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    /** A name is approved when it equals an approved domain or is a sub-domain of one. */
    static boolean withinApproved(String name, List<String> approved) {
        if (approved == null) {
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
}
