package org.openigc.server.demo;

import java.util.List;

import org.openigc.ca.Offer;
import org.openigc.server.registry.StructureInput;

/**
 * The demo world (SPEC §6): every identifier carries a valid check digit, so the demo goes through the same
 * validation as real data.
 */
final class DemoData {
    private DemoData() {
    }

    static final String CHU_FINESS = "750712184";
    static final String CHU_IDNAT = "1" + CHU_FINESS;
    static final String CENTRE_FINESS = "930000054";
    static final String CLINIC_FINESS = "330000068";
    static final String EDITOR_SIRET = "41234567000019";
    static final String EDITOR_IDNAT = "3" + EDITOR_SIRET;

    /** In creation order: an EJ before its EG. */
    static final List<StructureInput> STRUCTURES = List.of(
            new StructureInput("EJ", CHU_FINESS, "", "", "", "", "CHU DEMO", "1 avenue de la Démonstration",
                    "75013", "Paris", "", "HOSPITAL", true, "GHT DEMO PARIS"),
            new StructureInput("EG", "750100018", "", "", "", CHU_FINESS, "CHU DEMO - HOPITAL SAINT-DEMO",
                    "12 rue de l'Exemple", "75014", "Paris", "", "HOSPITAL", false, ""),
            new StructureInput("EG", "920100047", "", "", "", CHU_FINESS, "CHU DEMO - HOPITAL NORD",
                    "3 boulevard du Test", "92110", "Clichy", "", "HOSPITAL", false, ""),
            new StructureInput("EG", "750100026", "", "", "", CHU_FINESS, "CHU DEMO - HOPITAL SUD",
                    "8 allée des Essais", "75013", "Paris", "", "HOSPITAL", false, ""),
            new StructureInput("EJ", CENTRE_FINESS, "", "", "", "", "CENTRE DE SANTE DEMO", "5 place de la Santé",
                    "93200", "Saint-Denis", "", "MEDECINE_DE_VILLE", false, ""),
            new StructureInput("EJ", CLINIC_FINESS, "", "", "", "", "CLINIQUE DEMO BORDEAUX", "20 quai des Tests",
                    "33000", "Bordeaux", "", "HOSPITAL", false, ""),
            new StructureInput("EG", "330000076", "", "", "", CLINIC_FINESS, "CLINIQUE DEMO BORDEAUX - SITE RIVE DROITE",
                    "4 avenue Thiers", "33100", "Bordeaux", "", "HOSPITAL", false, ""),
            new StructureInput("COMPANY", "", "412345670", EDITOR_SIRET, "", "", "EDITEUR DEMO LOGICIELS",
                    "10 rue du Code", "69003", "Lyon", "", "EDITOR", false, ""));

    record DemoContract(String finess, String reference) {
    }

    static final List<DemoContract> CONTRACTS = List.of(new DemoContract(CHU_FINESS, "DEMO-CT-2025-0001"),
            new DemoContract(CENTRE_FINESS, "DEMO-CT-2025-0002"), new DemoContract(CLINIC_FINESS, "DEMO-CT-2025-0003"));

    /**
     * @param cardStructure idNatStruct of the card's structure (CPE, CPA, CDE; the doctor's hospital for the CPS)
     * @param role          what the persona is, as the demo README says it
     */
    record Persona(String name, String cardNumber, String cardType, String idNatPs, String lastName, String firstName,
                   String profession, String cardStructure, String role) {
    }

    static final Persona OPERATOR = new Persona("operator", "2800000001", "CPS", "810000000017", "OPERATRICE", "Odile",
            "", "", "OPERATOR: instructs 413 dossiers, manages the registry, sees every dashboard");
    static final Persona LEGAL_CHU = new Persona("legal-chu", "2800000002", "CDE", "3" + CHU_FINESS + "/DIR001",
            "LEGRAND", "Louise", "", CHU_IDNAT, "LEGAL_REPRESENTATIVE of CHU DEMO (EJ " + CHU_FINESS + ", 3 EG)");
    static final Persona ADMIN_CHU = new Persona("admin-chu", "2800000003", "CPE", "3" + CHU_FINESS + "/INF001",
            "ADMIN", "Antoine", "", CHU_IDNAT, "TECHNICAL_ADMINISTRATOR habilitated ORG+SERV on CHU DEMO (SSL/S-MIME domain chu-demo.fr)");
    static final Persona ADMIN_OTHER = new Persona("admin-other", "2800000004", "CPE", "3" + CLINIC_FINESS + "/INF001",
            "AUTRE", "Agathe", "", "1" + CLINIC_FINESS, "TECHNICAL_ADMINISTRATOR habilitated ORG on CLINIQUE DEMO BORDEAUX only");
    static final Persona ADMIN_EDITOR = new Persona("admin-editor", "2800000005", "CPA", "5" + EDITOR_SIRET + "/DEV001",
            "EDITEUR", "Eric", "", EDITOR_IDNAT, "TECHNICAL_ADMINISTRATOR (CPA) at EDITEUR DEMO LOGICIELS, delegated by CENTRE DE SANTE DEMO");
    static final Persona REFERENT_IDF = new Persona("referent-idf", "2800000006", "CPS", "810000000025", "REFERENT",
            "Rémi", "", "", "REFERENT of Île-de-France (région 11): read-only dashboards of its région");
    static final Persona AUDITOR = new Persona("auditor", "2800000007", "CPS", "810000000033", "AUDIT", "Aude", "", "",
            "AUDITOR: read-only audit trail");
    static final Persona DOCTOR = new Persona("doctor", "2800000008", "CPS", "810000000041", "MEDECIN", "Marc",
            "Médecin", "1750100018", "CPS, declaring doctor at CHU DEMO - HOPITAL SAINT-DEMO (CertDC)");

    static final List<Persona> PERSONAS = List.of(OPERATOR, LEGAL_CHU, ADMIN_CHU, ADMIN_OTHER, ADMIN_EDITOR,
            REFERENT_IDF, AUDITOR, DOCTOR);

    /** Not a persona (no card file): the health centre's director, who signed the delegation to the editor. */
    static final Persona CENTRE_DIRECTOR = new Persona("centre-director", "2800000009", "CDE", "3" + CENTRE_FINESS + "/DIR001",
            "DIRECTRICE", "Claire", "", "1" + CENTRE_FINESS, "");

    record DemoHabilitation(Persona persona, String idNatStruct, Offer offer, List<String> sslDomains,
                            List<String> smimeDomains) {
    }

    static final List<DemoHabilitation> HABILITATIONS = List.of(
            new DemoHabilitation(ADMIN_CHU, CHU_IDNAT, Offer.ORG, List.of(), List.of()),
            new DemoHabilitation(ADMIN_CHU, CHU_IDNAT, Offer.SERV, List.of("chu-demo.fr"), List.of("chu-demo.fr")),
            new DemoHabilitation(ADMIN_OTHER, "1" + CLINIC_FINESS, Offer.ORG, List.of(), List.of()));
}
