package org.openigc.server.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.X509Certificate;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.openigc.ca.CaRole;
import org.openigc.ca.Environment;
import org.openigc.server.OpenIgcApplication;
import org.openigc.server.ServerTestSupport;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.boot.SpringApplication;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Demo data, the persona card files, idempotence, and the refusal of demo mode against an external database. */
class DemoModeIT extends ServerTestSupport {
    @Autowired
    JdbcClient jdbc;
    @Autowired
    DataSource dataSource;
    @Autowired
    DemoSeeder seeder;

    @Test
    void everyPersonaHasACardFileWithKeyAndChainFromTheProductionPersonnesCa() throws Exception {
        for (DemoData.Persona persona : DemoData.PERSONAS) {
            KeyStore store = persona(persona.name());
            String alias = store.aliases().nextElement();
            assertThat(store.getKey(alias, DEMO_PASSWORD)).isNotNull();
            assertThat(store.getCertificateChain(alias)).hasSize(3);
            X509Certificate card = (X509Certificate) store.getCertificate(alias);
            card.verify(authorities.ca(Environment.PRODUCTION, CaRole.PERSONNES).certificate().getPublicKey());
            assertThat(card.getSubjectX500Principal().getName()).contains("CN=" + persona.idNatPs().replace("/", "/"));
            assertThat(card.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.2");
        }
        String readme = Files.readString(DATA_DIR.resolve("demo").resolve("README.txt"));
        assertThat(readme).contains("admin-chu").contains("password: demo").contains("si-manager")
                .contains("curl --cert-type P12 --cert").contains("referent-idf");
    }

    @Test
    void seedingAgainDuplicatesNothingAndReissuesAMissingCard() throws Exception {
        long persons = jdbc.sql("select count(*) from person").query(Long.class).single();
        long structures = jdbc.sql("select count(*) from structure").query(Long.class).single();
        long habilitations = jdbc.sql("select count(*) from habilitation where revoked_at is null").query(Long.class).single();
        long cards = jdbc.sql("select count(*) from certificate where channel = 'DEMO'").query(Long.class).single();
        Files.delete(DATA_DIR.resolve("demo").resolve("doctor.p12"));
        seeder.run(new DefaultApplicationArguments());
        assertThat(jdbc.sql("select count(*) from person").query(Long.class).single()).isEqualTo(persons);
        assertThat(jdbc.sql("select count(*) from structure").query(Long.class).single()).isEqualTo(structures);
        assertThat(jdbc.sql("select count(*) from habilitation where revoked_at is null").query(Long.class).single())
                .isEqualTo(habilitations);
        assertThat(jdbc.sql("select count(*) from certificate where channel = 'DEMO'").query(Long.class).single())
                .isEqualTo(cards + 1);
        assertThat(getString(personaClient("doctor"), https("/api/v1/me")).statusCode()).isEqualTo(200);
    }

    @Test
    void demoModeWithAnExternalDatabaseRefusesToStartUnlessForced() {
        String url = ((HikariDataSource) dataSource).getJdbcUrl();
        SpringApplication application = new SpringApplication(OpenIgcApplication.class);
        assertThatThrownBy(() -> application.run("--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
                "--openigc.demo=true", "--server.port=0", "--openigc.http-port=0",
                "--openigc.data-dir=" + DATA_DIR.resolve("external-attempt")))
                .hasStackTraceContaining("Demo mode refused: openigc.demo=true with an external database")
                .hasStackTraceContaining("openigc.demo-force=true");
        assertThat(Files.exists(DATA_DIR.resolve("external-attempt").resolve("ca"))).as("nothing was created").isFalse();
    }
}
