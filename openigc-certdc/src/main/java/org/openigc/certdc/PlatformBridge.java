package org.openigc.certdc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * CertDC is a module the server depends on, so it cannot depend on the server: it reaches the platform's two
 * shared services — the mail outbox ({@code org.openigc.server.mail.MailOutbox#enqueue}) and the audit trail
 * ({@code org.openigc.server.audit.AuditTrail#record/recordAs}) — through their published, final method
 * signatures, found once by type in the application context. When CertDC runs without the platform (no such
 * beans) it logs what it would have sent, without the model (which may hold secrets).
 */
public final class PlatformBridge {
    static final String MAIL_OUTBOX = "org.openigc.server.mail.MailOutbox";
    static final String AUDIT_TRAIL = "org.openigc.server.audit.AuditTrail";
    private static final Logger log = LoggerFactory.getLogger(PlatformBridge.class);

    private PlatformBridge() {
    }

    private record Target(Object bean, Method method) {
        Object invoke(Object... arguments) {
            try {
                return method.invoke(bean, arguments);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException(e.getCause());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Mails through the platform's {@code MailOutbox#enqueue}, templates {@code templates/mail/certdc-<name>.txt}. */
    public static final class Mailer implements CertDcMailer {
        private final ListableBeanFactory beans;
        private volatile Target mail;

        public Mailer(ListableBeanFactory beans) {
            this.beans = beans;
        }

        @Override
        public void send(String template, Map<String, Object> model, List<String> to) {
            if (mail == null) {
                mail = find(beans, MAIL_OUTBOX, "enqueue", String.class, Map.class, List.class, List.class, Locale.class);
            }
            if (mail.bean() == null) {
                log.info("event=certdc-mail-not-sent reason=no-mail-outbox template={} recipients={}", template, to.size());
                return;
            }
            mail.invoke("certdc-" + template, new java.util.LinkedHashMap<>(model), List.copyOf(to), List.of(), Locale.FRENCH);
        }
    }

    /** Records in the platform's {@code AuditTrail}. */
    public static final class Audit implements CertDcAudit {
        private final ListableBeanFactory beans;
        private volatile Target record;
        private volatile Target recordAs;

        public Audit(ListableBeanFactory beans) {
            this.beans = beans;
        }

        @Override
        public void record(String action, String objectType, String objectId, Map<String, String> details) {
            if (record == null) {
                record = find(beans, AUDIT_TRAIL, "record", String.class, String.class, String.class, Map.class);
            }
            if (record.bean() == null) {
                log.info("event=certdc-audit action={} objectType={} objectId={}", action, objectType, objectId);
                return;
            }
            record.invoke(action, objectType, objectId, new java.util.LinkedHashMap<>(details));
        }

        @Override
        public void recordAs(String actor, String sourceIp, String action, String objectType, String objectId,
                             Map<String, String> details) {
            if (recordAs == null) {
                recordAs = find(beans, AUDIT_TRAIL, "recordAs", String.class, String.class, String.class, String.class,
                        String.class, Map.class);
            }
            if (recordAs.bean() == null) {
                log.info("event=certdc-audit actor={} action={} objectType={} objectId={}", actor, action, objectType,
                        objectId);
                return;
            }
            recordAs.invoke(actor, sourceIp, action, objectType, objectId, new java.util.LinkedHashMap<>(details));
        }
    }

    private static Target find(ListableBeanFactory beans, String className, String methodName,
                               Class<?>... parameterTypes) {
        ClassLoader loader = PlatformBridge.class.getClassLoader();
        if (!ClassUtils.isPresent(className, loader)) {
            return new Target(null, null);
        }
        Class<?> type = ClassUtils.resolveClassName(className, loader);
        String[] names = beans.getBeanNamesForType(type);
        if (names.length == 0) {
            return new Target(null, null);
        }
        try {
            return new Target(beans.getBean(names[0]), type.getMethod(methodName, parameterTypes));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(className + "#" + methodName + " changed its published signature", e);
        }
    }
}
