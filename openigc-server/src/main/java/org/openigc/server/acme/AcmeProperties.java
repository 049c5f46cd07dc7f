package org.openigc.server.acme;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param http01Port  port where http-01 challenges are fetched (80 in production)
 * @param resolve     test resolver: host name → address used instead of DNS ({@code resolve[www.example.fr]=127.0.0.1})
 * @param resolveAll  test resolver: every name → this address
 */
@ConfigurationProperties("openigc.acme")
record AcmeProperties(Integer http01Port, Map<String, String> resolve, String resolveAll) {
    AcmeProperties {
        http01Port = http01Port == null ? 80 : http01Port;
        resolve = resolve == null ? Map.of() : Map.copyOf(resolve);
    }

    String addressOf(String name) {
        if (resolveAll != null && !resolveAll.isBlank()) {
            return resolveAll;
        }
        return resolve.getOrDefault(name, name);
    }
}
