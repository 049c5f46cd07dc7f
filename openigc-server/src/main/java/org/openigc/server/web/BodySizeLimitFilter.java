package org.openigc.server.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps every request body: Tomcat limits form posts and multipart, but a JSON body would otherwise be read whole
 * into memory. A declared length above the cap is refused with 413 without reaching the application; a chunked body is counted as it is read
 * and the reader fails past the cap (the API handler turns that into 413 too).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class BodySizeLimitFilter extends OncePerRequestFilter {
    private static final long DRAIN_LIMIT = 16L * 1024 * 1024;
    private final long maxBytes;
    private final Problems problems;

    BodySizeLimitFilter(@Value("${openigc.web.max-body-size:2MB}") DataSize maxBodySize, Problems problems) {
        this.maxBytes = maxBodySize.toBytes();
        this.problems = problems;
    }

    static boolean isTooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BodyTooLargeException) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            if (!drained(request, declared)) {
                response.setHeader("Connection", "close");
            }
            if (Problems.wantsProblemJson(request)) {
                problems.write(response, request, HttpStatus.CONTENT_TOO_LARGE, "body.tooLarge",
                        "The request body is too large");
            } else {
                response.sendError(HttpStatus.CONTENT_TOO_LARGE.value());
            }
            return;
        }
        String contentType = request.getContentType();
        boolean multipart = contentType != null && contentType.toLowerCase().startsWith("multipart/");
        chain.doFilter(declared < 0 && !multipart ? new Capped(request, maxBytes) : request, response);
    }

    /**
     * Reads and discards a refused body of moderate size. Closing with unread bytes in the socket makes the kernel
     * answer with a reset, and a client still writing its body then loses our 413 before it can read it. A client that
     * sent "Expect: 100-continue" gets the 413 instead of the go-ahead and never sends the body, so nothing is read;
     * a body past the drain bound is not worth reading and the connection is closed instead.
     */
    private static boolean drained(HttpServletRequest request, long declared) throws IOException {
        if (request.getHeader("Expect") != null || declared > DRAIN_LIMIT) {
            return false;
        }
        ServletInputStream in = request.getInputStream();
        byte[] buffer = new byte[16 * 1024];
        long total = 0;
        int n;
        while (total < declared && (n = in.read(buffer)) > 0) {
            total += n;
        }
        return total >= declared;
    }

    static final class BodyTooLargeException extends IOException {
        BodyTooLargeException() {
            super("request body too large");
        }
    }

    private static final class Capped extends HttpServletRequestWrapper {
        private final long max;
        private ServletInputStream stream;

        Capped(HttpServletRequest request, long max) {
            super(request);
            this.max = max;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream in = super.getInputStream();
                stream = new ServletInputStream() {
                    private long count;

                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        if (b >= 0 && ++count > max) {
                            throw new BodyTooLargeException();
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] buffer, int offset, int length) throws IOException {
                        int n = in.read(buffer, offset, length);
                        if (n > 0 && (count += n) > max) {
                            throw new BodyTooLargeException();
                        }
                        return n;
                    }

                    @Override
                    public boolean isFinished() {
                        return in.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return in.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        in.setReadListener(listener);
                    }
                };
            }
            return stream;
        }
    }
}
