package org.openigc.server.notifications;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Expiry notifications.
 *
 * @param thresholds    how long before the end of validity a notice is due ({@code 60d,30d,7d,0d})
 * @param scanInterval  time between two scans (the first one runs at start-up: catch-up)
 * @param catchUpWindow certificates that expired longer ago than this get no more notices (a platform restored from
 *                      an old backup does not mail about long-dead certificates)
 */
@ConfigurationProperties("openigc.notifications")
public record NotificationProperties(@DefaultValue({"60d", "30d", "7d", "0d"}) List<Duration> thresholds,
                                     @DefaultValue("1h") Duration scanInterval,
                                     @DefaultValue("30d") Duration catchUpWindow) {
    public NotificationProperties {
        thresholds = thresholds.stream().distinct().sorted().toList();
        if (thresholds.isEmpty() || thresholds.getFirst().isNegative()) {
            throw new IllegalArgumentException("openigc.notifications.thresholds: at least one, none negative");
        }
    }

    /** Threshold in whole days, most urgent first. */
    List<Integer> thresholdDays() {
        return thresholds.stream().map(d -> (int) d.toDays()).distinct().sorted().toList();
    }
}
