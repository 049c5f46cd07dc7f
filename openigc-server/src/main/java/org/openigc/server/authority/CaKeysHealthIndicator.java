package org.openigc.server.authority;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** Health is UP only once the CA keys are loaded (the database indicator covers PostgreSQL). */
@Component("caKeys")
class CaKeysHealthIndicator implements HealthIndicator {
    private final CertificateAuthorities authorities;

    CaKeysHealthIndicator(CertificateAuthorities authorities) {
        this.authorities = authorities;
    }

    @Override
    public Health health() {
        if (!authorities.ready()) {
            return Health.down().withDetail("reason", "CA keys not loaded").build();
        }
        for (var ca : authorities.all()) {
            if (ca.privateKey() == null) {
                return Health.down().withDetail("ca", ca.name()).build();
            }
        }
        return Health.up().withDetail("cas", authorities.all().size()).build();
    }
}
