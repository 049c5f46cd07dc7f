package org.openigc.server.tls;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.openigc.server.config.OpenIgcProperties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The plain HTTP port serves only what a CA publishes in clear (OCSP, CRL, CA certificates, health); everything
 * else is redirected to HTTPS so no session or form ever travels unencrypted.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class PlainHttpFilter extends OncePerRequestFilter {
    private static final List<String> PUBLIC_PREFIXES = List.of("/ocsp", "/crl/", "/ca/", "/actuator/health");

    private final int httpPort;
    private final int httpsPort;

    PlainHttpFilter(OpenIgcProperties properties, @Value("${server.port:8443}") int httpsPort) {
        this.httpPort = properties.httpPort();
        this.httpsPort = httpsPort;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.isSecure() || request.getLocalPort() != httpPort) {
            chain.doFilter(request, response);
            return;
        }
        String path = request.getRequestURI();
        if (PUBLIC_PREFIXES.stream().anyMatch(path::startsWith)) {
            chain.doFilter(request, response);
            return;
        }
        String query = request.getQueryString() == null ? "" : "?" + request.getQueryString();
        String host = request.getServerName().contains(":") ? "[" + request.getServerName() + "]" : request.getServerName();
        response.setStatus(HttpServletResponse.SC_MOVED_PERMANENTLY);
        response.setHeader("Location", "https://" + host + ":" + httpsPort + path + query);
    }
}
