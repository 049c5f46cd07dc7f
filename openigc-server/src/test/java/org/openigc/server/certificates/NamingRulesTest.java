package org.openigc.server.certificates;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openigc.ca.ProfileId;

class NamingRulesTest {
    private static final List<String> SSL = List.of("chu-demo.fr", "srv.exemple.org");
    private static final List<String> MAIL = List.of("chu-demo.mssante.fr");

    @ParameterizedTest(name = "{0} {1} → {2}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            ORG_AUTH_CLI | INSI-AUTO              | -
            ORG_AUTH_CLI | INSI-MANU              | -
            ORG_AUTH_CLI | INSI-auto              | insiName
            ORG_AUTH_CLI | 'INSI-AUTO '           | whitespace
            ORG_AUTH_CLI | INSI AUTO              | insiName
            ORG_AUTH_CLI | insi-manu              | insiName
            ORG_SIGN     | INSI-AUTO              | insiUsage
            ORG_AUTH_CLI | DMP AUTHENTIFICATION   | -
            ORG_SIGN     | DMP SIGNATURE          | -
            ORG_SIGN     | DMP AUTHENTIFICATION   | dmpName
            ORG_AUTH_CLI | dmp authentification   | dmpName
            ORG_CONF     | DMP SIGNATURE          | dmpUsage
            ORG_AUTH_CLI | SAMU 75                | -
            ORG_AUTH_CLI | Proxy DMP CHU Nantes   | -
            ORG_AUTH_CLI | 'SAMU  75'             | whitespace
            ORG_AUTH_CLI | <script>               | characters
            ORG_AUTH_CLI | -                      | required
            SERV_SSL_SERVEUR | dmp.chu-demo.fr    | -
            SERV_SSL_SERVEUR | chu-demo.fr        | -
            SERV_SSL_SERVEUR | srv.exemple.org    | -
            SERV_SSL_SERVEUR | autre.exemple.org  | domainNotApproved
            SERV_SSL_SERVEUR | evil-chu-demo.fr   | domainNotApproved
            SERV_SSL_SERVEUR | DMP.chu-demo.fr    | fqdn
            SERV_SSL_SERVEUR | *.chu-demo.fr      | fqdn
            SERV_SSL_SERVEUR | Proxy DMP          | fqdn
            SERV_SMIME   | chu-demo.mssante.fr    | -
            SERV_SMIME   | chu-demo.fr            | domainNotApproved
            """)
    void serviceApplicatifRules(ProfileId profile, String name, String expectedCode) {
        List<FieldViolation> violations = NamingRules.check(profile, name, List.of(), SSL, MAIL);
        if (expectedCode == null) {
            assertThat(violations).isEmpty();
        } else {
            assertThat(violations).extracting(FieldViolation::code).contains(expectedCode);
            assertThat(violations).allSatisfy(v -> assertThat(v.message()).isNotBlank());
        }
    }

    @ParameterizedTest
    @CsvSource({"www.chu-demo.fr,dnsNames[1],domainNotApproved", "dmp.chu-demo.fr,dnsNames,cnNotInNames"})
    void everyDnsNameMustBeApprovedAndContainTheCn(String cn, String field, String code) {
        var violations = NamingRules.check(ProfileId.SERV_SSL_SERVEUR, cn,
                List.of("www.chu-demo.fr", "www.other.fr"), SSL, MAIL);
        if (cn.equals("www.chu-demo.fr")) {
            assertThat(violations).extracting(FieldViolation::field).containsExactly(field);
        } else {
            assertThat(violations).extracting(FieldViolation::code).contains(code);
        }
    }
}
