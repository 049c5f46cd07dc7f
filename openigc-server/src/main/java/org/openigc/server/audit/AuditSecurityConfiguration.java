package org.openigc.server.audit;

import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;

/**
 * The trail is guarded where it is read ({@code @PreAuthorize} on {@link AuditEvents} and the controller), so no
 * URL rule can expose it by mistake. Importing the same configuration twice is harmless if another feature also
 * enables method security.
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
class AuditSecurityConfiguration {
}
