package org.openigc.server.notifications;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.openigc.server.OpenIgcApplication;
import org.openigc.server.mail.demo.DemoMailServer;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A whole platform (its web servers, schedulers and outbox sender) started in this JVM on a given PostgreSQL and SMTP
 * server, without demo data: for the tests that need two nodes on one database or a real restart.
 */
final class StandaloneNode {
    private StandaloneNode() {
    }

    /**
     * Starts a node. {@code clockSource} is a configuration class whose primary {@code Clock} bean replaces the
     * platform's; {@code settings} add to or override the defaults below (notification thresholds, intervals…).
     */
    static ConfigurableApplicationContext start(Class<?> clockSource, Path dataDir, Path passwordFile,
                                                EmbeddedPostgres postgres, DemoMailServer smtp,
                                                Map<String, Object> settings) {
        int https = freePort();
        int http = freePort();
        Map<String, Object> properties = new HashMap<>();
        properties.put("server.port", https);
        properties.put("openigc.http-port", http);
        properties.put("openigc.http-base-url", "http://127.0.0.1:" + http);
        // one data directory for every node, as a shared volume would be: the CA keys
        properties.put("openigc.data-dir", dataDir.toString());
        properties.put("openigc.ca.password-file", passwordFile.toString());
        properties.put("openigc.ca.root-algorithm", "EC_P256");
        properties.put("openigc.demo", "false");
        properties.put("spring.datasource.url", postgres.getJdbcUrl("postgres", "postgres"));
        properties.put("spring.datasource.username", "postgres");
        properties.put("spring.mail.host", "127.0.0.1");
        properties.put("spring.mail.port", smtp.port());
        properties.put("openigc.mail.poll-interval", "200ms");
        properties.put("openigc.acme.http01-port", freePort());
        properties.putAll(settings);
        // as command-line arguments: they must win over application.yml (default properties would not)
        String[] arguments = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(OpenIgcApplication.class, clockSource)
                .web(WebApplicationType.SERVLET).run(arguments);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
