package org.openigc.certdc.deposit;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.openigc.certdc.Problems;
import org.openigc.certdc.account.SiCertificateFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /certdc/ws/v1/deposits}: the SIs' web service. The caller is already authenticated by its ORG
 * AUTH_CLI certificate ({@link SiCertificateFilter}). The body is read here, bounded: too large → 413, not JSON →
 * 415, malformed → 400, invalid → 400 with the field errors; every refusal is problem+json and stores nothing.
 */
@RestController
public class DepositController {
    private static final Logger log = LoggerFactory.getLogger(DepositController.class);
    /** A too large body is still read (and dropped) up to this size so the client receives the 413 cleanly. */
    private static final long DRAIN_LIMIT = 16L * 1024 * 1024;

    private final DepositService deposits;
    private final long maxBody;

    public DepositController(DepositService deposits, long maxBody) {
        this.deposits = deposits;
        this.maxBody = maxBody;
    }

    @PostMapping("/certdc/ws/v1/deposits")
    ResponseEntity<Map<String, Object>> deposit(HttpServletRequest request, Authentication authentication,
                                                @RequestHeader(value = "Idempotency-Key", required = false)
                                                String idempotencyKey) throws IOException {
        SiCertificateFilter.SiPrincipal caller = (SiCertificateFilter.SiPrincipal) authentication.getPrincipal();
        if (request.getContentLengthLong() > maxBody) {
            drain(request.getInputStream());
            return tooLarge();
        }
        if (!json(request.getContentType())) {
            drain(request.getInputStream());
            return Problems.response(415, "content.type", "Unsupported media type",
                    "Send the deposit as application/json.");
        }
        byte[] body = read(request.getInputStream(), maxBody);
        if (body == null) {
            return tooLarge();
        }
        try {
            DepositService.Receipt receipt = deposits.deposit(caller.certificate(), body, idempotencyKey);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("id", receipt.id().toString());
            answer.put("mode", receipt.mode().name());
            answer.put("receivedAt", receipt.receivedAt().toString());
            answer.put("expiresAt", receipt.expiresAt().toString());
            ResponseEntity.BodyBuilder response = ResponseEntity.status(HttpStatus.CREATED)
                    .contentType(MediaType.APPLICATION_JSON);
            if (receipt.replayed()) {
                response.header("Idempotent-Replayed", "true");
            }
            return response.body(answer);
        } catch (DepositService.Refused e) {
            log.info("event=certdc-deposit-refused caller={} status={} code={} errors={}", caller.getName(),
                    e.status(), e.code(), e.errors().size());
            return Problems.response(e.status(), e.code(), title(e.status()), e.getMessage(), e.errors());
        }
    }

    private ResponseEntity<Map<String, Object>> tooLarge() {
        return Problems.response(413, "body.tooLarge", "Deposit too large",
                "A deposit is at most " + maxBody + " bytes.", List.of());
    }

    private static boolean json(String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return type.isCompatibleWith(MediaType.APPLICATION_JSON)
                    || ("application".equals(type.getType()) && type.getSubtype().endsWith("+json"));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The body, or null when it is longer than {@code limit} (the rest is drained). */
    private static byte[] read(InputStream in, long limit) throws IOException {
        byte[] body = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
        if (body.length > limit) {
            drain(in);
            return null;
        }
        return body;
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        int n;
        while (total < DRAIN_LIMIT && (n = in.read(buffer)) > 0) {
            total += n;
        }
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Invalid deposit";
            case 403 -> "Deposit refused";
            case 422 -> "Idempotency conflict";
            default -> "Deposit refused";
        };
    }
}
