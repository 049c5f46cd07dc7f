package org.openigc.server.audit;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What an attacker with the owner's rights could do: disable the append-only trigger, rewrite, re-enable — in one
 * transaction, so no other test ever sees the trigger disabled.
 */
final class AuditTamper {
    private AuditTamper() {
    }

    static void update(TransactionTemplate transactions, JdbcClient jdbc, String sql) {
        transactions.executeWithoutResult(status -> {
            jdbc.sql("alter table audit_event disable trigger audit_event_no_update_or_delete").update();
            jdbc.sql(sql).update();
            jdbc.sql("alter table audit_event enable trigger audit_event_no_update_or_delete").update();
        });
    }
}
