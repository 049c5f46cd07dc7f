package org.openigc.server;

import org.openigc.server.audit.AuditCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class OpenIgcApplication {
    public static void main(String[] args) {
        if (AuditCommand.requested(args)) {
            // a read-only tool with its own small context: never the web server, jobs or CA keys
            System.exit(AuditCommand.run(args));
        }
        SpringApplication.run(OpenIgcApplication.class, args);
    }
}
