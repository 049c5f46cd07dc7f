package org.openigc.server.habilitation;

import java.util.ArrayList;
import java.util.List;

import org.openigc.ca.Offer;

/**
 * What a dossier says once every field passed {@link FormValidation}: trimmed, domains in lower case, offers as
 * enums. Text is kept exactly as typed otherwise (a {@code <script>} in a description is stored literally and escaped
 * wherever it is shown).
 */
public record DossierContent(String structureName, String finess, String siret, String rppsRang,
                             List<String> additionalRppsRangs, SignatoryRole signatoryRole, String signatoryLastName,
                             String signatoryFirstNames, String signatoryPhone, String signatoryEmail,
                             String signatoryCardNumber, List<AdministratorEntry> administrators,
                             String usageDescription, String usageEditor, String usageSolution, String usageVersion,
                             List<Offer> offers, List<String> sslDomains, String sslServerName,
                             List<String> smimeDomains, List<String> proMailDomains) {

    public DossierContent {
        additionalRppsRangs = copy(additionalRppsRangs);
        administrators = administrators == null ? List.of() : List.copyOf(administrators);
        offers = offers == null ? List.of() : List.copyOf(offers);
        sslDomains = copy(sslDomains);
        smimeDomains = copy(smimeDomains);
        proMailDomains = copy(proMailDomains);
    }

    /** One technical administrator of section 4.1; names as on the card. */
    public record AdministratorEntry(String cardNumber, String lastName, String firstName, String phone, String email) {
    }

    /** The identifier the structure was declared with: FINESS, else SIRET, else RPPS rang. */
    public String structureIdentifier() {
        return finess != null ? finess : siret != null ? siret : rppsRang;
    }

    /** The domains a SERV SSL_SERVEUR habilitation covers: the declared domains, or the one server name. */
    public List<String> sslNames() {
        List<String> names = new ArrayList<>(sslDomains);
        if (sslServerName != null) {
            names.add(sslServerName);
        }
        return names;
    }

    /** Back to the form's shape, to prefill the correction of a dossier. */
    public HabilitationForm toForm() {
        return new HabilitationForm(
                new HabilitationForm.Structure(structureName, nz(finess), nz(siret), nz(rppsRang), additionalRppsRangs),
                new HabilitationForm.Signatory(signatoryRole.name(), signatoryLastName, signatoryFirstNames,
                        signatoryPhone, signatoryEmail, signatoryCardNumber),
                administrators.stream().map(a -> new HabilitationForm.Administrator(a.cardNumber(), a.lastName(),
                        a.firstName(), a.phone(), a.email())).toList(),
                new HabilitationForm.Usage(usageDescription, nz(usageEditor), nz(usageSolution), nz(usageVersion)),
                offers.stream().map(Offer::name).toList(), sslDomains, nz(sslServerName), smimeDomains, proMailDomains);
    }

    private static String nz(String value) {
        return value == null ? "" : value;
    }

    private static List<String> copy(List<String> list) {
        return list == null ? List.of() : List.copyOf(list);
    }
}
