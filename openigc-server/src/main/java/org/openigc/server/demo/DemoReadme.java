package org.openigc.server.demo;

import java.nio.file.Path;

import org.openigc.server.config.OpenIgcProperties;

/** The text of {@code <data-dir>/demo/README.txt}: what a person needs to try the platform with the personas. */
final class DemoReadme {
    private DemoReadme() {
    }

    static String text(OpenIgcProperties properties, Path directory) {
        StringBuilder text = new StringBuilder();
        text.append("""
                OpenIGC — DEMO MODE
                ===================

                Every persona below has a card certificate (profile CPX_AUTH, PRODUCTION PERSONNES CA) in this folder:
                <persona>.p12, password: demo  (key + certificate + CA chain).

                Browser: open https://localhost:8443/ and pick a persona at /demo/personas (counts as a card login),
                or import a .p12 into the browser and use "Carte CPx".

                Personas
                --------
                """);
        for (DemoData.Persona persona : DemoData.PERSONAS) {
            text.append(String.format("%-13s %-4s card %s  idNatPS %-26s %s %s%n    %s%n", persona.name(),
                    persona.cardType(), persona.cardNumber(), persona.idNatPs(), persona.firstName(), persona.lastName(),
                    persona.role()));
        }
        text.append("""

                CertDC account
                --------------
                si-manager    (identifier and password: set by the CertDC feature)

                Structures
                ----------
                CHU DEMO (EJ, FINESS 750712184, Paris, Île-de-France; may order under its EJ; contract DEMO-CT-2025-0001)
                  EG 750100018 HOPITAL SAINT-DEMO (75) · EG 920100047 HOPITAL NORD (92) · EG 750100026 HOPITAL SUD (94)
                CENTRE DE SANTE DEMO (EJ, FINESS 930000054, Saint-Denis, Île-de-France; contract DEMO-CT-2025-0002;
                  delegation to EDITEUR DEMO LOGICIELS)
                CLINIQUE DEMO BORDEAUX (EJ, FINESS 330000068, Nouvelle-Aquitaine; contract DEMO-CT-2025-0003)
                  EG 330000076 SITE RIVE DROITE
                EDITEUR DEMO LOGICIELS (SIRET 41234567000019, Lyon; software editor)

                curl examples
                -------------
                """);
        String dir = directory.toString();
        String root = properties.httpBaseUrl() + "/ca/prod-root.crt";
        text.append("curl -s " + root + " -o " + dir + "/prod-root.der\n");
        text.append("openssl x509 -inform DER -in " + dir + "/prod-root.der -out " + dir + "/prod-root.pem\n");
        text.append("curl --cert-type P12 --cert " + dir + "/admin-chu.p12:demo --cacert " + dir
                + "/prod-root.pem https://localhost:8443/api/v1/me\n");
        text.append("curl --cert-type P12 --cert " + dir + "/referent-idf.p12:demo --cacert " + dir
                + "/prod-root.pem 'https://localhost:8443/api/v1/structures?q=demo'\n");
        text.append("""

                Demo mode is on by default only with the embedded database; with an external database it is refused
                unless openigc.demo-force=true. Never use these keys outside a demo.
                """);
        return text.toString();
    }
}
