package org.openigc.server.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The "external" PostgreSQL of the process tests (a PostgreSQL 14 server started from zonky's binaries, reached by
 * {@code spring.datasource.url} like any external database) and the SMTP sink the platform sends to.
 */
final class ReliabilityDatabase implements AutoCloseable {
    final EmbeddedPostgres postgres;
    final GreenMail smtp;
    final int smtpPort;

    ReliabilityDatabase() throws IOException {
        this.postgres = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("max_connections", "200").start();
        this.smtpPort = ServerProcess.freePort();
        this.smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        this.smtp.start();
    }

    String jdbcUrl(String database) {
        return postgres.getJdbcUrl("postgres", database);
    }

    DataSource dataSource(String database) {
        return postgres.getDatabase("postgres", database);
    }

    JdbcClient jdbc(String database) {
        return JdbcClient.create(dataSource(database));
    }

    void createDatabase(String name) {
        jdbc("postgres").sql("create database " + name).update();
    }

    /** Message-ID → how many deliveries (one per envelope recipient) the sink received. */
    Map<String, Integer> deliveriesByMessageId() {
        Map<String, Integer> counts = new HashMap<>();
        for (MimeMessage message : smtp.getReceivedMessages()) {
            try {
                counts.merge(message.getMessageID(), 1, Integer::sum);
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return counts;
    }

    /**
     * A PostgreSQL client tool (pg_dump, psql) from the PATH: zonky's bundle has only the server binaries, so the
     * Debian postgresql-client package provides them (scripts/ensure-test-tools.sh installs it). pg_dump 15 dumps
     * the PostgreSQL 14 server fine (pg_dump supports older servers).
     */
    static Path binary(String name) {
        return Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator))
                .map(directory -> Path.of(directory, name)).filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not found: install postgresql-client "
                        + "(scripts/ensure-test-tools.sh does)"));
    }

    /** Runs a PostgreSQL client tool against this server; fails with its output when it exits non-zero. */
    String run(String tool, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(binary(tool).toString());
        command.addAll(List.of("-h", "localhost", "-p", String.valueOf(postgres.getPort()), "-U", "postgres"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed:\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        smtp.stop();
        postgres.close();
    }
}
