package org.openigc.server.audit;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.openigc.server.config.OpenIgcProperties;
import org.openigc.server.database.EmbeddedDatabaseConfiguration;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * {@code ./openigc audit verify}: recomputes the hash chain and prints the first broken event. Exit code 0 when the
 * trail is intact, 1 when it is broken, 2 when it cannot be read (or on a usage error).
 *
 * <p>It runs its own small Spring context — configuration and a data source, nothing else — rather than the
 * platform: no web port, no scheduled job, no CA key loading, no migration or demo seeding, so it is strictly
 * read-only and works with only read access to the database. With no {@code spring.datasource.url} it opens the
 * embedded PostgreSQL of {@code openigc.data-dir} (the server must be stopped: one PostgreSQL per data directory).
 */
public final class AuditCommand {
    static final String OPTION = "--openigc.command=audit";
    static final int INTACT = 0;
    static final int BROKEN = 1;
    static final int ERROR = 2;

    private AuditCommand() {
    }

    /** Whether the process was started as {@code openigc audit …} rather than as the server. */
    public static boolean requested(String[] args) {
        return Arrays.asList(args).contains(OPTION) || "audit".equals(System.getProperty("openigc.command"));
    }

    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> words = Arrays.stream(args).filter(arg -> !arg.startsWith("-")).toList();
        if (!words.equals(List.of("verify"))) {
            err.println("Usage: openigc audit verify [--openigc.data-dir=DIR | --spring.datasource.url=URL "
                    + "--spring.datasource.username=… --spring.datasource.password=…]");
            return ERROR;
        }
        SpringApplication application = new SpringApplication(CommandConfiguration.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setBannerMode(Banner.Mode.OFF);
        application.setLogStartupInfo(false);
        application.setRegisterShutdownHook(false);
        application.setDefaultProperties(Map.of(
                "spring.datasource.hikari.maximum-pool-size", "2",
                "spring.datasource.hikari.read-only", "true"));
        EmbeddedDatabaseMustExist embeddedCheck = new EmbeddedDatabaseMustExist();
        application.addListeners(embeddedCheck);
        AuditVerification result;
        try (ConfigurableApplicationContext context = application.run(withQuietLogging(args))) {
            result = context.getBean(AuditChainVerifier.class).verify();
        } catch (RuntimeException e) {
            err.println("audit verify: cannot read the audit trail: " + rootMessage(e));
            if (embeddedCheck.embedded) {
                err.println("(the embedded database opens only while no server runs on the same data directory; "
                        + "otherwise verify through --spring.datasource.url)");
            }
            return ERROR;
        }
        out.println(result.summary());
        return result.intact() ? INTACT : BROKEN;
    }

    /**
     * The command's output is its result line, and a failed start is reported in one line without a stack trace:
     * only errors are logged, unless the caller asked for another level. (As arguments, because the packaged
     * application.yml would outrank default properties.)
     */
    private static String[] withQuietLogging(String[] args) {
        List<String> all = new java.util.ArrayList<>(Arrays.asList(args));
        if (all.stream().noneMatch(arg -> arg.startsWith("--logging.level.root="))) {
            all.add("--logging.level.root=ERROR");
        }
        all.add("--logging.level.org.springframework.boot.SpringApplication=OFF");
        return all.toArray(String[]::new);
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        if (message != null && message.contains("relation \"audit_event\" does not exist")) {
            return "this database has no audit trail (the server never started on it)";
        }
        return message == null ? cause.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
    }

    /** Refuses to create an empty embedded cluster just to verify it: a wrong data dir is a usage error. */
    static final class EmbeddedDatabaseMustExist implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {
        boolean embedded;

        @Override
        public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
            ConfigurableEnvironment environment = event.getEnvironment();
            String url = environment.getProperty("spring.datasource.url");
            if (url != null && !url.isBlank()) {
                return;
            }
            Path postgres = Path.of(environment.getProperty("openigc.data-dir", "./data")).resolve("postgres");
            if (!Files.isRegularFile(postgres.resolve("PG_VERSION"))) {
                throw new IllegalStateException("no embedded database under " + postgres.toAbsolutePath()
                        + " (give --openigc.data-dir=DIR, or --spring.datasource.url=URL for an external PostgreSQL)");
            }
            embedded = true;
        }
    }

    /** Only what verifying needs: the data source (external or embedded) and the verifier. */
    @ImportAutoConfiguration({DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
            JdbcClientAutoConfiguration.class})
    @Import({EmbeddedDatabaseConfiguration.class, AuditChainVerifier.class})
    @EnableConfigurationProperties(OpenIgcProperties.class)
    static class CommandConfiguration {
    }
}
