package org.openigc.server.habilitation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.openigc.ca.Offer;
import org.openigc.identifiers.Identifiers;
import org.openigc.identifiers.ValidationMode;
import org.openigc.server.web.FieldError;

/**
 * The rules of form 413 that need no database: every field of SPEC §3.1, each broken rule reported with the JSON path
 * of its field and a stable code (translated in French and English by the message bundles), <em>all</em> of them at
 * once. What needs the registry (is the structure registered, is the caller its legal representative…) is checked by
 * {@link HabilitationService}, which adds its errors to these.
 */
final class FormValidation {
    static final int MAX_ADMINISTRATORS = 20;
    static final int MAX_DOMAINS = 20;
    static final int MAX_ADDITIONAL_RANGS = 3;
    static final int NAME_MAX = 64;
    static final int FIRST_NAMES_MAX = 100;
    static final int STRUCTURE_NAME_MAX = 200;
    static final int DESCRIPTION_MAX = 2000;
    static final int SOLUTION_MAX = 200;
    static final int VERSION_MAX = 64;
    static final int REASON_MAX = 2000;

    private static final Pattern CARD_NUMBER = Pattern.compile("\\d{10}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s<>\"(),;:\\\\\\[\\]]{1,64}@[A-Za-z0-9.-]{1,253}\\.[A-Za-z]{2,}");
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9 .()-]{6,20}");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern TLD = Pattern.compile("[a-z][a-z0-9-]*[a-z0-9]|[a-z]{2,}");

    private FormValidation() {
    }

    /** The content once checked (fields that broke a rule are null) and every broken rule. */
    record Result(DossierContent content, List<FieldError> errors) {
    }

    /**
     * @param requireStructureName the web form asks the dénomination (starred on the paper form); the API may omit it
     *                             (the registry's name is then used)
     */
    static Result validate(HabilitationForm form, boolean requireStructureName) {
        List<FieldError> errors = new ArrayList<>();
        if (form == null) {
            errors.add(FieldError.of("body", "field.required", "required"));
            return new Result(null, errors);
        }
        // ---- 3.1 structure
        HabilitationForm.Structure structure = form.structure();
        if (structure == null) {
            errors.add(FieldError.of("structure", "field.required", "required"));
            structure = new HabilitationForm.Structure(null, null, null, null, null);
        }
        String structureName = text("structure.name", structure.name(), requireStructureName, STRUCTURE_NAME_MAX, false, errors);
        String finess = blankToNull(structure.finess());
        String siret = blankToNull(structure.siret());
        String rppsRang = blankToNull(structure.rppsRang());
        if (finess == null && siret == null && rppsRang == null) {
            errors.add(FieldError.of("structure.finess", "habilitation.structure.identifierRequired",
                    "Give the FINESS (or the SIRET where there is no FINESS, or the RPPS rang of a radiology cabinet)"));
        }
        if (finess != null) {
            List<FieldError> finessErrors = FieldError.of(Identifiers.finess("structure.finess", finess,
                    ValidationMode.STRICT), "FINESS");
            errors.addAll(finessErrors);
            finess = finessErrors.isEmpty() ? finess : null;
        }
        if (siret != null) {
            if (structure.finess() != null && !structure.finess().isBlank()) {
                errors.add(FieldError.of("structure.siret", "habilitation.structure.siretWithFiness",
                        "The SIRET is given only where the structure has no FINESS"));
                siret = null;
            } else {
                List<FieldError> siretErrors = FieldError.of(Identifiers.siret("structure.siret", siret), "SIRET");
                errors.addAll(siretErrors);
                siret = siretErrors.isEmpty() ? siret : null;
            }
        }
        if (rppsRang != null) {
            if (blankToNull(structure.finess()) != null || blankToNull(structure.siret()) != null) {
                errors.add(FieldError.of("structure.rppsRang", "habilitation.structure.rppsRangAlone",
                        "The RPPS rang identifies a radiology cabinet on its own: give no FINESS nor SIRET with it"));
                rppsRang = null;
            } else {
                List<FieldError> rangErrors = FieldError.of(Identifiers.rppsRang("structure.rppsRang", rppsRang), "RPPS rang");
                errors.addAll(rangErrors);
                rppsRang = rangErrors.isEmpty() ? rppsRang : null;
            }
        }
        List<String> additionalRangs = new ArrayList<>();
        List<String> rangInput = nonBlank(structure.additionalRppsRangs());
        if (!rangInput.isEmpty() && blankToNull(structure.rppsRang()) == null) {
            errors.add(FieldError.of("structure.additionalRppsRangs", "habilitation.structure.additionalRangsWithoutRang",
                    "Further RPPS rangs only follow the first one of a radiology cabinet"));
        } else if (rangInput.size() > MAX_ADDITIONAL_RANGS) {
            errors.add(FieldError.of("structure.additionalRppsRangs", "habilitation.list.tooMany", "too many",
                    String.valueOf(MAX_ADDITIONAL_RANGS)));
        } else {
            for (int i = 0; i < rangInput.size(); i++) {
                String field = "structure.additionalRppsRangs[" + i + "]";
                String rang = rangInput.get(i);
                List<FieldError> rangErrors = FieldError.of(Identifiers.rppsRang(field, rang), "RPPS rang");
                errors.addAll(rangErrors);
                if (rangErrors.isEmpty()) {
                    if (rang.equals(rppsRang) || additionalRangs.contains(rang)) {
                        errors.add(FieldError.of(field, "habilitation.list.duplicate", "given twice", rang));
                    } else {
                        additionalRangs.add(rang);
                    }
                }
            }
        }

        // ---- 3.2 signatory
        HabilitationForm.Signatory signatory = form.signatory();
        if (signatory == null) {
            errors.add(FieldError.of("signatory", "field.required", "required"));
            signatory = new HabilitationForm.Signatory(null, null, null, null, null, null);
        }
        SignatoryRole role = enumValue(SignatoryRole.class, "signatory.role", signatory.role(), errors);
        if (role == SignatoryRole.CABINET_HOLDER && blankToNull(structure.rppsRang()) == null) {
            errors.add(FieldError.of("signatory.role", "habilitation.signatory.cabinetHolderNeedsRang",
                    "A cabinet holder signs for a cabinet identified by its RPPS rang"));
        }
        String signatoryLastName = text("signatory.lastName", signatory.lastName(), true, NAME_MAX, false, errors);
        String signatoryFirstNames = text("signatory.firstNames", signatory.firstNames(), true, FIRST_NAMES_MAX, false, errors);
        String signatoryPhone = phone("signatory.phone", signatory.phone(), errors);
        String signatoryEmail = email("signatory.email", signatory.email(), errors);
        String signatoryCard = cardNumber("signatory.cardNumber", signatory.cardNumber(), errors);

        // ---- 4.1 technical administrators
        List<DossierContent.AdministratorEntry> administrators = new ArrayList<>();
        List<HabilitationForm.Administrator> adminInput = form.administrators() == null ? List.of() : form.administrators();
        if (adminInput.isEmpty()) {
            errors.add(FieldError.of("administrators", "habilitation.administrators.required",
                    "Declare at least one technical administrator"));
        } else if (adminInput.size() > MAX_ADMINISTRATORS) {
            errors.add(FieldError.of("administrators", "habilitation.list.tooMany", "too many",
                    String.valueOf(MAX_ADMINISTRATORS)));
        } else {
            Map<String, Integer> cards = new HashMap<>();
            for (int i = 0; i < adminInput.size(); i++) {
                String prefix = "administrators[" + i + "].";
                HabilitationForm.Administrator admin = adminInput.get(i);
                if (admin == null) {
                    errors.add(FieldError.of("administrators[" + i + "]", "field.required", "required"));
                    continue;
                }
                String card = cardNumber(prefix + "cardNumber", admin.cardNumber(), errors);
                String lastName = text(prefix + "lastName", admin.lastName(), true, NAME_MAX, false, errors);
                String firstName = text(prefix + "firstName", admin.firstName(), true, NAME_MAX, false, errors);
                String phone = phone(prefix + "phone", admin.phone(), errors);
                String email = email(prefix + "email", admin.email(), errors);
                if (card != null) {
                    Integer first = cards.putIfAbsent(card, i);
                    if (first != null) {
                        errors.add(FieldError.of(prefix + "cardNumber", "habilitation.administrator.duplicate",
                                "Same card number as administrator " + (first + 1), String.valueOf(first + 1)));
                        continue;
                    }
                }
                administrators.add(new DossierContent.AdministratorEntry(card, lastName, firstName, phone, email));
            }
        }

        // ---- 4.2 usage
        HabilitationForm.Usage usage = form.usage();
        if (usage == null) {
            errors.add(FieldError.of("usage", "field.required", "required"));
            usage = new HabilitationForm.Usage(null, null, null, null);
        }
        String description = text("usage.description", usage.description(), true, DESCRIPTION_MAX, true, errors);
        String editor = text("usage.editor", usage.editor(), false, SOLUTION_MAX, false, errors);
        String solution = text("usage.solution", usage.solution(), false, SOLUTION_MAX, false, errors);
        String version = text("usage.version", usage.version(), false, VERSION_MAX, false, errors);

        // ---- 4.3 offers and their sub-fields
        List<Offer> offers = new ArrayList<>();
        List<String> offerInput = form.offers() == null ? List.of() : form.offers();
        if (nonBlank(offerInput).isEmpty()) {
            errors.add(FieldError.of("offers", "habilitation.offers.required", "Choose at least one offer: ORG, SERV or PRO"));
        }
        for (int i = 0; i < offerInput.size(); i++) {
            String value = blankToNull(offerInput.get(i));
            if (value == null) {
                continue;
            }
            String field = "offers[" + i + "]";
            Offer offer = switch (value.toUpperCase(Locale.ROOT)) {
                case "ORG" -> Offer.ORG;
                case "SERV" -> Offer.SERV;
                case "PRO" -> Offer.PRO;
                default -> null;
            };
            if (offer == null) {
                errors.add(FieldError.of(field, "field.oneOf", "must be one of ORG, SERV, PRO", "ORG, SERV, PRO"));
            } else if (offers.contains(offer)) {
                errors.add(FieldError.of(field, "habilitation.list.duplicate", "given twice", offer.name()));
            } else {
                offers.add(offer);
            }
        }
        boolean serv = offers.contains(Offer.SERV);
        List<String> sslDomains = domains("sslDomains", form.sslDomains(), false, errors);
        String serverName = blankToNull(form.sslServerName());
        if (serverName != null) {
            serverName = normaliseDomain(serverName, false);
            if (!dnsName(serverName)) {
                errors.add(FieldError.of("sslServerName", "habilitation.domain.format", "not a DNS name", serverName));
                serverName = null;
            }
        }
        List<String> smimeDomains = domains("smimeDomains", form.smimeDomains(), true, errors);
        List<String> proDomains = domains("proMailDomains", form.proMailDomains(), true, errors);
        if (serv && !sslDomains.isEmpty() && serverName != null) {
            errors.add(FieldError.of("sslServerName", "habilitation.ssl.domainOrServer",
                    "Fill in either the domain names or the one server name"));
        }
        if (!serv && errors.stream().noneMatch(e -> e.field().startsWith("offers"))) {
            notWithout("sslDomains", !nonBlank(form.sslDomains()).isEmpty(), "SERV", errors);
            notWithout("sslServerName", blankToNull(form.sslServerName()) != null, "SERV", errors);
            notWithout("smimeDomains", !nonBlank(form.smimeDomains()).isEmpty(), "SERV", errors);
        }
        if (!offers.contains(Offer.PRO) && errors.stream().noneMatch(e -> e.field().startsWith("offers"))) {
            notWithout("proMailDomains", !nonBlank(form.proMailDomains()).isEmpty(), "PRO", errors);
        }
        if (serv && nonBlank(form.sslDomains()).isEmpty() && blankToNull(form.sslServerName()) == null
                && nonBlank(form.smimeDomains()).isEmpty()) {
            errors.add(FieldError.of("sslDomains", "habilitation.serv.domainsRequired",
                    "SERV needs the SSL domain names, one server name, or the S/MIME mail domains"));
        }

        DossierContent content = new DossierContent(structureName, finess, siret, rppsRang, additionalRangs, role,
                signatoryLastName, signatoryFirstNames, signatoryPhone, signatoryEmail, signatoryCard, administrators,
                description, editor, solution, version, offers, sslDomains, serverName, smimeDomains, proDomains);
        return new Result(content, errors);
    }

    /** The reason of a rejection or the message of an information request: required, at most 2000 characters. */
    static String reason(String field, String value, List<FieldError> errors) {
        return text(field, value, true, REASON_MAX, true, errors);
    }

    private static void notWithout(String field, boolean given, String offer, List<FieldError> errors) {
        if (given) {
            errors.add(FieldError.of(field, "habilitation.offer.subfieldWithoutOffer",
                    "Only with the " + offer + " offer", offer));
        }
    }

    private static List<String> domains(String field, List<String> input, boolean mail, List<FieldError> errors) {
        List<String> values = nonBlank(input);
        List<String> result = new ArrayList<>();
        if (values.size() > MAX_DOMAINS) {
            errors.add(FieldError.of(field, "habilitation.list.tooMany", "too many", String.valueOf(MAX_DOMAINS)));
            return result;
        }
        int i = 0;
        for (String raw : input == null ? List.<String>of() : input) {
            int index = i++;
            if (raw == null || raw.isBlank()) {
                continue;
            }
            String domain = normaliseDomain(raw, mail);
            String indexed = field + "[" + index + "]";
            if (!dnsName(domain)) {
                errors.add(FieldError.of(indexed, "habilitation.domain.format", "not a DNS name", raw.strip()));
            } else if (result.contains(domain)) {
                errors.add(FieldError.of(indexed, "habilitation.list.duplicate", "given twice", domain));
            } else {
                result.add(domain);
            }
        }
        return result;
    }

    /** Lower case, no trailing dot; a mail domain may be written {@code @domaine.fr}. */
    static String normaliseDomain(String raw, boolean mail) {
        String domain = raw.strip().toLowerCase(Locale.ROOT);
        if (mail && domain.startsWith("@")) {
            domain = domain.substring(1);
        }
        if (domain.endsWith(".")) {
            domain = domain.substring(0, domain.length() - 1);
        }
        return domain;
    }

    /** A DNS host or domain name: at least two labels of a-z, 0-9 and inner hyphens (1-63 each), at most 253 characters, alphabetic TLD. No wildcard. */
    static boolean dnsName(String name) {
        if (name == null || name.isEmpty() || name.length() > 253) {
            return false;
        }
        String[] labels = name.split("\\.", -1);
        if (labels.length < 2) {
            return false;
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return TLD.matcher(labels[labels.length - 1]).matches() && !labels[labels.length - 1].matches("\\d+");
    }

    private static String cardNumber(String field, String value, List<FieldError> errors) {
        String card = blankToNull(value);
        if (card == null) {
            errors.add(FieldError.of(field, "field.required", "required"));
            return null;
        }
        if (!CARD_NUMBER.matcher(card).matches()) {
            errors.add(FieldError.of(field, "person.cardNumber.format", "A card number is 10 digits"));
            return null;
        }
        return card;
    }

    private static String phone(String field, String value, List<FieldError> errors) {
        String phone = text(field, value, true, 20, false, errors);
        if (phone != null && (!PHONE.matcher(phone).matches() || phone.chars().filter(Character::isDigit).count() < 6)) {
            errors.add(FieldError.of(field, "field.format.phone", "Not a phone number"));
            return null;
        }
        return phone;
    }

    private static String email(String field, String value, List<FieldError> errors) {
        String email = text(field, value, true, 254, false, errors);
        if (email != null && !EMAIL.matcher(email).matches()) {
            errors.add(FieldError.of(field, "field.format.email", "Not an email address"));
            return null;
        }
        return email;
    }

    /**
     * Free text: trimmed; required or not; at most {@code max} characters; no control character (line breaks and
     * tabs only where {@code multiline}). Anything else — quotes, angle brackets, scripts — is kept as typed: it is
     * data, escaped wherever it is shown.
     */
    static String text(String field, String value, boolean required, int max, boolean multiline, List<FieldError> errors) {
        String text = blankToNull(value);
        if (text == null) {
            if (required) {
                errors.add(FieldError.of(field, "field.required", "required"));
            }
            return null;
        }
        if (multiline) {
            text = text.replace("\r\n", "\n");
        }
        if (text.length() > max) {
            errors.add(FieldError.of(field, "field.tooLong", "too long", String.valueOf(max)));
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean allowed = multiline && (c == '\n' || c == '\t');
            if (!allowed && (Character.isISOControl(c) || c == '\u2028' || c == '\u2029')) {
                errors.add(FieldError.of(field, "habilitation.text.control", "contains a control character"));
                return null;
            }
        }
        return text;
    }

    static <E extends Enum<E>> E enumValue(Class<E> type, String field, String value, List<FieldError> errors) {
        String text = blankToNull(value);
        if (text == null) {
            errors.add(FieldError.of(field, "field.required", "required"));
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(text.toUpperCase(Locale.ROOT))) {
                return constant;
            }
        }
        List<String> allowed = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            allowed.add(constant.name());
        }
        errors.add(FieldError.of(field, "field.oneOf", "must be one of " + allowed, String.join(", ", allowed)));
        return null;
    }

    static List<String> nonBlank(List<String> values) {
        if (values == null) {
            return List.of();
        }
        return values.stream().filter(v -> v != null && !v.isBlank()).map(String::strip).toList();
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
