package org.openigc.server.mail.demo;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Demo mode as {@code OpenIgcProperties.demoEnabled} decides it, read from the environment because conditions run
 * before beans exist: {@code openigc.demo} when set, else on exactly when the embedded database is used (no
 * {@code spring.datasource.url}).
 */
class DemoModeCondition implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return enabled(context.getEnvironment().getProperty("openigc.demo"),
                context.getEnvironment().getProperty("spring.datasource.url"));
    }

    static boolean enabled(String demo, String datasourceUrl) {
        if (demo != null && !demo.isBlank()) {
            return Boolean.parseBoolean(demo.strip());
        }
        return datasourceUrl == null || datasourceUrl.isBlank();
    }

    /** Demo mode, and no SMTP server configured: the mail sender then points at the embedded demo server. */
    static final class WithoutMailHost implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String host = context.getEnvironment().getProperty("spring.mail.host");
            return (host == null || host.isBlank()) && new DemoModeCondition().matches(context, metadata);
        }
    }
}
