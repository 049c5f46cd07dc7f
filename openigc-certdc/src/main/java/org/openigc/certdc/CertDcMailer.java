package org.openigc.certdc;

import java.util.List;
import java.util.Map;

/**
 * How CertDC sends mail: through the platform's mail outbox (in the current transaction, sent after commit).
 * Templates live under {@code templates/mail/certdc/}.
 */
public interface CertDcMailer {
    /**
     * @param template name under {@code certdc/}, e.g. {@code account-created}
     * @param model    the values the template reads (may hold a one-time secret: never logged)
     */
    void send(String template, Map<String, Object> model, List<String> to);
}
