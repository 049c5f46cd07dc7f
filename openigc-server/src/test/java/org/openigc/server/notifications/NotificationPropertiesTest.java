package org.openigc.server.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The property names of issue 6 point 1, bound the way Spring Boot binds application.yml or {@code --key=value}:
 * {@code openigc.notifications.thresholds} ({@code 60d,30d,7d,0d}) and {@code openigc.notifications.scan-interval}
 * ({@code 1h}). (The scheduler's use of the scan interval is checked on a running application by
 * {@link CatchUpAfterRestartIT}.)
 */
class NotificationPropertiesTest {
    private static NotificationProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("openigc.notifications", Bindable.of(NotificationProperties.class));
    }

    @Test
    void theDefaultsAreSixtyThirtySevenAndZeroDaysScannedHourly() {
        NotificationProperties defaults = bind(Map.of());
        assertThat(defaults.thresholdDays()).containsExactly(0, 7, 30, 60);
        assertThat(defaults.scanInterval()).isEqualTo(Duration.ofHours(1));
        assertThat(defaults.catchUpWindow()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void thresholdsAndScanIntervalAreReadFromTheirDocumentedNames() {
        NotificationProperties set = bind(Map.of("openigc.notifications.thresholds", "90d,45d,14d,1d,0d",
                "openigc.notifications.scan-interval", "15m"));
        assertThat(set.thresholdDays()).containsExactly(0, 1, 14, 45, 90);
        assertThat(set.scanInterval()).isEqualTo(Duration.ofMinutes(15));
        // in any order, duplicates once
        assertThat(bind(Map.of("openigc.notifications.thresholds", "7d,60d,7d")).thresholdDays()).containsExactly(7, 60);
    }

    @Test
    void aNegativeOrUnreadableThresholdIsRefusedAtStartUp() {
        assertThatThrownBy(() -> bind(Map.of("openigc.notifications.thresholds", "30d,-1d")))
                .isInstanceOf(BindException.class).hasStackTraceContaining("openigc.notifications.thresholds");
        assertThatThrownBy(() -> bind(Map.of("openigc.notifications.thresholds", "thirty days")))
                .isInstanceOf(BindException.class).hasMessageContaining("openigc.notifications.thresholds");
    }
}
