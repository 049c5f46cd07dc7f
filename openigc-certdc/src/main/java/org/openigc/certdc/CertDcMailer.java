package org.openigc.certdc;

import java.util.List;
import java.util.Map;

/**
 * How CertDC sends mail: through the platform's mail outbox (in the current transaction, sent after commit).
 * Templates are {@code templates/mail/certdc-<name>.txt} (the outbox takes lower-case words and dashes).
 */
public interface CertDcMailer {
    /**
     * @param template name without the {@code certdc-} prefix, e.g. {@code account-created}
     * @param model    the values the template reads (may hold a one-time secret: never logged)
     */
    void send(String template, Map<String, Object> model, List<String> to);
}
