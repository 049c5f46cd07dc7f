package org.openigc.server.status;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code POST /ocsp} (body: DER OCSPRequest) and {@code GET /ocsp/<url-encoded base64>} (RFC 6960 appendix A,
 * RFC 5019). A filter ahead of the security chain: status polling is the hottest path of the platform, public, and
 * needs no session, MVC or firewall machinery (whose encoded-slash rule would refuse RFC 5019 GET requests).
 * Bad input always gets the RFC's answer or a 4xx, never a 500.
 */
class OcspFilter extends org.springframework.web.filter.OncePerRequestFilter {
    static final String REQUEST_TYPE = "application/ocsp-request";
    static final String RESPONSE_TYPE = "application/ocsp-response";
    /** A request for ten certificates with a nonce is well under 2 KiB. */
    static final int MAX_REQUEST_BYTES = 8 * 1024;

    private final OcspResponder responder;
    private final Clock clock;

    OcspFilter(OcspResponder responder, Clock clock) {
        this.responder = responder;
        this.clock = clock;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI();
        if (!path.equals("/ocsp") && !path.startsWith("/ocsp/")) {
            chain.doFilter(request, response);
            return;
        }
        switch (request.getMethod()) {
            case "POST" -> doPost(request, response);
            case "GET" -> doGet(request, response);
            default -> {
                response.setHeader("Allow", "GET, POST");
                response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
            }
        }
    }

    private void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String type = request.getContentType();
        if (type == null || !type.toLowerCase().startsWith(REQUEST_TYPE)) {
            response.sendError(HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE, "Content-Type must be " + REQUEST_TYPE);
            return;
        }
        if (request.getContentLengthLong() > MAX_REQUEST_BYTES) {
            response.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
            return;
        }
        byte[] body;
        long declared = request.getContentLengthLong();
        try (InputStream in = request.getInputStream()) {
            // with a Content-Length (checked above) read exactly that: readNBytes(max) buffers and copies in 8 KiB
            // chunks, the largest allocation per OCSP request; a shorter body parses as malformed
            body = declared >= 0 ? in.readNBytes((int) declared) : in.readNBytes(MAX_REQUEST_BYTES + 1);
        }
        if (body.length > MAX_REQUEST_BYTES) {
            response.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
            return;
        }
        write(response, responder.respond(body), false);
    }

    private void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI();
        int start = path.indexOf("/ocsp/");
        if (start < 0 || path.length() <= start + 6 || path.length() > MAX_REQUEST_BYTES * 2) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST, "expected GET /ocsp/<base64 DER request>");
            return;
        }
        byte[] der;
        try {
            String encoded = URLDecoder.decode(path.substring(start + 6), StandardCharsets.US_ASCII);
            der = encoded.indexOf('-') >= 0 || encoded.indexOf('_') >= 0
                    ? Base64.getUrlDecoder().decode(encoded) : Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            write(response, new OcspResponder.Answer(org.openigc.ca.OcspResponseSigner.malformedRequest(), null), true);
            return;
        }
        write(response, responder.respond(der), true);
    }

    private void write(HttpServletResponse response, OcspResponder.Answer answer, boolean cacheable) throws IOException {
        response.setContentType(RESPONSE_TYPE);
        response.setContentLength(answer.der().length);
        if (cacheable && answer.nextUpdate() != null) {
            long seconds = Math.max(0, Duration.between(clock.instant(), answer.nextUpdate()).toSeconds());
            response.setHeader("Cache-Control", "max-age=" + seconds + ", public, no-transform, must-revalidate");
        } else {
            response.setHeader("Cache-Control", "no-store");
        }
        response.getOutputStream().write(answer.der());
    }
}
