package org.openigc.server.habilitation;

import java.util.List;

/**
 * Form 413 as sent, before any check: the JSON body of {@code POST /api/v1/habilitations} (SPEC §7) and what the web
 * form is read into. Every part may be missing or null; {@link FormValidation} reports each broken rule with the
 * JSON path of its field ({@code structure.finess}, {@code administrators[1].cardNumber}…).
 *
 * @param structure      3.1: one identifier — FINESS (géographique, or juridique where the doctrine allows), SIRET
 *                       only where there is no FINESS, or RPPS rang for a radiology cabinet
 * @param signatory      3.2: the legal representative, mandataire or cabinet holder who signs — the caller
 * @param administrators 4.1: one or more technical administrators
 * @param usage          4.2
 * @param offers         4.3: ORG, SERV, PRO
 * @param sslDomains     SERV SSL_SERVEUR: the domain names (e.g. {@code chu-demo.fr})
 * @param sslServerName  SERV SSL_SERVEUR restricted to one server (e.g. {@code dmp.chu-demo.fr}), instead of domains
 * @param smimeDomains   SERV S/MIME, SIGN, CONF: the mail domains ({@code chu-demo.fr} or {@code @chu-demo.fr})
 * @param proMailDomains PRO: the mail domain of the persons' certificates (optional)
 */
public record HabilitationForm(Structure structure, Signatory signatory, List<Administrator> administrators,
                               Usage usage, List<String> offers, List<String> sslDomains, String sslServerName,
                               List<String> smimeDomains, List<String> proMailDomains) {

    /** @param additionalRppsRangs rangs 2 to 4 of a radiology cabinet (the form has four lines) */
    public record Structure(String name, String finess, String siret, String rppsRang, List<String> additionalRppsRangs) {
    }

    /** @param role LEGAL_REPRESENTATIVE, MANDATAIRE or CABINET_HOLDER (titulaire du cabinet, RPPS rang) */
    public record Signatory(String role, String lastName, String firstNames, String phone, String email,
                            String cardNumber) {
    }

    /** Names as written on the card. */
    public record Administrator(String cardNumber, String lastName, String firstName, String phone, String email) {
    }

    public record Usage(String description, String editor, String solution, String version) {
    }

    static HabilitationForm empty() {
        return new HabilitationForm(new Structure("", "", "", "", List.of()),
                new Signatory("LEGAL_REPRESENTATIVE", "", "", "", "", ""),
                List.of(new Administrator("", "", "", "", "")), new Usage("", "", "", ""), List.of(), List.of(), "",
                List.of(), List.of());
    }
}
