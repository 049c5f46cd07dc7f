package org.openigc.certdc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

class CertDcAutoConfigurationTest {
    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CertDcAutoConfiguration.class));

    @Test
    void openigcCertdcEnabledFalseLeavesCertDcOutEntirely() {
        runner.withPropertyValues("openigc.certdc.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(CertDcAutoConfiguration.class);
            assertThat(context).doesNotHaveBean(CertDcSchema.class);
            assertThat(context).doesNotHaveBean(org.springframework.security.web.SecurityFilterChain.class);
        });
    }

    @Test
    void aRevocationCacheLongerThanOneSecondIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new CertDcProperties(true, null, null, null, null, null,
                        null, java.time.Duration.ofHours(96), java.time.Duration.ofMinutes(1), java.time.Duration.ofSeconds(5),
                        org.springframework.util.unit.DataSize.ofKilobytes(256), 5, java.time.Duration.ofHours(1),
                        java.util.List.of("TEST"), null, null))
                .hasMessageContaining("within a second");
    }

    @Test
    void demoModeFollowsThePlatformsRule() {
        var environment = new org.springframework.mock.env.MockEnvironment();
        assertThat(CertDcSettings.demo(environment)).isTrue();
        environment.setProperty("spring.datasource.url", "jdbc:postgresql://db/openigc");
        assertThat(CertDcSettings.demo(environment)).isFalse();
        environment.setProperty("openigc.demo", "true");
        assertThat(CertDcSettings.demo(environment)).isTrue();
    }
}
