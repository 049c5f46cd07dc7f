package org.openigc.certdc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.openigc.ca.CaKey;
import org.openigc.server.authority.CertificateAuthorities;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * TEST SCOPE ONLY — a stand-in for the platform's OCSP responder while it is being built in parallel. It steps
 * aside by itself: as soon as a controller is mapped on {@code /ocsp} it never touches a request; before that, an
 * OCSP request first goes to the application, and only when nothing there answers (404/405) does the stand-in
 * answer, as RFC 6960 says, from the platform's own certificate records, signed by the issuing CA's key. Once the
 * real responder is merged, every CertDC test runs against it unchanged (and the warning
 * {@code event=test-ocsp-stand-in} disappears from the test output).
 */
final class OcspStandIn extends OncePerRequestFilter {
    private static final Logger log = LoggerFactory.getLogger(OcspStandIn.class);
    private final ObjectProvider<CertificateAuthorities> authorities;
    private final JdbcClient jdbc;
    private final ObjectProvider<RequestMappingHandlerMapping> mappings;
    private volatile Boolean realResponder;
    private volatile boolean announced;

    OcspStandIn(ObjectProvider<CertificateAuthorities> authorities, JdbcClient jdbc,
                ObjectProvider<RequestMappingHandlerMapping> mappings) {
        this.authorities = authorities;
        this.jdbc = jdbc;
        this.mappings = mappings;
    }

    /**
     * A controller or a servlet mapped on /ocsp is the platform's responder: then this stand-in never touches a
     * request.
     */
    private boolean realResponder(jakarta.servlet.ServletContext servletContext) {
        if (realResponder == null) {
            boolean controller = mappings.orderedStream().flatMap(m -> m.getHandlerMethods().keySet().stream())
                    .flatMap(info -> info.getPatternValues().stream()).anyMatch(p -> p.startsWith("/ocsp"));
            boolean servlet = servletContext.getServletRegistrations().values().stream()
                    .flatMap(r -> r.getMappings().stream()).anyMatch(m -> m.startsWith("/ocsp"));
            realResponder = controller || servlet;
        }
        return realResponder;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean ocspRequest = ("POST".equals(request.getMethod()) && request.getContentType() != null
                && request.getContentType().startsWith("application/ocsp-request"))
                || ("GET".equals(request.getMethod()) && request.getRequestURI().startsWith("/ocsp/"));
        if (realResponder(request.getServletContext()) || !ocspRequest) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = "POST".equals(request.getMethod()) ? request.getInputStream().readAllBytes() : null;
        HttpServletRequest replay = body == null ? request : new ReplayRequest(request, body);
        Capture capture = new Capture(response);
        chain.doFilter(replay, capture);
        if (capture.status != 404 && capture.status != 405) {
            capture.flushTo(response);
            return;
        }
        if (!announced) {
            announced = true;
            log.warn("event=test-ocsp-stand-in note=\"no OCSP responder in the application yet: the test stand-in answers\"");
        }
        byte[] der = body != null ? body : Base64.getDecoder().decode(
                java.net.URLDecoder.decode(request.getRequestURI().substring(request.getRequestURI().indexOf("/ocsp/") + 6),
                        StandardCharsets.UTF_8));
        response.reset();
        response.setStatus(200);
        response.setContentType("application/ocsp-response");
        try {
            response.getOutputStream().write(answer(new OCSPReq(der)));
        } catch (Exception e) {
            try {
                response.getOutputStream().write(new OCSPRespBuilder().build(OCSPRespBuilder.MALFORMED_REQUEST, null)
                        .getEncoded());
            } catch (org.bouncycastle.cert.ocsp.OCSPException never) {
                throw new IOException(never);
            }
        }
    }

    private byte[] answer(OCSPReq request) throws Exception {
        Req single = request.getRequestList()[0];
        CertificateID id = single.getCertID();
        var digests = new JcaDigestCalculatorProviderBuilder().build();
        Optional<CaKey> issuer = authorities.getObject().all().stream().filter(ca -> {
            try {
                return id.matchesIssuer(new JcaX509CertificateHolder(ca.certificate()), digests);
            } catch (Exception e) {
                return false;
            }
        }).findFirst();
        if (issuer.isEmpty()) {
            return new OCSPRespBuilder().build(OCSPRespBuilder.UNAUTHORIZED, null).getEncoded();
        }
        CaKey ca = issuer.get();
        Optional<Object[]> row = jdbc.sql("""
                select status, revoked_at, revocation_reason from certificate
                where serial_number = :serial and ca_name = :ca
                """).param("serial", id.getSerialNumber().toString(16)).param("ca", ca.name())
                .query((rs, n) -> new Object[] {rs.getString(1), rs.getTimestamp(2), rs.getString(3)}).optional();
        CertificateStatus status;
        if (row.isEmpty() || "ISSUING".equals(row.get()[0]) || "FAILED".equals(row.get()[0])) {
            status = new UnknownStatus();
        } else if ("REVOKED".equals(row.get()[0])) {
            Date at = row.get()[1] == null ? new Date() : new Date(((java.sql.Timestamp) row.get()[1]).getTime());
            status = new RevokedStatus(at, org.bouncycastle.asn1.x509.CRLReason.unspecified);
        } else {
            status = CertificateStatus.GOOD;
        }
        BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(new RespID(
                X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded())));
        Date now = new Date();
        builder.addResponse(id, status, now, new Date(now.getTime() + 60_000), null);
        Extension nonce = request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        if (nonce != null) {
            builder.setResponseExtensions(new Extensions(nonce));
        }
        return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, builder.build(ca.signer(), null, now)).getEncoded();
    }

    /** Holds back whatever the application answers until we know whether it answered at all. */
    private static final class Capture extends HttpServletResponseWrapper {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private int status = 200;
        private String contentType;

        Capture(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void setStatus(int sc) {
            status = sc;
        }

        @Override
        public void sendError(int sc) {
            status = sc;
        }

        @Override
        public void sendError(int sc, String msg) {
            status = sc;
        }

        @Override
        public int getStatus() {
            return status;
        }

        @Override
        public void setContentType(String type) {
            contentType = type;
        }

        @Override
        public ServletOutputStream getOutputStream() {
            return new ServletOutputStream() {
                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                }

                @Override
                public void write(int b) {
                    buffer.write(b);
                }
            };
        }

        @Override
        public PrintWriter getWriter() {
            return new PrintWriter(buffer, true, StandardCharsets.UTF_8);
        }

        @Override
        public void flushBuffer() {
        }

        void flushTo(HttpServletResponse response) throws IOException {
            response.setStatus(status);
            if (contentType != null) {
                response.setContentType(contentType);
            }
            response.getOutputStream().write(buffer.toByteArray());
        }
    }

    private static final class ReplayRequest extends jakarta.servlet.http.HttpServletRequestWrapper {
        private final byte[] body;

        ReplayRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public jakarta.servlet.ServletInputStream getInputStream() {
            java.io.ByteArrayInputStream in = new java.io.ByteArrayInputStream(body);
            return new jakarta.servlet.ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(jakarta.servlet.ReadListener listener) {
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }
            };
        }
    }
}
