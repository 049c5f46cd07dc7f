package org.openigc.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openigc.server.OpenIgcApplication;
import org.openigc.server.ServerTestSupport;
import org.openigc.server.database.DeferredWrites;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** {@code openigc audit verify} as the launcher runs it: a separate JVM, its exit code and output. */
class AuditCommandIT extends ServerTestSupport {
    @Autowired
    AuditTrail trail;
    @Autowired
    AuditChainer chainer;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    DataSource dataSource;

    @Test
    void anIntactTrailExitsZeroThroughSpringDatasourceUrl() throws Exception {
        trail.record("test.command", "thing", UUID.randomUUID().toString(), Map.of());
        Result result = run("verify", "--spring.datasource.url=" + jdbcUrl(), "--spring.datasource.username=postgres");
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("Audit trail intact:").doesNotContain("Exception");
    }

    @Test
    void anEditedRowExitsOneAndNamesTheEvent() throws Exception {
        String object = UUID.randomUUID().toString();
        trail.record("structure.updated", "structure", object, Map.of("name", "CHU DEMO"));
        chainer.chainPending();
        long id = jdbc.sql("select id from audit_event where object_id = :o").param("o", object)
                .query(Long.class).single();
        AuditTamper.update(transactions, jdbc, "update audit_event set actor = 'mallory' where id = " + id);
        Result result;
        try {
            result = run("verify", "--spring.datasource.url=" + jdbcUrl(), "--spring.datasource.username=postgres");
        } finally {
            AuditTamper.update(transactions, jdbc, "update audit_event set actor = 'system' where id = " + id);
        }
        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        assertThat(result.output()).contains("BROKEN at event #" + id + ":").contains("modified")
                .doesNotContain("Exception");
    }

    @Test
    void verifiesTheEmbeddedDatabaseOfADataDirectoryWhileNoServerRuns(@TempDir Path dataDir) throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(dataDir.resolve("postgres"))
                .setCleanDataDirectory(false).start()) {
            DataSource other = postgres.getPostgresDatabase();
            Flyway.configure().dataSource(other).locations("classpath:db/migration").load().migrate();
            AuditEventRepository events = new AuditEventRepository(JdbcClient.create(other),
                    new DeferredWrites(new JdbcTemplate(other)));
            DataSourceTransactionManager transactionManager = new DataSourceTransactionManager(other);
            AuditChainer otherChainer = new AuditChainer(events, transactionManager);
            AuditTrail otherTrail = new AuditTrail(events, otherChainer, Clock.systemUTC());
            new TransactionTemplate(transactionManager).executeWithoutResult(status -> {
                for (int i = 0; i < 3; i++) {
                    otherTrail.recordAs("operator", "127.0.0.1", "test.offline", "thing", String.valueOf(i), Map.of());
                }
            });
            // three chained by a pass, then a fourth left pending (as if its server died before chaining it)
            org.assertj.core.api.Assertions.assertThat(otherChainer.chainPending()).isEqualTo(3);
            new TransactionTemplate(transactionManager).executeWithoutResult(status ->
                    otherTrail.recordAs("operator", "127.0.0.1", "test.offline", "thing", "pending", Map.of()));
        }
        Result result = run("verify", "--openigc.data-dir=" + dataDir);
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("Audit trail intact: 3 events").contains("1 more pending, not yet chained");
    }

    @Test
    void aDataDirectoryWithoutDatabaseIsAnErrorNotAnEmptyTrail(@TempDir Path empty) throws Exception {
        Result result = run("verify", "--openigc.data-dir=" + empty);
        assertThat(result.exitCode()).as(result.output()).isEqualTo(2);
        assertThat(result.output()).contains("no embedded database under").doesNotContain("\tat ");
        assertThat(Files.exists(empty.resolve("postgres"))).isFalse();
    }

    @Test
    void anUnknownSubcommandIsAUsageError() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AuditCommand.run(new String[] {AuditCommand.OPTION, "rewrite"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("Usage: openigc audit verify");
        assertThat(AuditCommand.requested(new String[] {"--server.port=1"})).isFalse();
        assertThat(AuditCommand.requested(new String[] {AuditCommand.OPTION, "verify"})).isTrue();
    }

    private String jdbcUrl() {
        return ((HikariDataSource) dataSource).getJdbcUrl();
    }

    /** Runs the server's main class as the launcher does ({@code ./openigc audit verify …}). */
    private static Result run(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dspring.main.web-application-type=none",
                "-cp", System.getProperty("java.class.path"),
                OpenIgcApplication.class.getName(), "--openigc.command=audit"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("audit verify did not finish");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    record Result(int exitCode, String output) {
    }
}
